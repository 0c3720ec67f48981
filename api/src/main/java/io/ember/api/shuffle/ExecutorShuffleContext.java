package io.ember.api.shuffle;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an executor's shuffle needs to know about where it runs.
 *
 * @param applicationId the application
 * @param executorId this executor
 * @param host the host this executor is reachable at
 * @param localDirs where this executor writes its shuffle files (one or more disks), existing and
 *     writable; the executor's own, no other executor writes there. An external shuffle service may
 *     give the executor directories of its own instead (as many), which it deletes when the
 *     application ends
 * @param service the external shuffle service of this host, when there is one
 *     ({@code ember.shuffle.service.enabled}); without it the executor serves its own blocks
 * @param secret {@code ember.auth.secret} when set: every connection to a shuffle server must
 *     authenticate with it, and a server refuses connections that do not
 * @param limits {@code ember.shuffle.service.*}: the connection limits of the server an executor
 *     runs for its own blocks when there is no service
 */
public record ExecutorShuffleContext(String applicationId, String executorId, String host, List<Path> localDirs,
                                     Optional<ServiceAddress> service, Optional<String> secret,
                                     ConnectionLimits limits) {

    public ExecutorShuffleContext {
        Objects.requireNonNull(applicationId, "applicationId is null");
        Objects.requireNonNull(executorId, "executorId is null");
        Objects.requireNonNull(host, "host is null");
        localDirs = List.copyOf(localDirs);
        if (localDirs.isEmpty()) {
            throw new IllegalArgumentException("an executor needs at least one local directory for shuffle files");
        }
        Objects.requireNonNull(service, "service is null");
        Objects.requireNonNull(secret, "secret is null");
        Objects.requireNonNull(limits, "limits is null");
    }

    /** A context with the {@link ConnectionLimits#DEFAULTS default limits}. */
    public ExecutorShuffleContext(String applicationId, String executorId, String host, List<Path> localDirs,
                                  Optional<ServiceAddress> service, Optional<String> secret) {
        this(applicationId, executorId, host, localDirs, service, secret, ConnectionLimits.DEFAULTS);
    }

    /**
     * The address of an external shuffle service.
     *
     * @param host its host
     * @param port its port
     */
    public record ServiceAddress(String host, int port) {
        public ServiceAddress {
            Objects.requireNonNull(host, "host is null");
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("port must be 1..65535: " + port);
            }
        }
    }

    @Override
    public String toString() {
        return "ExecutorShuffleContext[" + applicationId + "/" + executorId + " on " + host + ", dirs " + localDirs
                + ", service " + service.map(s -> s.host() + ":" + s.port()).orElse("none")
                + (secret.isPresent() ? ", authenticated" : "") + "]";
    }
}
