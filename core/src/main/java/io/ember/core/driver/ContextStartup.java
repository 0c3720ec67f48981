package io.ember.core.driver;

import static java.util.Objects.requireNonNull;

import io.ember.api.plugin.PolicyKind;
import io.ember.api.scheduler.GroupStatus;
import io.ember.api.scheduler.SchedulerFactory;
import io.ember.api.scheduler.SchedulingLevel;
import io.ember.api.scheduler.SchedulingPolicy;
import io.ember.api.scheduler.SchedulingQueue;
import io.ember.core.bootstrap.Bootstrap;
import io.ember.core.bootstrap.EmberEnvironment;
import io.ember.core.bootstrap.LaunchContext;
import io.ember.core.config.EmberConfig;
import io.ember.core.config.EmberKeys;
import io.ember.core.driver.endpoint.ServedJar;
import io.ember.core.plugin.SchedulerReloader;
import io.ember.core.scheduler.SchedulerSettings;
import io.ember.core.scheduler.TaskScheduler;
import io.ember.core.serialization.JavaSerializer;
import io.ember.core.serialization.PayloadFilter;
import io.ember.core.shuffle.MapOutputSnapshots;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start of an {@link EmberContext}, in order: the configuration and plugins
 * ({@link Bootstrap}), {@code ember.master}, the {@link TaskScheduler} with the selected scheduling
 * policy's queue, the runtime ({@link LocalRuntime} or {@link ClusterRuntime}) and the watch on the
 * scheduler's file. Whatever fails, everything started so far is closed and the error is thrown.
 *
 * <p>Runs once, on the thread that builds the context; holds nothing afterwards.
 */
final class ContextStartup {

    /** Logged as the context, so its lines read (and filter) as they always did. */
    private static final Logger LOG = LoggerFactory.getLogger(EmberContext.class);

    /**
     * What start-up created, handed to the context.
     *
     * @param reloader null when the scheduler's file is not watched
     * @param applications where the context is added once started, and removed when it closes
     */
    record Started(EmberEnvironment environment, MasterUrl masterUrl, TaskScheduler scheduler,
                   SchedulerReloader reloader, ClassLoader applicationLoader, DriverRuntime runtime,
                   DriverMetrics metrics, RunningApplications applications, ApplicationMonitor monitor,
                   MapOutputSnapshots mapOutputs) {

        Started {
            requireNonNull(environment, "environment is null");
            requireNonNull(masterUrl, "masterUrl is null");
            requireNonNull(scheduler, "scheduler is null");
            requireNonNull(applicationLoader, "applicationLoader is null");
            requireNonNull(runtime, "runtime is null");
            requireNonNull(metrics, "metrics is null");
            requireNonNull(applications, "applications is null");
            requireNonNull(monitor, "monitor is null");
            requireNonNull(mapOutputs, "mapOutputs is null");
        }
    }

    private ContextStartup() {
    }

