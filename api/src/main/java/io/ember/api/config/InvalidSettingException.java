package io.ember.api.config;

import java.util.Objects;

/**
 * A setting whose value cannot be accepted. The message names the full key, where its value came
 * from and why: {@code "ember.allocation.dynamic.minExecutors (conf/allocation-dynamic.properties:3):
 * must not exceed maxExecutors (4)"}.
 */
public class InvalidSettingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final String origin;
    private final String reason;

    /**
     * @param key the full key
     * @param origin where the value came from (see {@link Settings#origin})
     * @param reason why it is refused
     */
    public InvalidSettingException(String key, String origin, String reason) {
        super(key + " (" + origin + "): " + reason);
        this.key = Objects.requireNonNull(key, "key is null");
        this.origin = Objects.requireNonNull(origin, "origin is null");
        this.reason = Objects.requireNonNull(reason, "reason is null");
    }

    /** The full key. */
    public String key() {
        return key;
    }

    /** Where the value came from. */
    public String origin() {
        return origin;
    }

    /** Why it is refused. */
    public String reason() {
        return reason;
    }
}
