package io.ember.core.config;

import io.ember.api.config.ConfigKey;
import io.ember.api.plugin.PolicyFactory;
import io.ember.api.plugin.PolicyKind;
import io.ember.api.shuffle.ConnectionLimits;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

// Longer than 400 lines because it is the catalogue of Ember's own keys, one documented declaration each;
// split up, the catalogue (and the docs generated from it) would have no one place.
/**
 * Ember's own settings, the keys of {@code conf/ember.properties} (every plugin declares its own
 * keys through {@link PolicyFactory#configKeys()}).
 *
 * <p>Every constant is immutable; read values through {@link EmberConfig#get(ConfigKey)}.
 */
public final class EmberKeys {

    private static final Pattern POLICY_NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final Pattern PACKAGE_NAME =
            Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*\\.?");
    private static final String POLICY_NAME_RULE = "a policy name (lower-case letters, digits and -)";

    /** Which scheduler plugin to use, by factory name. */
    public static final ConfigKey<String> SCHEDULER = ConfigKey.stringKey("ember.scheduler")
            .defaultValue("fifo")
            .check(EmberKeys::isPolicyName, POLICY_NAME_RULE)
            .doc("Which scheduler plugin orders task sets within an application and applications across the "
                    + "cluster, by factory name: fifo, fair, or one another plugin offers. Its settings go in "
                    + "conf/scheduler-<name>.properties.")
            .build();

    /** How often the scheduler's own file is checked for changes. */
    public static final ConfigKey<Duration> SCHEDULER_RELOAD_INTERVAL =
            ConfigKey.durationKey("ember.scheduler.reloadInterval")
                    .defaultValue(Duration.ofSeconds(5))
                    .min(Duration.ZERO)
                    .doc("How often drivers and masters check conf/scheduler-<name>.properties (the selected "
                            + "scheduler's file) for changes. A change is applied once the file has stayed the same "
                            + "for one further check; a file with a problem is reported and the settings in force stay. "
                            + "0 reads the file only at start.")
                    .build();

    /** Which executor allocation policy to use, by factory name. */
    public static final ConfigKey<String> ALLOCATION = ConfigKey.stringKey("ember.allocation")
            .defaultValue("static")
            .check(EmberKeys::isPolicyName, POLICY_NAME_RULE)
            .doc("Which allocation policy decides how many executors an application holds, by factory name: "
                    + "static (built in, holds ember.executor.instances executors), dynamic, or one another plugin "
                    + "offers. Its settings go in conf/allocation-<name>.properties.")
            .build();

    /** Which shuffle implementation to use, by factory name. */
    public static final ConfigKey<String> SHUFFLE = ConfigKey.stringKey("ember.shuffle")
            .defaultValue("sort")
            .check(EmberKeys::isPolicyName, POLICY_NAME_RULE)
            .doc("Which shuffle implementation writes, stores and serves shuffle data, by factory name: sort, "
                    + "or one another plugin offers. Its settings go in conf/shuffle-<name>.properties.")
            .build();

    /** Whether each worker runs the external shuffle service. */
    public static final ConfigKey<Boolean> SHUFFLE_SERVICE_ENABLED = ConfigKey.booleanKey("ember.shuffle.service.enabled")
            .defaultValue(true)
            .doc("Whether a worker's executors use an external shuffle service of the selected shuffle "
                    + "(ember.shuffle), which serves their map output, also after they exit, until their application "
                    + "ends: one the worker runs itself, or with ember.shuffle.service.embedded=false one that ember "
                    + "shuffle-service runs on the host. When false, each executor serves its own map output, which "
                    + "is lost when it exits.")
            .build();

    /** The port of the external shuffle service. */
    public static final ConfigKey<Integer> SHUFFLE_SERVICE_PORT = ConfigKey.intKey("ember.shuffle.service.port")
            .defaultValue(7337)
            .min(0)
            .max(65_535)
            .doc("The port of the external shuffle service, embedded in a worker or run by ember shuffle-service; "
                    + "0 picks a free port (the worker then advertises the one it got). It applies to every shuffle "
                    + "implementation: a plugin's own port setting, if it has one, is not read.")
            .build();

    /** Whether the worker runs the shuffle service itself or another process on its host does. */
    public static final ConfigKey<Boolean> SHUFFLE_SERVICE_EMBEDDED = ConfigKey.booleanKey("ember.shuffle.service.embedded")
            .defaultValue(true)
            .doc("Whether a worker runs the shuffle service itself (true) or relies on one that ember "
                    + "shuffle-service runs on the same host (false: the worker starts none, advertises "
                    + "ember.shuffle.service.port, which must then not be 0, and sends its executors there). "
                    + "Only read when ember.shuffle.service.enabled is true.")
            .build();

    /** The most connections a shuffle server keeps open. */
    public static final ConfigKey<Integer> SHUFFLE_SERVICE_MAX_CONNECTIONS =
            ConfigKey.intKey("ember.shuffle.service.maxConnections")
                    .defaultValue(ConnectionLimits.DEFAULTS.maxConnections())
                    .min(1)
                    .max(1_000_000)
                    .doc("The most connections the shuffle service (and an executor's own shuffle server, when there "
                            + "is no service) keeps open. A connection beyond it is closed at once; with "
                            + "ember.auth.secret set, the oldest connection that has not authenticated yet is closed "
                            + "instead, so a flood cannot lock authenticated clients out. Every reducing executor of "
                            + "the cluster keeps one connection to each service it reads from; keep this below the "
                            + "process's open-file limit (ulimit -n), which the service warns about at start.")
                    .build();

    /** How long a shuffle connection may take to authenticate. */
    public static final ConfigKey<Duration> SHUFFLE_SERVICE_AUTH_TIMEOUT =
            ConfigKey.durationKey("ember.shuffle.service.authTimeout")
                    .defaultValue(ConnectionLimits.DEFAULTS.authTimeout())
                    .min(Duration.ofMillis(100))
                    .doc("With ember.auth.secret set, a shuffle connection that has not authenticated this long after "
                            + "it opened is closed. A client authenticates in one round trip, so this only has to "
                            + "cover a slow network.")
                    .build();

