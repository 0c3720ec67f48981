package io.ember.distribution.multihost;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The multi-host suite's {@link TopologyRun}, registered by {@link OnTheTopology} for the classes
 * that extend it: one topology for all of them in a test run (started by the first, before its
 * {@code @BeforeAll} methods, and closed when the run ends), so the suite pays for starting it (and
 * for its executors' class-data-sharing archive) once. After each test the topology is
 * restored (hosts healed, paused processes resumed, dead ones started again); after each class it
 * is checked: no executor was killed after its grace.
 */
final class TopologyExtension implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TopologyExtension.class);

    private TopologyRun run;

    /** The run; only between the class's start and its end. */
    TopologyRun run() {
        if (run == null) {
            throw new IllegalStateException("the multi-host suite's topology is not running");
        }
        return run;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        run = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent("topology", key -> new Shared(start()), Shared.class).run;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (run != null) {
            run.restore();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (run != null) {
            run.assertEveryExecutorStoppedInItsGrace();
        }
    }

    private static TopologyRun start() {
        try {
            return TopologyRun.start("topology");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes the topology when the test run ends. */
    private record Shared(TopologyRun run) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() throws Throwable {
            run.close();
        }
    }
}