    /**
     * Starts a context with the settings of an {@link EmberContext.Builder}, and adds it to
     * {@code applications}.
     *
     * @throws IllegalStateException when {@code applications} refuses new ones (the process is
     *     stopping), before anything starts or, when that happened meanwhile, once what started is
     *     closed again
     */
    static EmberContext start(LaunchContext launch, Optional<ClusterLauncher> launcher, Clock clock,
                              ClassLoader applicationLoader, RunningApplications applications) {
        requireNonNull(launch, "launch is null");
        requireNonNull(launcher, "launcher is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(applicationLoader, "applicationLoader is null");
        requireNonNull(applications, "applications is null");
        applications.checkAccepting();
        EmberContext context = startParts(launch, launcher, clock, applicationLoader, applications);
        if (!applications.add(context)) {
            context.close();
            throw applications.refused();
        }
        return context;
    }

    private static EmberContext startParts(LaunchContext launch, Optional<ClusterLauncher> launcher, Clock clock,
                                           ClassLoader applicationLoader, RunningApplications applications) {
        DriverMetrics metrics = new DriverMetrics();
        EmberEnvironment environment = null;
        TaskScheduler scheduler = null;
        DriverRuntime runtime = null;
        SchedulerReloader reloader = null;
        ApplicationMonitor.Listening listening = ApplicationMonitor.Listening.NONE;
        try {
            environment = new Bootstrap(launch).load();
            EmberConfig config = environment.config();
            MasterUrl masterUrl = MasterUrl.parse(config.core().find(EmberKeys.MASTER).orElseThrow(() ->
                    new IllegalArgumentException("ember.master is not set; set it to local[N] to run tasks in this "
                            + "JVM, to local-cluster[W,C] to run a cluster on this machine, or to "
                            + "ember://<zookeeper-connect>/<cluster> to use a running cluster")));
            JavaSerializer serializer = new JavaSerializer(PayloadFilter.withOperatorPatterns(
                    config.get(EmberKeys.SERIALIZER_FILTER)));
            List<ServedJar> jars = ServedJar.parse(config.get(EmberKeys.JARS));
            scheduler = new TaskScheduler(schedulerSettings(config), taskSetQueue(environment), serializer, clock);
            scheduler.addListener(new JobCounts(metrics));
            MapOutputSnapshots mapOutputs = new MapOutputSnapshots();

            // The UI listens first: the application registers with the master naming where it is.
            listening = ApplicationMonitor.listen(config);
            if (masterUrl instanceof MasterUrl.LocalUrl local) {
                runtime = LocalRuntime.start(local, environment, scheduler, serializer, applicationLoader, mapOutputs);
            } else {
                runtime = ClusterRuntime.start(masterUrl, environment, launcher, scheduler, jars, mapOutputs, clock,
                        metrics, listening.url());
            }
            TaskScheduler started = scheduler;
            DriverRuntime ready = runtime;
            reloader = SchedulerReloader.start(launch.confDir(), config, environment.selected().scheduler(),
                    policy -> {
                        started.replacePolicy(policy);
                        ready.schedulingPolicyReloaded(policy);
                    }).orElse(null);
            TaskScheduler pools = scheduler;
            ApplicationMonitor monitor = ApplicationMonitor.start(config, listening, runtime, scheduler,
                    masterUrl.toString(), metrics, pools::pools, clock);
            return new EmberContext(new Started(environment, masterUrl, scheduler, reloader, applicationLoader,
                    runtime, metrics, applications, monitor, mapOutputs));
        } catch (RuntimeException | Error e) {
            listening.close();
            if (reloader != null) {
                reloader.close();
            }
            if (scheduler != null) {
                ClusterSession.quietly("the task scheduler", scheduler::close);
            }
            if (runtime instanceof LocalRuntime local) {
                local.close(); // as before the split: a cluster session already started is not closed here
            }
            if (environment != null) {
                ClusterSession.quietly("the plugins", environment::close);
            }
            throw e;
        }
    }

    private static SchedulerSettings schedulerSettings(EmberConfig config) {
        return new SchedulerSettings(config.get(EmberKeys.TASK_MAX_FAILURES), config.get(EmberKeys.TASK_CPUS),
                config.get(EmberKeys.LOCALITY_WAIT), config.get(EmberKeys.DRIVER_MAX_RESULT_SIZE),
                config.get(EmberKeys.TASK_LAUNCH_AHEAD), config.get(EmberKeys.TASK_LAUNCH_AHEAD_MAX_TASK_TIME));
    }

    /** The task-set queue of the scheduling policy {@code ember.scheduler} selects. */
    private static SchedulingQueue taskSetQueue(EmberEnvironment environment) {
        SchedulerFactory factory = environment.selected().scheduler();
        SchedulingPolicy policy = factory.create(environment.config().policy(PolicyKind.SCHEDULER, factory.name()));
        SchedulingQueue queue = policy.createQueue(SchedulingLevel.TASK_SETS);
        LOG.info("Jobs are scheduled by the '{}' scheduler{}", factory.name(), queue.groups().isEmpty() ? ""
                : "; pools: " + queue.groups().stream().map(ContextStartup::describePool)
                        .collect(Collectors.joining(", ")));
        return queue;
    }

    private static String describePool(GroupStatus pool) {
        return pool.name() + " (weight " + pool.weight() + ", minShare " + pool.minShare() + ", " + pool.mode() + ")";
    }
}