    /** How long a client waits for a shuffle connection to open. */
    public static final ConfigKey<Duration> SHUFFLE_SERVICE_CONNECT_TIMEOUT =
            ConfigKey.durationKey("ember.shuffle.service.connectTimeout")
                    .defaultValue(ConnectionLimits.DEFAULT_CONNECT_TIMEOUT)
                    .min(Duration.ofMillis(100))
                    .doc("How long an executor waits for a connection to a shuffle service (or to another "
                            + "executor's shuffle server) to open. A fetch from a host that does not answer (down, or "
                            + "cut off from the network) fails after it, as a fetch failure, and the map output "
                            + "that lived there is computed again; it is not tried again on that host. Connections "
                            + "inside a data center open in milliseconds.")
                    .build();

    /** How long a shuffle connection may stay silent. */
    public static final ConfigKey<Duration> SHUFFLE_SERVICE_IDLE_TIMEOUT =
            ConfigKey.durationKey("ember.shuffle.service.idleTimeout")
                    .defaultValue(ConnectionLimits.DEFAULTS.idleTimeout())
                    .min(Duration.ofSeconds(1))
                    .doc("A shuffle connection on which nothing was read or written for this long is closed; a "
                            + "client opens a new one when it next needs it (and retries a request the closing "
                            + "raced with).")
                    .build();

    /** The directory of plugin folders. */
    public static final ConfigKey<String> PLUGINS_DIR = ConfigKey.stringKey("ember.plugins.dir")
            .defaultValue("plugins")
            .check(dir -> !dir.isEmpty(), "not empty")
            .doc("The directory holding one folder per plugin. A relative path resolves against EMBER_HOME when "
                    + "that environment variable is set, else against the working directory. A process with no "
                    + "EMBER_HOME that does not set this key (a test, an embedded driver) loads built-in plugins only.")
            .build();

    /** Extra packages plugins share with the host. */
    public static final ConfigKey<String> PLUGINS_PARENT_FIRST_PACKAGES =
            ConfigKey.stringKey("ember.plugins.parentFirstPackages")
                    .defaultValue("")
                    .check(EmberKeys::isPackageList, "comma-separated Java package names")
                    .doc("Comma-separated package prefixes that plugins load from the host rather than from their "
                            + "own folder, in addition to io.ember.api, the JDK and the logging API. Each shared "
                            + "package ties every plugin to the host's version of it, so keep this short.")
                    .build();

    /** Executors an application holds under the static allocation policy. */
    public static final ConfigKey<Integer> EXECUTOR_INSTANCES = ConfigKey.intKey("ember.executor.instances")
            .defaultValue(2)
            .min(0)
            .doc("How many executors an application holds under the static allocation policy; a dynamic policy "
                    + "may treat it as its initial request.")
            .build();

    /** Cores per executor. */
    public static final ConfigKey<Integer> EXECUTOR_CORES = ConfigKey.intKey("ember.executor.cores")
            .defaultValue(1)
            .min(1)
            .doc("Cores each executor offers to tasks.")
            .build();

    /** Cores per task. */
    public static final ConfigKey<Integer> TASK_CPUS = ConfigKey.intKey("ember.task.cpus")
            .defaultValue(1)
            .min(1)
            .doc("Cores each task occupies; an executor runs ember.executor.cores / ember.task.cpus tasks at once, "
                    + "so this must not exceed ember.executor.cores.")
            .build();


    /** Attempts of a task before its job fails. */
    public static final ConfigKey<Integer> TASK_MAX_FAILURES = ConfigKey.intKey("ember.task.maxFailures")
            .defaultValue(4)
            .min(1)
            .doc("How many times a task may fail before its job fails (1 means no retry). A retry goes to another "
                    + "executor where one is free. Attempts lost with their executor do not count. A failure that "
                    + "retrying cannot cure (a TaskNotRetryableException among its causes, such as an output "
                    + "directory the executor's host does not share) fails the job at once.")
            .build();

    /** Tasks queued at an executor beyond its free cores. */
    public static final ConfigKey<Integer> TASK_LAUNCH_AHEAD = ConfigKey.intKey("ember.task.launchAhead")
            .defaultValue(1)
            .min(0)
            .max(64)
            .doc("Tasks the driver sends an executor beyond its free cores, per core; they wait in the executor's "
                    + "queue so that a core never idles for a round trip to the driver between two short tasks. "
                    + "0 sends a task only for a free core (slowest for tiny tasks). Only tasks of stages whose tasks "
                    + "run shorter than ember.task.launchAhead.maxTaskTime are sent ahead.")
            .build();

    /** Only stages of short tasks use launch-ahead slots, so a queued task never holds a core long. */
    public static final ConfigKey<Duration> TASK_LAUNCH_AHEAD_MAX_TASK_TIME =
            ConfigKey.durationKey("ember.task.launchAhead.maxTaskTime")
                    .defaultValue(Duration.ofMillis(50))
                    .min(Duration.ZERO)
                    .doc("Tasks count as short when their stage's finished tasks ran shorter than this on average. A task "
                            + "is sent ahead of free cores (ember.task.launchAhead) only to queue behind short tasks, "
                            + "and only a short task queues behind a longer one. A queued task delays whoever gets that "
                            + "core next, so this bounds how long a pool below its share or minShare waits for it. "
                            + "0 never sends ahead.")
                    .build();

    /** Results up to this size travel on the executor's stream. */
    public static final ConfigKey<Long> TASK_MAX_DIRECT_RESULT_SIZE =
            ConfigKey.bytesKey("ember.task.maxDirectResultSize")
                    .defaultValue(1L << 20)
                    .min(0L)
                    .max(32L << 20)
                    .doc("A task result up to this size (serialized) is sent on the executor's stream with the task's "
                            + "status; a larger one is uploaded to the driver on a side channel in chunks, so it "
                            + "does not hold up other tasks' launches and updates.")
                    .build();

    /** Bound on a job's results at the driver. */
    public static final ConfigKey<Long> DRIVER_MAX_RESULT_SIZE = ConfigKey.bytesKey("ember.driver.maxResultSize")
            .defaultValue(1L << 30)
            .min(1L << 10)
            .doc("The most serialized result bytes one job may bring back to the driver (collect, take, ...). A "
                    + "job going over it fails with an error naming this key, instead of exhausting the driver's "
                    + "heap.")
            .build();

