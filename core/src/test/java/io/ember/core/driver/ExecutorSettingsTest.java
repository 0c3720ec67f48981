package io.ember.core.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.ember.api.config.ConfigKey;
import io.ember.core.config.ConfigSources;
import io.ember.core.config.EmberConfig;
import io.ember.core.config.EmberKeys;
import io.ember.core.config.KeyCatalog;
import io.ember.core.driver.ExecutorSettings.Route;
import io.ember.core.driver.client.ApplicationDescriptor;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

final class ExecutorSettingsTest {

    private static EmberConfig config(Map<String, String> settings) {
        return EmberConfig.resolve(ConfigSources.read(null, Map.of(), Map.of(), settings),
                new KeyCatalog(EmberKeys.all(), Map.of()));
    }

    /**
     * A new ember.executor.* or ember.memory.* key fails here until someone decides how it reaches
     * the executors.
     */
    @Test
    void everyExecutorKeyHasARoute() {
        Set<String> executorKeys = EmberKeys.all().stream().map(ConfigKey::name)
                .filter(name -> name.startsWith("ember.executor.") || name.startsWith("ember.memory."))
                .collect(Collectors.toSet());
        Set<String> routed = ExecutorSettings.ROUTES.keySet().stream().map(ConfigKey::name).collect(Collectors.toSet());

        assertEquals(executorKeys, routed);
    }

    @Test
    void theLaunchSettingsCarryEveryKeyOfTheLaunchRoute() {
        EmberConfig config = config(Map.of("ember.executor.javaOptions", "-Xss2m \"-Da=b c\"",
                "ember.executor.heartbeatInterval", "250ms", "ember.zookeeper.sessionTimeout", "6s"));

        Map<String, String> launch = ExecutorSettings.forLaunch(config, "prod");

        for (Map.Entry<ConfigKey<?>, Route> route : ExecutorSettings.ROUTES.entrySet()) {
            assertEquals(route.getValue() == Route.LAUNCH, launch.containsKey(route.getKey().name()),
                    route.getKey().name() + " goes by " + route.getValue());
        }
        assertEquals("-Xss2m \"-Da=b c\"", launch.get("ember.executor.javaOptions"));
        assertEquals("250ms", launch.get("ember.executor.heartbeatInterval"));
        assertEquals("prod", launch.get("ember.cluster"));
        assertEquals("6s", launch.get("ember.zookeeper.sessionTimeout"));
    }

    @Test
    void noJavaOptionsAreSentWhenTheApplicationSetsNone() {
        assertFalse(ExecutorSettings.forLaunch(config(Map.of()), "prod").containsKey("ember.executor.javaOptions"));
    }

    @Test
    void theApplicationRouteIsWhatTheMasterSizesExecutorsBy() {
        EmberConfig config = config(Map.of("ember.executor.cores", "3", "ember.executor.memory", "768m"));

        ApplicationDescriptor application = ClusterSession.application(config, "prod", "127.0.0.1:7070");

        assertEquals(3, application.coresPerExecutor());
        assertEquals(768L << 20, application.memoryPerExecutorBytes());
        assertEquals(ExecutorSettings.forLaunch(config, "prod"), application.executorSettings());
    }
}
