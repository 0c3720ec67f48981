package io.ember.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The shuffle settings a worker gives the executors it launches. */
final class ExecutorShuffleSettingsTest {

    private static final WorkerShuffle SORT = new WorkerShuffle(Optional.empty(), Map.of(
            "ember.shuffle", "sort",
            "ember.plugins.dir", "/opt/ember/plugins",
            "ember.shuffle.sort.spill.threshold", "8m"));

    @Test
    void namesTheWorkersServicePortWhenItRunsOne() {
        Map<String, String> settings = ExecutorCommands.executorSettings(ApplicationSettings.NONE, SORT, 7337);
        assertEquals("7337", settings.get("ember.shuffle.service.port"));
        assertFalse(settings.containsKey("ember.shuffle.service.enabled"));
        assertEquals("sort", settings.get("ember.shuffle"));
        assertEquals("/opt/ember/plugins", settings.get("ember.plugins.dir"));
        assertEquals("8m", settings.get("ember.shuffle.sort.spill.threshold"));
    }

    @Test
    void turnsTheServiceOffWhenTheWorkerRunsNone() {
        Map<String, String> settings = ExecutorCommands.executorSettings(ApplicationSettings.NONE,
                WorkerShuffle.none(), 0);
        assertEquals(Map.of("ember.shuffle.service.enabled", "false"), settings);
    }

    @Test
    void letsTheApplicationTuneThePluginButNotChooseTheShuffleOrTheService() {
        ApplicationSettings app = new ApplicationSettings(0, 0, "", Map.of(
                "ember.shuffle", "other",
                "ember.shuffle.service.port", "1",
                "ember.shuffle.sort.spill.threshold", "16m",
                "ember.auth.secret", "never-on-a-command-line"));
        Map<String, String> settings = ExecutorCommands.executorSettings(app, SORT, 40_000);
        assertEquals("sort", settings.get("ember.shuffle"));
        assertEquals("40000", settings.get("ember.shuffle.service.port"));
        assertEquals("16m", settings.get("ember.shuffle.sort.spill.threshold"));
        assertFalse(settings.containsKey("ember.auth.secret"));
    }
}
