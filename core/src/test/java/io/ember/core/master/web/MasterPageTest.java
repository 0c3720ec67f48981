package io.ember.core.master.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The master's page as HTML: what a standby says, and that names from outside are escaped. */
final class MasterPageTest {

    private static final MasterStatus.Activity NOTHING = new MasterStatus.Activity(0, 0, 0, 0, 0, true, Map.of());

    @Test
    void aStandbyWithoutALeaderSaysNoMasterLeads() {
        MasterApi.Master standby = new MasterApi.Master("m2", "STANDBY", 0, "prod", "10.0.0.6:7077", "zk:2181", "", "",
                "", "http://10.0.0.6:8080");

        String page = MasterPage.render(new MasterStatus(standby, List.of(), List.of(), List.of(), NOTHING), 0);

        assertTrue(page.contains("no master leads the cluster right now"), page);
        assertFalse(page.contains("<table"), "a standby lists nothing: " + page);
    }

    @Test
    void aStandbyWhoseLeaderServesNoUiNamesItWithoutALink() {
        MasterApi.Master standby = new MasterApi.Master("m2", "STANDBY", 3, "prod", "10.0.0.6:7077", "zk:2181", "m1",
                "10.0.0.5:7077", "", "http://10.0.0.6:8080");

        String page = MasterPage.render(new MasterStatus(standby, List.of(), List.of(), List.of(), NOTHING), 0);

        assertTrue(page.contains("The leader is m1 at 10.0.0.5:7077 (it serves no web UI)."), page);
    }

    @Test
    void escapesWhatApplicationsAndWorkersCallThemselves() {
        MasterApi.Master leader = new MasterApi.Master("m1", "LEADER", 3, "prod", "10.0.0.5:7077", "zk:2181", "m1",
                "10.0.0.5:7077", "http://10.0.0.5:8080", "http://10.0.0.5:8080");
        MasterApi.Worker worker = new MasterApi.Worker("w1", "10.0.0.7", 7078, "ALIVE", 4, 1, 4096, 128, 7337, 1,
                1_000, "http://10.0.0.7:8081/\"><script>alert(1)</script>");
        MasterApi.Application app = new MasterApi.Application("app-1", "<script>alert(2)</script>", "q<1>", "RUNNING",
                1, 1, 128, 1, List.of(new MasterApi.Executor("0", "w1", "10.0.0.7", 1, 128, "RUNNING")), 1_000, 0, 5,
                "", "");
        MasterApi.Queue queue = new MasterApi.Queue("q<1>", "fair", 1.5, 2, null, 1, 0, 1);

        String page = MasterPage.render(new MasterStatus(leader, List.of(worker), List.of(app), List.of(queue),
                NOTHING), 2_000);

        assertFalse(page.contains("<script>"), page);
        assertTrue(page.contains("&lt;script&gt;alert(2)&lt;/script&gt;"), page);
        assertTrue(page.contains("q&lt;1&gt;"), page);
        assertTrue(page.contains("1.5"), "the queue's weight: " + page);
        assertTrue(page.contains("1.0 s ago"), "the worker's last contact, a second before: " + page);
    }
}
