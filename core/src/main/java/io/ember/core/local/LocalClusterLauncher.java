package io.ember.core.local;

import io.ember.api.plugin.PolicyKind;
import io.ember.api.scheduler.SchedulerFactory;
import io.ember.core.bootstrap.EmberEnvironment;
import io.ember.core.driver.ClusterHandle;
import io.ember.core.driver.ClusterLauncher;
import io.ember.core.driver.MasterUrl;
import io.ember.core.worker.WorkerShuffle;
import java.util.ServiceLoader;

/**
 * Runs {@code ember.master=local-cluster[W,C]}: starts a {@link LocalCluster} whose master schedules
 * with the application's configured scheduler plugin. Found by {@code EmberContext} through
 * {@link ServiceLoader}.
 */
public final class LocalClusterLauncher implements ClusterLauncher {

    @Override
    public ClusterHandle start(MasterUrl.LocalClusterUrl url, EmberEnvironment environment) {
        SchedulerFactory scheduler = environment.selected().scheduler();
        return LocalCluster.start(url.workers(), url.coresPerWorker(), environment.config(),
                scheduler.create(environment.config().policy(PolicyKind.SCHEDULER, scheduler.name())),
                WorkerShuffle.forLocalCluster(environment));
    }
}
