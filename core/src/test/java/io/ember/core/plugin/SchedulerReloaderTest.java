package io.ember.core.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ember.api.scheduler.GroupStatus;
import io.ember.api.scheduler.SchedulingLevel;
import io.ember.api.scheduler.SchedulingPolicy;
import io.ember.core.bootstrap.Bootstrap;
import io.ember.core.bootstrap.EmberEnvironment;
import io.ember.core.bootstrap.LaunchContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The fair scheduler's file changed while running: applied once settled, refused with the key and line when broken. */
final class SchedulerReloaderTest {

    @TempDir
    Path home;

    private Path conf;
    private Path fairFile;
    private EmberEnvironment environment;
    private final List<SchedulingPolicy> applied = new ArrayList<>();
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void startWithWeightOne() throws IOException {
        conf = Files.createDirectories(home.resolve("conf"));
        Files.writeString(conf.resolve("ember.properties"), "ember.scheduler=fair\n");
        fairFile = conf.resolve("scheduler-fair.properties");
        Files.writeString(fairFile, "pool.reports.weight=1\n");
        environment = new Bootstrap(new LaunchContext(Optional.of(home), Optional.of(conf), Map.of(), Map.of(),
                Map.of())).load();
        logged.start();
        ((Logger) LoggerFactory.getLogger(SchedulerReloader.class)).addAppender(logged);
    }

    @AfterEach
    void close() {
        ((Logger) LoggerFactory.getLogger(SchedulerReloader.class)).detachAppender(logged);
        environment.close();
    }

    private SchedulerReloader reloader() {
        return new SchedulerReloader(fairFile, environment.config(), environment.selected().scheduler(), applied::add);
    }

    private static double weightOf(SchedulingPolicy policy, String pool) {
        return policy.createQueue(SchedulingLevel.TASK_SETS).groups().stream().filter(g -> g.name().equals(pool))
                .mapToDouble(GroupStatus::weight).findFirst().orElseThrow();
    }

    private String warnings() {
        return logged.list.stream().map(ILoggingEvent::getFormattedMessage).reduce("", (a, b) -> a + b + "\n");
    }

    @Test
    void appliesAChangeOnceTheFileHasStayedTheSameForOneCheck() throws IOException {
        SchedulerReloader reloader = reloader();
        assertFalse(reloader.check(), "nothing changed");

        Files.writeString(fairFile, "pool.reports.weight=3\n");
        assertFalse(reloader.check(), "changed since the last check: wait for it to settle");
        assertTrue(reloader.check(), "the same as at the last check: apply");

        assertEquals(1, applied.size());
        assertEquals(3.0, weightOf(applied.get(0), "reports"));
        assertFalse(reloader.check(), "applied once only");
        assertTrue(warnings().contains("conf/scheduler-fair.properties changed; the fair scheduler now follows it"),
                warnings());
    }

    @Test
    void waitsWhileTheFileKeepsChanging() throws IOException {
        SchedulerReloader reloader = reloader();
        Files.writeString(fairFile, "pool.reports.weight=2\n");
        assertFalse(reloader.check());
        Files.writeString(fairFile, "pool.reports.weight=5\n");
        assertFalse(reloader.check(), "still changing");
        assertTrue(reloader.check());

        assertEquals(1, applied.size());
        assertEquals(5.0, weightOf(applied.get(0), "reports"));
    }

    @Test
    void keepsTheSettingsInForceWhenTheFileIsBrokenAndSaysWhy() throws IOException {
        SchedulerReloader reloader = reloader();
        Files.writeString(fairFile, "pool.reports.weight=3\npool.reports.mode=fastest\n");
        reloader.check();
        assertFalse(reloader.check(), "a broken file is not applied");
        assertFalse(reloader.check(), "nor tried again until it changes");

        assertTrue(applied.isEmpty());
        String warnings = warnings();
        assertTrue(warnings.contains("keeps its previous settings"), warnings);
        assertTrue(warnings.contains("ember.scheduler.fair.pool.reports.mode"), warnings);
        assertTrue(warnings.contains("conf/scheduler-fair.properties:2"), warnings);
        assertTrue(warnings.contains("fifo") && warnings.contains("fair"), "names the allowed values: " + warnings);
        assertEquals(1, logged.list.size(), "reported once, not at every check");

        Files.writeString(fairFile, "pool.reports.weight=4\n");
        reloader.check();
        assertTrue(reloader.check(), "a repaired file is applied");
        assertEquals(4.0, weightOf(applied.get(0), "reports"));
    }

    @Test
    void aRemovedFileBringsBackTheDefaults() throws IOException {
        SchedulerReloader reloader = reloader();
        Files.delete(fairFile);
        reloader.check();
        assertTrue(reloader.check());

        assertEquals(List.of(), applied.get(0).createQueue(SchedulingLevel.TASK_SETS).groups(),
                "no pool is declared any more");
    }

    @Test
    void isNotStartedWithoutAConfDirectoryOrWithAnIntervalOfZero() throws IOException {
        assertTrue(SchedulerReloader.start(Optional.empty(), environment.config(), environment.selected().scheduler(),
                applied::add).isEmpty());
        Files.writeString(conf.resolve("ember.properties"), "ember.scheduler=fair\nember.scheduler.reloadInterval=0s\n");
        try (EmberEnvironment off = new Bootstrap(new LaunchContext(Optional.of(home), Optional.of(conf), Map.of(),
                Map.of(), Map.of())).load()) {
            assertTrue(SchedulerReloader.start(Optional.of(conf), off.config(), off.selected().scheduler(),
                    applied::add).isEmpty());
        }
    }
}
