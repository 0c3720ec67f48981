package io.ember.core.rpc;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares a server's connection limit with the number of files this process may open: when the
 * operating system's limit ({@code ulimit -n}) is the lower, connections would be refused by the
 * kernel (and files fail to open) before the server's own limit applies, so the operator is told
 * once, at start.
 *
 * <p>Stateless and thread-safe.
 */
final class OpenFiles {

    private static final Logger LOG = LoggerFactory.getLogger(OpenFiles.class);

    private OpenFiles() {
    }

    /**
     * Logs one WARN line when this process may open no more than {@code maxConnections} files.
     *
     * @param server names the server, e.g. {@code the master's RPC server}
     * @param key the setting that holds {@code maxConnections}
     */
    static void warnIfBelow(int maxConnections, String server, String key) {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof UnixOperatingSystemMXBean unix && unix.getMaxFileDescriptorCount() <= maxConnections) {
            LOG.warn("{} admits up to {} connections ({}), but this process may open only {} files (ulimit -n): "
                    + "raise the limit or lower the setting", capitalized(server), maxConnections, key,
                    unix.getMaxFileDescriptorCount());
        }
    }

    private static String capitalized(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
