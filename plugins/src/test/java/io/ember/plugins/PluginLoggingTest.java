package io.ember.plugins;

import static io.ember.plugins.PluginDiscoveryTest.manager;
import static io.ember.plugins.PluginDiscoveryTest.testClassLoader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ember.api.ApiVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

final class PluginLoggingTest {

    @TempDir
    Path pluginsDir;

    private final Logger logger = (Logger) LoggerFactory.getLogger(PluginManager.class);
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();

    @BeforeEach
    void capture() {
        events.start();
        logger.addAppender(events);
    }

    @AfterEach
    void release() {
        logger.detachAppender(events);
        events.stop();
    }

    @Test
    void logsOneInfoLinePerLoadedPluginAndOneWarnLineWithoutStackTracePerRefusal() throws IOException {
        TestingPlugin.plugin("scheduler-lifo").scheduler("lifo").allocation("steady").jar()
                .implementationVersion("0.1.0")
                .writeTo(pluginsDir.resolve("scheduler-lifo/ember-scheduler-lifo.jar"));
        TestingPlugin.plugin("exploding").scheduler("exploding").constructor("throw new IllegalStateException(\"boom\");")
                .writeTo(pluginsDir.resolve("exploding/exploding.jar"));
        Files.writeString(pluginsDir.resolve("corrupt.jar"), "not a zip");

        PluginSet plugins;
        try (PluginManager manager = manager(pluginsDir, testClassLoader())) {
            plugins = manager.load();
        }

        List<ILoggingEvent> infos = events.list.stream().filter(e -> e.getLevel() == Level.INFO).toList();
        List<ILoggingEvent> warnings = events.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
        assertEquals(List.of("Loaded plugin scheduler-lifo 0.1.0 (API " + ApiVersion.current() + ") from "
                + pluginsDir.resolve("scheduler-lifo") + ": scheduler lifo, allocation steady"),
                infos.stream().map(ILoggingEvent::getFormattedMessage).toList());
        assertEquals(plugins.refusals().stream().map(PluginRefusal::toString).toList(),
                warnings.stream().map(ILoggingEvent::getFormattedMessage).toList());
        assertEquals(2, warnings.size());
        for (ILoggingEvent warning : warnings) {
            assertNull(warning.getThrowableProxy(), "a refusal was logged with a stack trace");
        }
    }
}
