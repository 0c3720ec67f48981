package io.ember.core.config;

import static java.util.Objects.requireNonNull;

/**
 * One value as a source gave it, before it is checked against any declaration.
 *
 * @param source which layer it comes from
 * @param name the name as written: a full key ({@code ember.task.cpus}), a key relative to
 *     {@code policyFile}'s prefix, or an environment variable's name
 * @param value the text, unescaped but otherwise as written
 * @param origin where it was written, for messages ({@code conf/ember.properties:4})
 * @param policyFile the policy file it comes from, or {@code null} unless {@code source} is
 *     {@link Source#POLICY_FILE}
 */
record RawSetting(Source source, String name, String value, String origin, PolicyFile policyFile) {

    /** The layers, lowest precedence first. */
    enum Source { MAIN_FILE, POLICY_FILE, ENVIRONMENT, SYSTEM_PROPERTY, APPLICATION }

    RawSetting {
        requireNonNull(source, "source is null");
        requireNonNull(name, "name is null");
        requireNonNull(value, "value is null");
        requireNonNull(origin, "origin is null");
        if ((source == Source.POLICY_FILE) != (policyFile != null)) {
            throw new IllegalArgumentException("a policy file goes with source POLICY_FILE only: " + source);
        }
    }

    /** Whether this gives a value to the full key {@code fullKey}. */
    boolean sets(String fullKey) {
        return switch (source) {
            case POLICY_FILE -> fullKey.equals(policyFile.prefix() + name);
            case ENVIRONMENT -> fullKey.startsWith("ember.") && name.equals(EnvironmentVariables.nameOf(fullKey));
            case MAIN_FILE, SYSTEM_PROPERTY, APPLICATION -> fullKey.equals(name);
        };
    }
}
