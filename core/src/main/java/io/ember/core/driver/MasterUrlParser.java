package io.ember.core.driver;

import static java.util.Objects.requireNonNull;

import io.ember.core.config.ConnectStrings;
import io.ember.core.driver.MasterUrl.ClusterUrl;
import io.ember.core.driver.MasterUrl.LocalClusterUrl;
import io.ember.core.driver.MasterUrl.LocalUrl;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The grammar of {@link MasterUrl}. */
final class MasterUrlParser {

    static final String SCHEME = "ember://";
    static final Pattern CLUSTER = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final Pattern LOCAL_CLUSTER = Pattern.compile("local-cluster\\[\\s*(\\d+)\\s*,\\s*(\\d+)\\s*]");
    private static final Pattern LOCAL = Pattern.compile("local(\\[.*])?");
    private static final Pattern LOCAL_THREADS = Pattern.compile("local(?:\\[\\s*(\\d+|\\*)\\s*])?");
    private static final int MAX_DIGITS = 18;   // keeps Long.parseLong safe

    private MasterUrlParser() {
    }

    static MasterUrl parse(String url) {
        requireNonNull(url, "url is null");
        String value = url.strip();
        if (value.isEmpty()) {
            throw new IllegalArgumentException("ember.master is not set; " + MasterUrl.EXPECTED);
        }
        if (value.startsWith("local-cluster")) {
            return localCluster(value);
        }
        if (LOCAL.matcher(value).matches()) {
            return local(value);
        }
        if (value.startsWith(SCHEME)) {
            return cluster(value);
        }
        throw notAMasterUrl(value, null);
    }

    private static LocalUrl local(String value) {
        Matcher m = LOCAL_THREADS.matcher(value);
        if (!m.matches()) {
            throw notAMasterUrl(value, "local[N] takes a number of threads or *");
        }
        String threads = m.group(1);
        if (threads == null) {
            return new LocalUrl(1);
        }
        if (threads.equals("*")) {
            return new LocalUrl(Runtime.getRuntime().availableProcessors());
        }
        long n = number(threads);
        if (n < 1 || n > 10_000) {
            throw notAMasterUrl(value, "local[N] needs 1 to 10000 threads");
        }
        return new LocalUrl((int) n);
    }

    private static LocalClusterUrl localCluster(String value) {
        Matcher m = LOCAL_CLUSTER.matcher(value);
        if (!m.matches()) {
            throw notAMasterUrl(value, null);
        }
        long workers = number(m.group(1));
        long cores = number(m.group(2));
        if (workers > Integer.MAX_VALUE || cores > Integer.MAX_VALUE) {
            throw notAMasterUrl(value, "W and C must be at most " + Integer.MAX_VALUE);
        }
        if (workers < 1) {
            throw notAMasterUrl(value, "local-cluster[W,C] needs at least 1 worker (W >= 1)");
        }
        if (cores < 1) {
            throw notAMasterUrl(value, "local-cluster[W,C] needs at least 1 core per worker (C >= 1)");
        }
        return new LocalClusterUrl((int) workers, (int) cores);
    }

    /** A run of decimal digits; anything too long for a long counts as {@link Long#MAX_VALUE}. */
    private static long number(String digits) {
        String significant = digits.replaceFirst("^0+(?=.)", "");
        return significant.length() > MAX_DIGITS ? Long.MAX_VALUE : Long.parseLong(significant);
    }

    /**
     * {@code ember://<servers>[/<chroot>...]/<cluster>}: the last part of the path names the cluster,
     * the parts before it, if any, the chroot in ZooKeeper.
     */
    private static ClusterUrl cluster(String value) {
        String rest = value.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        if (slash < 0) {
            throw notAMasterUrl(value, "it names no cluster (ember://<zookeeper-connect>/<cluster>)");
        }
        int last = rest.lastIndexOf('/');
        String connect = rest.substring(0, last);
        String cluster = rest.substring(last + 1);
        if (slash == 0) {
            throw notAMasterUrl(value, "it names no ZooKeeper ensemble (host:port[,host:port...])");
        }
        String problem = ConnectStrings.problem(connect);
        if (problem != null) {
            throw notAMasterUrl(value, problem);
        }
        if (cluster.isEmpty()) {
            throw notAMasterUrl(value, "it names no cluster (ember://<zookeeper-connect>/<cluster>)");
        }
        if (!CLUSTER.matcher(cluster).matches()) {
            throw notAMasterUrl(value, clusterProblem(cluster));
        }
        return new ClusterUrl(connect, cluster);
    }

    static String clusterProblem(String cluster) {
        return "cluster '" + cluster + "' must be lower-case letters, digits and - (starting with a letter or digit)";
    }

    private static IllegalArgumentException notAMasterUrl(String value, String why) {
        return new IllegalArgumentException("ember.master '" + value + "' is not a master URL"
                + (why == null ? "" : ": " + why) + "; " + MasterUrl.EXPECTED);
    }
}