    /** The share of an executor's heap that is its memory budget. */
    public static final ConfigKey<Double> MEMORY_FRACTION = ConfigKey.doubleKey("ember.memory.fraction")
            .defaultValue(0.6)
            .greaterThan(0.0)
            .max(1.0)
            .doc("The share of each executor's heap, less a reserve (300 MiB, or a quarter of a heap under "
                    + "1.2 GiB), that is its memory budget, shared by tasks' buffers (execution) and cached "
                    + "partitions (storage); see docs/memory.md. In local modes, of the driver's heap.")
            .build();

    /** The share of the memory budget that is protected storage. */
    public static final ConfigKey<Double> MEMORY_STORAGE_FRACTION = ConfigKey.doubleKey("ember.memory.storageFraction")
            .defaultValue(0.5)
            .min(0.0)
            .max(1.0)
            .doc("The share of the memory budget (ember.memory.fraction) that cached partitions keep when tasks "
                    + "need memory: blocks beyond it are evicted for execution, blocks within it never. Storage "
                    + "may still use whatever execution does not hold.")
            .build();

    /** Whether the driver cleans up shuffles and cached datasets the application no longer references. */
    public static final ConfigKey<Boolean> CLEANER_REFERENCE_TRACKING =
            ConfigKey.booleanKey("ember.cleaner.referenceTracking")
                    .defaultValue(true)
                    .doc("Whether the driver cleans up what the application no longer references: once the garbage "
                            + "collector finds a dataset that owns a shuffle (or a persisted dataset) unreachable, the "
                            + "shuffle's files are deleted on executors and shuffle services (its cached partitions "
                            + "dropped). false keeps everything until the application ends.")
                    .build();

    /** In shuffles of many partitions, the block length the driver keeps exactly. */
    public static final ConfigKey<Long> SHUFFLE_ACCURATE_BLOCK_THRESHOLD =
            ConfigKey.bytesKey("ember.shuffle.accurateBlockThreshold")
                    .defaultValue(4L << 20)
                    .min(1L)
                    .doc("In a shuffle of more than 2,000 reduce partitions the driver keeps, per map task, which "
                            + "blocks are empty, the exact length of each block at least this large, and one average "
                            + "for the others, so that the map outputs of 3,000 x 3,000 partitions take kilobytes "
                            + "per task, not megabytes. Readers plan their fetches and bound their bytes in flight "
                            + "with these lengths; a lower value keeps more of them exact.")
                    .build();

    /** How often the driver asks for a garbage collection so that the cleaner hears of garbage. */
    public static final ConfigKey<Duration> CLEANER_PERIODIC_GC_INTERVAL =
            ConfigKey.durationKey("ember.cleaner.periodicGC.interval")
                    .defaultValue(Duration.ofMinutes(30))
                    .min(Duration.ZERO)
                    .doc("How often the driver asks the JVM for a garbage collection, so that datasets the "
                            + "application dropped are found and cleaned up even when its heap is large and rarely "
                            + "collected. 0 never asks.")
                    .build();

    /** How long a task waits for the executor holding its cached partition. */
    public static final ConfigKey<Duration> LOCALITY_WAIT = ConfigKey.durationKey("ember.locality.wait")
            .defaultValue(Duration.ofSeconds(3))
            .min(Duration.ZERO)
            .doc("How long a task whose input is cached on some executor waits for a free core there before it "
                    + "runs elsewhere (and recomputes its input). 0 never waits.")
            .build();

    /** Partitions of a source when none is named. */
    public static final ConfigKey<Integer> DEFAULT_PARALLELISM = ConfigKey.intKey("ember.default.parallelism")
            .defaultValue(0)
            .min(0)
            .doc("Partitions of parallelize, range and textFile when the call names none. 0 means the cores the "
                    + "application's executors offer (at least 2).")
            .build();

    /** Application JARs the driver serves to its executors. */
    public static final ConfigKey<String> JARS = ConfigKey.stringKey("ember.jars")
            .defaultValue("")
            .doc("Comma-separated paths of the application's JARs. The driver serves them to its executors, which "
                    + "load them in a class loader of their own before running the application's tasks. ember "
                    + "submit sets it to the application JAR.")
            .build();

    /** Extra deserialization filter patterns. */
    /** How shuffled records are serialized. */
    public static final ConfigKey<String> SERIALIZER = ConfigKey.choiceKey("ember.serializer", "fory", "java")
            .defaultValue("fory")
            .doc("How the records a shuffle moves are serialized: fory (fast, no class registration needed; "
                    + "records it cannot write, such as object graphs with cycles, fall back to Java serialization) "
                    + "or java (Java serialization only: slower and larger, for records that need their own "
                    + "writeObject/readObject semantics).")
            .build();

    public static final ConfigKey<String> SERIALIZER_FILTER = ConfigKey.stringKey("ember.serializer.filter")
            .defaultValue("")
            .doc("Deserialization filter patterns (the JDK's jdk.serialFilter syntax) applied to every task "
                    + "payload before Ember's own, which refuse the classes of known gadget chains and bound "
                    + "depth and array sizes. For example '!com.example.legacy.*' refuses a package.")
            .build();

    // ---- The cluster: coordination, addresses, security -----------------------------------------

    /** The cluster's name: its ZooKeeper namespace. */
    public static final ConfigKey<String> CLUSTER = ConfigKey.stringKey("ember.cluster")
            .defaultValue("default")
            .check(EmberKeys::isPolicyName, "a cluster name (lower-case letters, digits and -)")
            .doc("The cluster's name. Masters, workers, executors and drivers of one cluster share it; its state "
                    + "lives under /ember/<cluster> in ZooKeeper, so several clusters can share one ensemble.")
            .build();

    /** Where ZooKeeper is. */
    public static final ConfigKey<String> ZOOKEEPER_CONNECT = ConfigKey.stringKey("ember.zookeeper.connect")
            .check(connect -> ConnectStrings.problem(connect) == null,
                    "host:port pairs separated by commas, then an optional /chroot")
            .doc("The ZooKeeper ensemble masters, workers and executors coordinate through, e.g. "
                    + "zk1:2181,zk2:2181,zk3:2181, optionally with a chroot under which every node Ember makes "
                    + "lies (zk1:2181,zk2:2181,zk3:2181/apps/ember; created if missing). Required by ember master "
                    + "and ember worker; local-cluster mode starts an embedded server instead. In production use "
                    + "an ensemble of three or five servers.")
            .build();

