package io.ember.shuffle.sort;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The messages of the shuffle protocol, as {@link MessageCodec} frames them. Requests carry an id
 * the server echoes in its replies, so a client matches replies to requests on one connection.
 *
 * <p>Records: immutable and thread-safe.
 */
sealed interface ShuffleMessage {

    /** Server to client, first on every connection: whether to authenticate, and the nonce to sign. */
    record Hello(boolean authRequired, byte[] nonce) implements ShuffleMessage {
        public Hello {
            requireNonNull(nonce, "nonce is null");
        }
    }

    /** Client to server: HMAC of the nonce, see {@link ShuffleAuth}. */
    record AuthResponse(byte[] mac) implements ShuffleMessage {
        public AuthResponse {
            requireNonNull(mac, "mac is null");
        }
    }

    /**
     * Client to server, as versions before the service created the directories sent it: an
     * executor's local directories. Still decoded, so that such a client is refused with a clear
     * {@link Error}; a service never accepts a directory from a message.
     */
    record RegisterExecutorDirs(long requestId, String appId, String executorId, List<String> localDirs)
            implements ShuffleMessage {
        public RegisterExecutorDirs {
            requireNonNull(appId, "appId is null");
            requireNonNull(executorId, "executorId is null");
            localDirs = List.copyOf(localDirs);
        }
    }

    /**
     * Client to server: register an executor, replacing an earlier registration; the service
     * creates {@code dirCount} directories for its output and answers {@link Registered}.
     */
    record RegisterExecutor(long requestId, String appId, String executorId, int dirCount) implements ShuffleMessage {
        public RegisterExecutor {
            requireNonNull(appId, "appId is null");
            requireNonNull(executorId, "executorId is null");
        }
    }

    /** Server to client: a registration succeeded; the executor writes its output to these directories, in order. */
    record Registered(long requestId, List<String> dirs) implements ShuffleMessage {
        public Registered {
            dirs = List.copyOf(dirs);
        }
    }

    /** Client to server: blocks of one executor, as text the server parses strictly. */
    record FetchBlocks(long requestId, String appId, String executorId, List<String> blockIds)
            implements ShuffleMessage {
        public FetchBlocks {
            requireNonNull(appId, "appId is null");
            requireNonNull(executorId, "executorId is null");
            blockIds = List.copyOf(blockIds);
        }
    }

    /** Client to server: an application ended. */
    record ApplicationRemoved(long requestId, String appId) implements ShuffleMessage {
        public ApplicationRemoved {
            requireNonNull(appId, "appId is null");
        }
    }

    /**
     * Client to server: the application's driver cleaned up a shuffle nothing references any more;
     * the service deletes its files for every executor of the application it registered (those that
     * exited too).
     */
    record ShuffleRemoved(long requestId, String appId, int shuffleId) implements ShuffleMessage {
        public ShuffleRemoved {
            requireNonNull(appId, "appId is null");
        }
    }

    /** Server to client: a removal succeeded. */
    record Ok(long requestId) implements ShuffleMessage {
    }

    /** Server to client: a whole request was refused. */
    record Error(long requestId, String message) implements ShuffleMessage {
        public Error {
            requireNonNull(message, "message is null");
        }
    }

    /**
     * Server to client: one block follows, as exactly {@code length} raw bytes after this frame.
     *
     * @param algorithm the checksum's algorithm, or {@code null} when the block carries none
     */
    record BlockHeader(long requestId, String blockId, long length, ChecksumAlgorithm algorithm, long checksum)
            implements ShuffleMessage {
        public BlockHeader {
            requireNonNull(blockId, "blockId is null");
        }
    }

    /** Server to client: one block of a fetch cannot be served. */
    record BlockError(long requestId, String blockId, String message) implements ShuffleMessage {
        public BlockError {
            requireNonNull(blockId, "blockId is null");
            requireNonNull(message, "message is null");
        }
    }
}
