package io.ember.core.executor;

import static java.util.Objects.requireNonNull;

import io.ember.core.serialization.JavaSerializer;
import io.ember.core.task.StageCode;

/**
 * One stage's code on an executor: the bytes the driver sent, deserialized once, by the first task
 * thread that needs them (the others wait for it), then kept; the bytes are let go. A failure to
 * deserialize is kept too: every task of the stage fails with it.
 *
 * <p>Thread-safe.
 */
final class StageSlot {

    private final int stageId;
    private final int jobId;
    /** Guarded by this; null once deserialized (or failed). */
    private byte[] bytes;
    private volatile StageCode code;
    /** Guarded by this. */
    private RuntimeException failure;

    StageSlot(int stageId, int jobId, byte[] bytes) {
        this.stageId = stageId;
        this.jobId = jobId;
        this.bytes = requireNonNull(bytes, "bytes is null");
    }

    int stageId() {
        return stageId;
    }

    /** The job the stage belongs to. */
    int jobId() {
        return jobId;
    }

    /**
     * The stage's code, deserialized with {@code loader} on the first call.
     *
     * @throws RuntimeException why it cannot be deserialized (the same for every call)
     */
    StageCode code(JavaSerializer serializer, ClassLoader loader) {
        StageCode loaded = code;
        if (loaded != null) {
            return loaded;
        }
        synchronized (this) {
            if (code != null) {
                return code;
            }
            if (failure != null) {
                throw failure;
            }
            try {
                Object value = serializer.deserialize(bytes, loader);
                if (!(value instanceof StageCode stageCode)) {
                    throw new IllegalStateException("the code of stage " + stageId + " is "
                            + (value == null ? "null" : "a " + value.getClass().getName()) + ", not a "
                            + StageCode.class.getName());
                }
                code = stageCode;
                return stageCode;
            } catch (RuntimeException e) {
                failure = e;
                throw e;
            } finally {
                if (code != null || failure != null) {
                    bytes = null;
                }
            }
        }
    }

    @Override
    public String toString() {
        return "StageSlot[stage " + stageId + (code != null ? ", loaded" : "") + "]";
    }
}
