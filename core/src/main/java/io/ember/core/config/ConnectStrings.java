package io.ember.core.config;

/**
 * The rules of a ZooKeeper connect string, as {@code ember.zookeeper.connect} and the ensemble part
 * of an {@code ember://} master URL take it: {@code host:port[,host:port...]}, optionally followed by
 * a chroot such as {@code /apps/ember} under which every path Ember uses lies.
 */
public final class ConnectStrings {

    /** The form, for messages. */
    public static final String FORM = "host:port[,host:port...][/chroot]";

    private ConnectStrings() {
    }

    /** What is wrong with {@code connect}, in a phrase for a message; null when it is well formed. */
    public static String problem(String connect) {
        if (connect.isBlank()) {
            return "it names no ZooKeeper server (" + FORM + ")";
        }
        int slash = connect.indexOf('/');
        String servers = slash < 0 ? connect : connect.substring(0, slash);
        for (String server : servers.split(",", -1)) {
            int colon = server.lastIndexOf(':');
            String host = colon < 0 ? server : server.substring(0, colon);
            String port = colon < 0 ? "" : server.substring(colon + 1);
            boolean hostOk = !host.isEmpty() && host.chars().noneMatch(c -> c <= ' ' || c == '/' || c == '@');
            boolean portOk = !port.isEmpty() && port.length() <= 5 && port.chars().allMatch(c -> c >= '0' && c <= '9')
                    && Integer.parseInt(port) >= 1 && Integer.parseInt(port) <= 65_535;
            if (!hostOk || !portOk) {
                return "'" + server + "' is not a ZooKeeper server host:port (the ensemble is " + FORM + ")";
            }
        }
        return slash < 0 ? null : chrootProblem(connect.substring(slash));
    }

    /** What is wrong with a chroot such as {@code /apps/ember}; null when ZooKeeper takes it. */
    static String chrootProblem(String chroot) {
        String[] segments = chroot.substring(1).split("/", -1);
        for (String segment : segments) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")
                    || segment.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
                return "the chroot '" + chroot + "' is not a ZooKeeper path (/name[/name...], no empty, '.' or "
                        + "'..' part, no spaces)";
            }
        }
        if (segments[0].equals("zookeeper")) {
            return "the chroot '" + chroot + "' lies in /zookeeper, which ZooKeeper keeps for itself";
        }
        return null;
    }
}
