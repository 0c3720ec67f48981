package io.ember.examples;

import io.ember.api.plugin.PolicyKind;
import io.ember.core.config.EmberKeys;
import io.ember.core.driver.EmberContext;
import io.ember.core.driver.ExecutorWaitTimeoutException;
import java.time.Duration;
import java.util.Locale;

/**
 * How the examples start and prepare their {@link EmberContext}.
 *
 * <p>They run where the process's configuration says ({@code ember.master}, set by
 * {@code ember submit --master}, a {@code -D} option or {@code EMBER_MASTER}); when nothing says,
 * on {@value #DEFAULT_MASTER}, so that {@code ember submit} without {@code --master} and a run from
 * an IDE both work with no configuration at all.
 */
final class ExampleContexts {

    /** Where an example runs when no master is configured: 2 workers of 1 core, on this machine. */
    static final String DEFAULT_MASTER = "local-cluster[2,1]";

    /** How long {@link #awaitExecutors} waits before it lets the jobs start on fewer executors. */
    static final Duration EXECUTOR_WAIT = Duration.ofSeconds(60);

    private ExampleContexts() {
    }

    /**
     * Starts a context: {@link #DEFAULT_MASTER} unless a master is configured, and {@code appName}
     * unless a name is ({@code ember submit} names the application after its main class).
     */
    static EmberContext start(String appName) {
        EmberContext.Builder builder = EmberContext.builder();
        if (!configured(EmberKeys.MASTER.name())) {
            builder.master(DEFAULT_MASTER);
        }
        if (!configured(EmberKeys.APP_NAME.name())) {
            builder.appName(appName);
        }
        return builder.build();
    }

    /**
     * Waits until the executors the application asked for ({@code ember.executor.instances}) have
     * registered, so that the first job spreads over all of them instead of starting on the first
     * one up. Applications need not do this: tasks go to executors as they arrive. After
     * {@link #EXECUTOR_WAIT} it gives up with a warning and the jobs run on those there are. Under an
     * allocation policy other than {@code static} it does not wait: executors come when tasks wait.
     */
    static void awaitExecutors(EmberContext ember) {
        if (ember.cluster().isEmpty()) {
            return;   // local[N]: one executor, in this JVM
        }
        if (!ember.config().selected(PolicyKind.ALLOCATION).equals("static")) {
            return;   // dynamic allocation: the first job's backlog brings the executors
        }
        int wanted = ember.config().get(EmberKeys.EXECUTOR_INSTANCES);
        try {
            ember.awaitExecutors(wanted, EXECUTOR_WAIT);
        } catch (ExecutorWaitTimeoutException e) {
            System.err.println("warning: " + e.getMessage() + "; starting anyway");
        }
    }

    /** Whether a system property or its {@code EMBER_*} environment variable sets {@code key}. */
    private static boolean configured(String key) {
        String variable = "EMBER_" + key.substring("ember.".length()).toUpperCase(Locale.ROOT).replace('.', '_');
        return System.getProperty(key) != null || System.getenv(variable) != null;
    }
}