    /** ZooKeeper session timeout: how fast a crashed master, worker or executor is noticed. */
    public static final ConfigKey<Duration> ZOOKEEPER_SESSION_TIMEOUT =
            ConfigKey.durationKey("ember.zookeeper.sessionTimeout")
                    .defaultValue(Duration.ofSeconds(4))
                    .min(Duration.ofMillis(500))
                    .doc("The ZooKeeper session timeout. A crashed master, worker or executor is noticed after this "
                            + "long, so it bounds failover time; too short a value makes a long GC pause look like a "
                            + "crash. The server may round it into [2, 20] x its tickTime.")
                    .build();

    /** How long to wait for a ZooKeeper connection. */
    public static final ConfigKey<Duration> ZOOKEEPER_CONNECTION_TIMEOUT =
            ConfigKey.durationKey("ember.zookeeper.connectionTimeout")
                    .defaultValue(Duration.ofSeconds(10))
                    .min(Duration.ofMillis(100))
                    .doc("How long a process waits for its first ZooKeeper connection before it gives up with an "
                            + "error naming the connect string.")
                    .build();

    /** Where local-cluster's embedded ZooKeeper listens; {@code ember.host} when unset. */
    public static final ConfigKey<String> ZOOKEEPER_BIND_ADDRESS = ConfigKey.stringKey("ember.zookeeper.bindAddress")
            .check(EmberKeys::isHostLiteral, "a host name or IP address")
            .defaultDescription("ember.host")
            .doc("The address local-cluster's embedded ZooKeeper listens on; 0.0.0.0 (or ::) listens on every "
                    + "interface. A ZooKeeper server of your own (ember zookeeper, or any other) takes its address "
                    + "from its zoo.cfg (clientPortAddress) instead.")
            .build();

    /** What local-cluster's embedded ZooKeeper tells others to reach it at; {@code ember.host} when unset. */
    public static final ConfigKey<String> ZOOKEEPER_ADVERTISED_ADDRESS =
            ConfigKey.stringKey("ember.zookeeper.advertisedAddress")
                    .check(EmberKeys::isHostLiteral, "a host name or IP address")
                    .defaultDescription("ember.host")
                    .doc("The address of local-cluster's embedded ZooKeeper in its master URL "
                            + "(ember://<address>:<port>/<cluster>) and in the connect string its master, workers "
                            + "and executors use, never a wildcard. For an ensemble of your own, "
                            + "ember.zookeeper.connect names the addresses.")
                    .build();

    /** The address this process binds and advertises. */
    public static final ConfigKey<String> HOST = ConfigKey.stringKey("ember.host")
            .defaultValue("127.0.0.1")
            .check(EmberKeys::isHostLiteral, "a host name or IP address")
            .doc("The address this process listens on and tells others to reach it at, unless its role's "
                    + "bindAddress or advertisedAddress says otherwise. The default only works on one machine: on a "
                    + "real cluster set it to each machine's own address.")
            .build();

    /** Deadline of every control-plane call. */
    public static final ConfigKey<Duration> RPC_TIMEOUT = ConfigKey.durationKey("ember.rpc.timeout")
            .defaultValue(Duration.ofSeconds(10))
            .min(Duration.ofMillis(100))
            .doc("The deadline of every control-plane call (registration, executor requests, launches). A call "
                    + "that takes longer fails with DEADLINE_EXCEEDED and is retried where that is safe.")
            .build();

    /** The most connections an RPC server keeps open. */
    public static final ConfigKey<Integer> RPC_MAX_CONNECTIONS = ConfigKey.intKey("ember.rpc.maxConnections")
            .defaultValue(4096)
            .min(1)
            .max(1_000_000)
            .doc("The most connections each RPC server (a master's, a worker's, a driver's) keeps open. A "
                    + "connection beyond it is closed at once; with ember.auth.secret set, the oldest connection that "
                    + "has not made an authenticated call yet is closed instead. A master holds one connection per "
                    + "worker and driver, a driver one per executor; keep this below the process's open-file limit "
                    + "(ulimit -n), which the server warns about at start.")
            .build();

    /** How long an RPC connection may go without an authenticated call. */
    public static final ConfigKey<Duration> RPC_AUTH_TIMEOUT = ConfigKey.durationKey("ember.rpc.authTimeout")
            .defaultValue(Duration.ofSeconds(10))
            .min(Duration.ofMillis(100))
            .doc("With ember.auth.secret set, an RPC connection that has not carried an authenticated call this "
                    + "long after it opened is closed. Ember's clients make their first call as they connect.")
            .build();

    /** How long an RPC connection may stay without calls. */
    public static final ConfigKey<Duration> RPC_IDLE_TIMEOUT = ConfigKey.durationKey("ember.rpc.idleTimeout")
            .defaultValue(Duration.ofMinutes(2))
            .min(Duration.ofSeconds(1))
            .doc("An RPC connection with no call in progress for this long is closed gracefully (HTTP/2 GOAWAY); "
                    + "the client reconnects at its next call. Long-lived streams (an executor's to its driver) "
                    + "are calls in progress and keep their connection.")
            .build();

    /** The shared secret; when set, everything authenticates. */
    public static final ConfigKey<String> AUTH_SECRET = ConfigKey.stringKey("ember.auth.secret")
            .check(s -> s.length() >= 16, "at least 16 characters")
            .sensitive()
            .defaultDescription("(none: no authentication)")
            .doc("A secret shared by every process of the cluster. When set, every control-plane call must carry "
                    + "an HMAC of it (calls without one are refused with UNAUTHENTICATED), every znode Ember "
                    + "creates gets a digest ACL, and masters, workers and drivers refuse a cluster tree in ZooKeeper "
                    + "that someone else can change (see security.md). Without it, every process of a real cluster "
                    + "warns at start that the cluster is open. Never logged. Set it in ember.properties (readable "
                    + "only by the operator) or EMBER_AUTH_SECRET, not on a command line.")
            .build();

    // ---- Masters -------------------------------------------------------------------------------

    /** Where a master listens; {@code ember.host} when unset. */
    public static final ConfigKey<String> MASTER_BIND_ADDRESS = ConfigKey.stringKey("ember.master.bindAddress")
            .check(EmberKeys::isHostLiteral, "a host name or IP address")
            .defaultDescription("ember.host")
            .doc("The address a master listens on; 0.0.0.0 (or ::) listens on every interface. Others reach "
                    + "it at its advertised address instead.")
            .build();

