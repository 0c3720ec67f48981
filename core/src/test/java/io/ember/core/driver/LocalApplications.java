package io.ember.core.driver;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * Starts the driver tests' applications on {@code local-cluster[W,C]} or {@code local[N]}: isolated
 * from this machine's environment, system properties and configuration directory, and with the
 * local cluster's work directories (every executor's files) under the test's temporary directory,
 * so nothing an executor writes outlives the test. The tests add what they vary (executor memory,
 * allocation, scheduler, ...) and close the context themselves, which stops its cluster.
 */
final class LocalApplications {

    private LocalApplications() {
    }

    /** A builder of an application named {@code appName} on {@code master}, its work directories under {@code dir}. */
    static EmberContext.Builder builder(Path dir, String master, String appName) {
        requireNonNull(dir, "dir is null");
        return EmberContext.builder().isolated()
                .master(requireNonNull(master, "master is null"))
                .appName(requireNonNull(appName, "appName is null"))
                .set("ember.worker.workDir", dir.resolve("work").toString());
    }
}
