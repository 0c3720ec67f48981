package io.ember.distribution.multihost;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A class of tests on the suite's one topology ({@link TopologyExtension}): it registers the
 * extension and reads the run from it, so the classes that extend it share one topology.
 */
abstract class OnTheTopology {

    @RegisterExtension
    static final TopologyExtension TOPOLOGY = new TopologyExtension();

    static TopologyRun run() {
        return TOPOLOGY.run();
    }

    static MultiHostNetwork network() {
        return run().network();
    }

    static ClusterTopology cluster() {
        return run().cluster();
    }
}