    /** What a master tells others to reach it at; {@code ember.host} when unset. */
    public static final ConfigKey<String> MASTER_ADVERTISED_ADDRESS =
            ConfigKey.stringKey("ember.master.advertisedAddress")
                    .check(EmberKeys::isHostLiteral, "a host name or IP address")
                    .defaultDescription("ember.host")
                    .doc("The address a master publishes in ZooKeeper and in every message others use to reach "
                            + "it: one of this host's addresses that the other hosts can reach, never a wildcard. "
                            + "Differs from its bind address behind address translation, or when it listens on "
                            + "every interface.")
                    .build();

    /** Master RPC port. */
    public static final ConfigKey<Integer> MASTER_PORT = ConfigKey.intKey("ember.master.port")
            .defaultValue(7077)
            .min(0)
            .max(65_535)
            .doc("The port a master listens on for workers and drivers; 0 picks a free port (it is published in "
                    + "ZooKeeper, so clients never need to know it).")
            .build();

    /** How the leader places executors on workers. */
    public static final ConfigKey<String> MASTER_PLACEMENT = ConfigKey.choiceKey("ember.master.placement", "spread", "pack")
            .defaultValue("spread")
            .doc("How the leader master places an application's executors: spread puts each on the worker with "
                    + "the most free cores (spreading load and failures), pack fills one worker before the next "
                    + "(leaving whole workers free).")
            .build();

    // ---- Workers -------------------------------------------------------------------------------

    /** Where a worker (and its shuffle service, embedded or run alone by ember shuffle-service, and its executors) listens; {@code ember.host} when unset. */
    public static final ConfigKey<String> WORKER_BIND_ADDRESS = ConfigKey.stringKey("ember.worker.bindAddress")
            .check(EmberKeys::isHostLiteral, "a host name or IP address")
            .defaultDescription("ember.host")
            .doc("The address a worker (and its shuffle service, embedded or run alone by ember shuffle-service, and its executors) listens on; 0.0.0.0 (or ::) listens on every interface. Others reach "
                    + "it at its advertised address instead.")
            .build();

    /** What a worker (and its shuffle service, embedded or run alone by ember shuffle-service, and its executors) tells others to reach it at; {@code ember.host} when unset. */
    public static final ConfigKey<String> WORKER_ADVERTISED_ADDRESS =
            ConfigKey.stringKey("ember.worker.advertisedAddress")
                    .check(EmberKeys::isHostLiteral, "a host name or IP address")
                    .defaultDescription("ember.host")
                    .doc("The address a worker (and its shuffle service, embedded or run alone by ember shuffle-service, and its executors) publishes in ZooKeeper and in every message others use to reach "
                            + "it: one of this host's addresses that the other hosts can reach, never a wildcard. "
                            + "Differs from its bind address behind address translation, or when it listens on "
                            + "every interface.")
                    .build();

    /** Worker RPC port. */
    public static final ConfigKey<Integer> WORKER_PORT = ConfigKey.intKey("ember.worker.port")
            .defaultValue(0)
            .min(0)
            .max(65_535)
            .doc("The port a worker listens on for the leader master; 0 picks a free port.")
            .build();

    /** Cores a worker offers. */
    public static final ConfigKey<Integer> WORKER_CORES = ConfigKey.intKey("ember.worker.cores")
            .min(1)
            .defaultDescription("all available processors")
            .doc("Cores a worker offers to executors.")
            .build();

    /** Memory a worker offers. */
    public static final ConfigKey<Long> WORKER_MEMORY = ConfigKey.bytesKey("ember.worker.memory")
            .min(32L << 20)
            .defaultDescription("the machine's memory minus 1g (at least 1g)")
            .doc("Memory a worker offers to executors; each executor takes ember.executor.memory of it.")
            .build();

    /** Where a worker keeps executor work directories. */
    public static final ConfigKey<String> WORKER_WORK_DIR = ConfigKey.stringKey("ember.worker.workDir")
            .defaultValue("work")
            .check(dir -> !dir.isEmpty(), "not empty")
            .doc("The directory under which a worker gives each executor a work directory "
                    + "(<workDir>/<app>/<executor>/ holding its stdout and stderr). A relative path resolves "
                    + "against EMBER_HOME when set, else the working directory. An application's directories are "
                    + "deleted when it ends, unless ember.worker.keepWorkDirs is true.")
            .build();

    /** Keep work directories after applications end. */
    public static final ConfigKey<Boolean> WORKER_KEEP_WORK_DIRS = ConfigKey.booleanKey("ember.worker.keepWorkDirs")
            .defaultValue(false)
            .doc("Keep executors' work directories (and their logs) after their application ends, for debugging.")
            .build();

    /** How often a worker looks for what ended applications left behind. */
    public static final ConfigKey<Duration> WORKER_CLEANUP_INTERVAL =
            ConfigKey.durationKey("ember.worker.cleanup.interval")
                    .defaultValue(Duration.ofMinutes(10))
                    .min(Duration.ofSeconds(1))
                    .doc("How often a worker removes the work directories of applications that ended while it "
                            + "could not hear of it (it was down or cut off), and a shuffle service (a worker's, or "
                            + "ember shuffle-service) the shuffle files of such applications; both also do so at "
                            + "start. Nothing is removed while ZooKeeper cannot say which applications are live; "
                            + "with ember.worker.keepWorkDirs=true a worker keeps its work directories.")
                    .build();

    /** How long a dead application's directories stay. */
    public static final ConfigKey<Duration> WORKER_CLEANUP_GRACE = ConfigKey.durationKey("ember.worker.cleanup.grace")
            .defaultValue(Duration.ofHours(1))
            .min(Duration.ZERO)
            .doc("How long the work directory of an application that is no longer live stays after it last "
                    + "changed, before a worker's cleanup removes it; and how long a shuffle service keeps the files "
                    + "of an application absent from ZooKeeper's live applications (counted from when it first "
                    + "saw it absent).")
            .build();

    // ---- Executors -----------------------------------------------------------------------------

    /** Heap of each executor. */
    public static final ConfigKey<Long> EXECUTOR_MEMORY = ConfigKey.bytesKey("ember.executor.memory")
            .defaultValue(1L << 30)
            .min(32L << 20)
            .doc("Heap of each executor JVM (-Xmx); a worker places an executor only where this much of its "
                    + "memory is free.")
            .build();

