package io.ember.api.shuffle;

import java.util.Objects;

/**
 * Where map output can be fetched: the shuffle server at {@code host:port} (the external shuffle
 * service of the writer's host, or the writing executor itself when there is no service), holding
 * the files of executor {@code executorId} of the application.
 *
 * @param executorId the executor that wrote the output (the service finds its files by it)
 * @param host the server's host
 * @param port the server's port
 */
public record BlockLocation(String executorId, String host, int port) implements java.io.Serializable {

    public BlockLocation {
        Objects.requireNonNull(executorId, "executorId is null");
        Objects.requireNonNull(host, "host is null");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be 1..65535: " + port);
        }
    }
}
