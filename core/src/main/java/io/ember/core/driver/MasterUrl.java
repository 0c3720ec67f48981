package io.ember.core.driver;

import static java.util.Objects.requireNonNull;

import io.ember.core.config.ConnectStrings;

/**
 * Where an application runs: the value of {@code ember.master}.
 *
 * <ul>
 *   <li>{@code local}, {@code local[N]}, {@code local[*]}: no cluster at all; the driver's JVM runs
 *       the tasks on N threads (1, N, or one per processor), for development and tests;
 *   <li>{@code local-cluster[W,C]}: a cluster on this machine, started by the driver (an embedded
 *       ZooKeeper, a master and {@code W} workers of {@code C} cores each, executors as real
 *       processes);
 *   <li>{@code ember://<zookeeper-connect>/<cluster>}: a running cluster, found through its
 *       ZooKeeper ensemble ({@code host:port[,host:port...]}) and its name.
 * </ul>
 *
 * <p>{@link #parse} refuses anything else with one line naming the value and the accepted forms.
 */
public sealed interface MasterUrl permits MasterUrl.LocalUrl, MasterUrl.LocalClusterUrl, MasterUrl.ClusterUrl {

    /** The accepted forms, as quoted in every refusal. */
    String EXPECTED = "expected local[N], local-cluster[W,C] or ember://<zookeeper-connect>/<cluster>";

    /**
     * Parses {@code ember.master} (surrounding whitespace ignored).
     *
     * @throws IllegalArgumentException with one line such as {@code ember.master 'foo://x' is not a
     *     master URL; expected local[N], local-cluster[W,C] or ember://<zookeeper-connect>/<cluster>}
     */
    static MasterUrl parse(String url) {
        return MasterUrlParser.parse(url);
    }

    /**
     * {@code local[N]}: one in-process executor with {@code threads} cores.
     *
     * @param threads task threads, at least 1
     */
    record LocalUrl(int threads) implements MasterUrl {

        public LocalUrl {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1: " + threads);
            }
        }

        @Override
        public String toString() {
            return "local[" + threads + "]";
        }
    }

    /**
     * {@code local-cluster[W,C]}.
     *
     * @param workers how many workers to start, at least 1
     * @param coresPerWorker cores each worker offers, at least 1
     */
    record LocalClusterUrl(int workers, int coresPerWorker) implements MasterUrl {

        public LocalClusterUrl {
            if (workers < 1) {
                throw new IllegalArgumentException("workers must be >= 1: " + workers);
            }
            if (coresPerWorker < 1) {
                throw new IllegalArgumentException("coresPerWorker must be >= 1: " + coresPerWorker);
            }
        }

        @Override
        public String toString() {
            return "local-cluster[" + workers + "," + coresPerWorker + "]";
        }
    }

    /**
     * {@code ember://<zookeeper-connect>/<cluster>}.
     *
     * @param zookeeperConnect the ensemble, {@code host:port[,host:port...][/chroot]}
     * @param cluster the cluster's name (lower-case letters, digits and {@code -})
     */
    record ClusterUrl(String zookeeperConnect, String cluster) implements MasterUrl {

        public ClusterUrl {
            requireNonNull(zookeeperConnect, "zookeeperConnect is null");
            requireNonNull(cluster, "cluster is null");
            String problem = ConnectStrings.problem(zookeeperConnect);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            if (!MasterUrlParser.CLUSTER.matcher(cluster).matches()) {
                throw new IllegalArgumentException(MasterUrlParser.clusterProblem(cluster));
            }
        }

        @Override
        public String toString() {
            return MasterUrlParser.SCHEME + zookeeperConnect + "/" + cluster;
        }
    }
}