    /** Extra JVM options for executors. */
    public static final ConfigKey<String> EXECUTOR_JAVA_OPTIONS = ConfigKey.stringKey("ember.executor.javaOptions")
            .defaultValue("")
            .check(JavaOptions::isValid, JavaOptions.DESCRIPTION)
            .doc("Extra JVM options for every executor of the application, separated by spaces (e.g. "
                    + "-XX:+UseParallelGC); they come after the worker's own, so they win. On a worker, the options "
                    + "every executor it starts gets first.")
            .build();

    /** Executor heartbeat interval. */
    public static final ConfigKey<Duration> EXECUTOR_HEARTBEAT_INTERVAL =
            ConfigKey.durationKey("ember.executor.heartbeatInterval")
                    .defaultValue(Duration.ofSeconds(1))
                    .min(Duration.ofMillis(10))
                    .doc("How often an executor sends its driver a heartbeat (with its metrics) on its stream.")
                    .build();

    /** Silence after which the driver drops an executor. */
    public static final ConfigKey<Duration> EXECUTOR_HEARTBEAT_TIMEOUT =
            ConfigKey.durationKey("ember.executor.heartbeatTimeout")
                    .defaultValue(Duration.ofSeconds(10))
                    .min(Duration.ofMillis(100))
                    .doc("A driver that hears nothing from an executor for this long treats it as lost. Must be "
                            + "longer than ember.executor.heartbeatInterval.")
                    .build();

    /** Executors that may exit before registering, in a row, before the application fails. */
    public static final ConfigKey<Integer> EXECUTOR_MAX_LAUNCH_FAILURES =
            ConfigKey.intKey("ember.executor.maxLaunchFailures")
                    .defaultValue(3)
                    .min(1)
                    .doc("How many of an application's executors may exit before they register (a bad JVM option, "
                            + "a class path that does not load, a driver they cannot reach), one after the other "
                            + "with none registering in between, before the leader master launches no more and the "
                            + "application fails with the last lines the last one wrote.")
                    .build();

    /** Executors that may fail in a row before the master stops replacing them. */
    public static final ConfigKey<Integer> EXECUTOR_MAX_FAILURES = ConfigKey.intKey("ember.executor.maxFailures")
            .defaultValue(10)
            .min(1)
            .doc("How many of an application's executors may fail (exit by themselves with a non-zero code) one "
                    + "after the other before the leader master stops replacing them and the application fails. "
                    + "An executor that ran for a minute or more before it failed starts a new count. Replacements "
                    + "after the first failure in a row wait 0.5 s, doubling up to 30 s.")
            .build();

    // ---- Applications --------------------------------------------------------------------------

    /** Where the application runs. */
    public static final ConfigKey<String> MASTER = ConfigKey.stringKey("ember.master")
            .doc("Where an application runs: local-cluster[W,C] (an embedded ZooKeeper, a master and W workers "
                    + "of C cores in the driver's JVM, executors as real processes) or "
                    + "ember://<zookeeper-connect>/<cluster> (a running cluster).")
            .build();

    /** The application's name. */
    public static final ConfigKey<String> APP_NAME = ConfigKey.stringKey("ember.app.name")
            .defaultValue("ember-application")
            .check(n -> !n.isBlank(), "not blank")
            .doc("The application's name, shown by the master and in logs.")
            .build();

    /** The master-level scheduling queue of the application. */
    public static final ConfigKey<String> APP_QUEUE = ConfigKey.stringKey("ember.app.queue")
            .defaultValue("default")
            .check(EmberKeys::isPolicyName, "a queue name (lower-case letters, digits and -)")
            .doc("The queue an application's executor requests compete in at the master (see the fair "
                    + "scheduler's queue.<name>.* settings).")
            .build();

    /** Where a driver listens; {@code ember.host} when unset. */
    public static final ConfigKey<String> DRIVER_BIND_ADDRESS = ConfigKey.stringKey("ember.driver.bindAddress")
            .check(EmberKeys::isHostLiteral, "a host name or IP address")
            .defaultDescription("ember.host")
            .doc("The address a driver listens on; 0.0.0.0 (or ::) listens on every interface. Others reach "
                    + "it at its advertised address instead.")
            .build();

    /** What a driver tells others to reach it at; {@code ember.host} when unset. */
    public static final ConfigKey<String> DRIVER_ADVERTISED_ADDRESS =
            ConfigKey.stringKey("ember.driver.advertisedAddress")
                    .check(EmberKeys::isHostLiteral, "a host name or IP address")
                    .defaultDescription("ember.host")
                    .doc("The address a driver publishes in ZooKeeper and in every message others use to reach "
                            + "it: one of this host's addresses that the other hosts can reach, never a wildcard. "
                            + "Differs from its bind address behind address translation, or when it listens on "
                            + "every interface.")
                    .build();

    /** Driver RPC port. */
    public static final ConfigKey<Integer> DRIVER_PORT = ConfigKey.intKey("ember.driver.port")
            .defaultValue(0)
            .min(0)
            .max(65_535)
            .doc("The port a driver listens on for its executors; 0 picks a free port.")
            .build();

    /** How long ember submit, told to stop, waits for the application to end cleanly. */
    public static final ConfigKey<Duration> DRIVER_STOP_TIMEOUT = ConfigKey.durationKey("ember.driver.stopTimeout")
            .defaultValue(Duration.ofSeconds(15))
            .greaterThan(Duration.ZERO)
            .doc("How long ember submit, told to stop while the application runs (Ctrl-C, SIGINT, SIGTERM), waits for "
                    + "it to end cleanly (the master told, the executors stopped, a local cluster and the temporary "
                    + "files removed, the application's main method returned) before the JVM exits anyway. A second "
                    + "Ctrl-C exits at once.")
            .build();

    /** Whether ember submit shows a progress bar on a terminal. */
    public static final ConfigKey<Boolean> CONSOLE_PROGRESS = ConfigKey.booleanKey("ember.console.progress")
            .defaultValue(true)
            .doc("Whether ember submit and ember run-example show a one-line progress bar of the running stages "
                    + "([Stage 3:=====>      (45 + 4) / 100]: tasks finished, running, in all) on standard error "
                    + "while it is a terminal. Never shown when standard error goes to a file or a pipe.")
            .build();

    /** Where ember submit's own log lines go. */
    public static final ConfigKey<String> CONSOLE_LOGS = ConfigKey.choiceKey("ember.console.logs", "auto", "console",
                    "file")
            .defaultValue("auto")
            .doc("Where ember submit and ember run-example send the driver's log lines (the cluster's INFO lines of a "
                    + "local cluster included): file writes them to a new file in ember.console.logDir, prints its path "
                    + "once and keeps only WARN and ERROR lines on standard error; console leaves them all on standard "
                    + "error; auto is file while standard error is a terminal, console otherwise (a file, a pipe, a CI "
                    + "log). --verbose means console.")
            .build();

    /** The directory of ember submit's log files. */
    public static final ConfigKey<String> CONSOLE_LOG_DIR = ConfigKey.stringKey("ember.console.logDir")
            .defaultValue("logs")
            .check(dir -> !dir.isEmpty(), "not empty")
            .doc("Where ember submit writes its log files (see ember.console.logs), one per run. A relative path "
                    + "resolves against EMBER_HOME when that environment variable is set, else against the working "
                    + "directory.")
            .build();

    /** The first port of an application's web UI and REST API. */
    public static final ConfigKey<Integer> UI_PORT = ConfigKey.intKey("ember.ui.port")
            .defaultValue(4040)
            .min(0)
            .max(65_535)
            .doc("The port of the driver's web UI, REST API (/api/v1/) and /metrics; when taken, the next of "
                    + "ember.ui.portRetries ports is used (so several drivers on one host each get one). 0 turns "
                    + "the driver's web server off.")
            .build();

    /** The master's web UI port. */
    public static final ConfigKey<Integer> MASTER_UI_PORT = ConfigKey.intKey("ember.master.ui.port")
            .defaultValue(8080)
            .min(0)
            .max(65_535)
            .doc("The port of a master's web UI, REST API (/api/v1/) and /metrics, on ember.master.bindAddress; "
                    + "when taken, the next of ember.ui.portRetries ports is used. 0 turns it off.")
            .build();

    /** A worker's web UI port. */
    public static final ConfigKey<Integer> WORKER_UI_PORT = ConfigKey.intKey("ember.worker.ui.port")
            .defaultValue(8081)
            .min(0)
            .max(65_535)
            .doc("The port of a worker's web UI, REST API (/api/v1/) and /metrics, on ember.worker.bindAddress; "
                    + "when taken, the next of ember.ui.portRetries ports is used. 0 turns it off.")
            .build();

    /** The history server's port. */
    public static final ConfigKey<Integer> HISTORY_UI_PORT = ConfigKey.intKey("ember.history.ui.port")
            .defaultValue(18080)
            .min(1)
            .max(65_535)
            .doc("The port of ember history-server's web UI and REST API.")
            .build();

    /** How many ports after a web UI's own are tried when it is taken. */
    public static final ConfigKey<Integer> UI_PORT_RETRIES = ConfigKey.intKey("ember.ui.portRetries")
            .defaultValue(16)
            .min(0)
            .max(1_000)
            .doc("How many ports after a web UI's configured port are tried, one after the other, when it is "
                    + "taken; when all are, the process runs without its web UI and says so in one line.")
            .build();

    /** Jobs an application's UI remembers. */
    public static final ConfigKey<Integer> UI_RETAINED_JOBS = ConfigKey.intKey("ember.ui.retainedJobs")
            .defaultValue(1_000)
            .min(1)
            .doc("How many ended jobs the driver's UI and REST API remember; older ones are forgotten first "
                    + "(running jobs are always shown).")
            .build();

    /** Stages an application's UI remembers. */
    public static final ConfigKey<Integer> UI_RETAINED_STAGES = ConfigKey.intKey("ember.ui.retainedStages")
            .defaultValue(1_000)
            .min(1)
            .doc("How many ended stages the driver's UI and REST API remember; older ones are forgotten first "
                    + "(running stages are always shown).")
            .build();

    /** Task rows an application's UI remembers, in all. */
    public static final ConfigKey<Integer> UI_RETAINED_TASKS = ConfigKey.intKey("ember.ui.retainedTasks")
            .defaultValue(100_000)
            .min(0)
            .doc("How many task rows the driver's UI and REST API remember, over all stages: when there are more, "
                    + "the task rows of the stages that ended first are dropped (those stages keep their counts, "
                    + "totals and task-duration summary). Bounds the driver's memory for the UI.")
            .build();

    /** Executors an application's UI remembers after they left. */
    public static final ConfigKey<Integer> UI_RETAINED_DEAD_EXECUTORS = ConfigKey.intKey("ember.ui.retainedDeadExecutors")
            .defaultValue(100)
            .min(0)
            .doc("How many executors that left the application the driver's UI and REST API still show, with why "
                    + "they left; older ones are forgotten first.")
            .build();

    /** Whether an application writes an event log. */
    public static final ConfigKey<Boolean> EVENT_LOG_ENABLED = ConfigKey.booleanKey("ember.eventLog.enabled")
            .defaultValue(false)
            .doc("Whether the driver writes the application's event log (its jobs, stages, tasks, executors and "
                    + "allocation decisions, as JSON lines) into ember.eventLog.dir, for ember history-server.")
            .build();

    /** Where event logs go. */
    public static final ConfigKey<String> EVENT_LOG_DIR = ConfigKey.stringKey("ember.eventLog.dir")
            .defaultValue("/tmp/ember-events")
            .check(dir -> !dir.isBlank(), "not blank")
            .doc("The directory of event logs, one subdirectory per application; the driver writes there (it must "
                    + "be a directory the history server reads too: a shared file system when they run on different "
                    + "hosts), and ember history-server reads it.")
            .build();

    /** Whether event logs are gzip-compressed. */
    public static final ConfigKey<Boolean> EVENT_LOG_COMPRESS = ConfigKey.booleanKey("ember.eventLog.compress")
            .defaultValue(true)
            .doc("Whether the event log's files are gzip-compressed (events-NNNNNN.jsonl.gz); false writes plain "
                    + "JSON lines (events-NNNNNN.jsonl).")
            .build();

    /** The size at which an event log file is rolled. */
    public static final ConfigKey<Long> EVENT_LOG_ROLL_SIZE = ConfigKey.bytesKey("ember.eventLog.rollSize")
            .defaultValue(128L << 20)
            .min(1L << 10)
            .doc("An event log file is closed and the next one begun once it holds this many bytes on disk.")
            .build();

    /** How often the history server looks for new and changed event logs. */
    public static final ConfigKey<Duration> HISTORY_UPDATE_INTERVAL = ConfigKey.durationKey("ember.history.updateInterval")
            .defaultValue(Duration.ofSeconds(10))
            .min(Duration.ofMillis(100))
            .doc("How often ember history-server looks in ember.eventLog.dir for new applications and for logs that "
                    + "grew (running applications), and applies its retention.")
            .build();

    /** How long the history server keeps an ended application's log. */
    public static final ConfigKey<Duration> HISTORY_MAX_AGE = ConfigKey.durationKey("ember.history.maxAge")
            .defaultValue(Duration.ofDays(7))
            .min(Duration.ofMinutes(1))
            .doc("ember history-server deletes the event log of an application that ended longer ago than this "
                    + "(by its log's last change).")
            .build();

    /** How many ended applications the history server keeps. */
    public static final ConfigKey<Integer> HISTORY_MAX_APPLICATIONS = ConfigKey.intKey("ember.history.maxApplications")
            .defaultValue(1_000)
            .min(1)
            .doc("ember history-server keeps the event logs of at most this many ended applications, deleting the "
                    + "oldest first; running applications' logs are never deleted.")
            .build();

    private static final List<ConfigKey<?>> ALL = List.of(
            SCHEDULER, SCHEDULER_RELOAD_INTERVAL, ALLOCATION, SHUFFLE, SHUFFLE_SERVICE_ENABLED, SHUFFLE_SERVICE_PORT,
            SHUFFLE_SERVICE_EMBEDDED, SHUFFLE_SERVICE_MAX_CONNECTIONS, SHUFFLE_SERVICE_AUTH_TIMEOUT,
            SHUFFLE_SERVICE_IDLE_TIMEOUT,
            SHUFFLE_SERVICE_CONNECT_TIMEOUT,
            PLUGINS_DIR, PLUGINS_PARENT_FIRST_PACKAGES,
            EXECUTOR_INSTANCES, EXECUTOR_CORES, TASK_CPUS, TASK_MAX_FAILURES, TASK_LAUNCH_AHEAD,
            TASK_LAUNCH_AHEAD_MAX_TASK_TIME,
            TASK_MAX_DIRECT_RESULT_SIZE,
            DRIVER_MAX_RESULT_SIZE, MEMORY_FRACTION, MEMORY_STORAGE_FRACTION, CLEANER_REFERENCE_TRACKING,
            CLEANER_PERIODIC_GC_INTERVAL, SHUFFLE_ACCURATE_BLOCK_THRESHOLD, LOCALITY_WAIT, DEFAULT_PARALLELISM, JARS,
            SERIALIZER, SERIALIZER_FILTER,
            CLUSTER, ZOOKEEPER_CONNECT, ZOOKEEPER_SESSION_TIMEOUT, ZOOKEEPER_CONNECTION_TIMEOUT,
            ZOOKEEPER_BIND_ADDRESS, ZOOKEEPER_ADVERTISED_ADDRESS, HOST, RPC_TIMEOUT,
            RPC_MAX_CONNECTIONS, RPC_AUTH_TIMEOUT, RPC_IDLE_TIMEOUT,
            AUTH_SECRET,
            MASTER_BIND_ADDRESS, MASTER_ADVERTISED_ADDRESS, MASTER_PORT, MASTER_PLACEMENT,
            WORKER_BIND_ADDRESS, WORKER_ADVERTISED_ADDRESS, WORKER_PORT, WORKER_CORES, WORKER_MEMORY, WORKER_WORK_DIR, WORKER_KEEP_WORK_DIRS,
            WORKER_CLEANUP_INTERVAL, WORKER_CLEANUP_GRACE,
            EXECUTOR_MEMORY, EXECUTOR_JAVA_OPTIONS, EXECUTOR_HEARTBEAT_INTERVAL, EXECUTOR_HEARTBEAT_TIMEOUT,
            EXECUTOR_MAX_LAUNCH_FAILURES, EXECUTOR_MAX_FAILURES,
            MASTER, APP_NAME, APP_QUEUE, DRIVER_BIND_ADDRESS, DRIVER_ADVERTISED_ADDRESS, DRIVER_PORT,
            DRIVER_STOP_TIMEOUT, CONSOLE_PROGRESS, CONSOLE_LOGS, CONSOLE_LOG_DIR,
            UI_PORT, MASTER_UI_PORT, WORKER_UI_PORT, HISTORY_UI_PORT, UI_PORT_RETRIES, UI_RETAINED_JOBS,
            UI_RETAINED_STAGES, UI_RETAINED_TASKS, UI_RETAINED_DEAD_EXECUTORS, EVENT_LOG_ENABLED, EVENT_LOG_DIR,
            EVENT_LOG_COMPRESS, EVENT_LOG_ROLL_SIZE, HISTORY_UPDATE_INTERVAL, HISTORY_MAX_AGE,
            HISTORY_MAX_APPLICATIONS);

    private EmberKeys() {
    }

    /** Every core key, in the order the documentation and the template list them. */
    public static List<ConfigKey<?>> all() {
        return ALL;
    }

    /** The key that selects the policy of a kind: {@link #SCHEDULER}, {@link #ALLOCATION} or {@link #SHUFFLE}. */
    public static ConfigKey<String> selector(PolicyKind kind) {
        return switch (kind) {
            case SCHEDULER -> SCHEDULER;
            case ALLOCATION -> ALLOCATION;
            case SHUFFLE -> SHUFFLE;
        };
    }

    private static boolean isPolicyName(String name) {
        return POLICY_NAME.matcher(name).matches();
    }

    private static boolean isHostLiteral(String host) {
        return !host.isBlank() && host.chars().noneMatch(Character::isWhitespace);
    }

    private static boolean isPackageList(String list) {
        if (list.isEmpty()) {
            return true;
        }
        for (String element : list.split(",", -1)) {
            if (!PACKAGE_NAME.matcher(element.trim()).matches()) {
                return false;
            }
        }
        return true;
    }
}
