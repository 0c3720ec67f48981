package io.ember.core.config;

import static java.util.Objects.requireNonNull;

import io.ember.api.plugin.PolicyKind;

/**
 * A policy's own properties file, {@code conf/<kind>-<name>.properties}, whose keys are relative to
 * the policy's prefix.
 *
 * @param kind the kind named by the file
 * @param name the policy name named by the file (not necessarily one any plugin offers)
 * @param path the file as messages show it, e.g. {@code conf/scheduler-fair.properties}
 */
record PolicyFile(PolicyKind kind, String name, String path) {

    PolicyFile {
        requireNonNull(kind, "kind is null");
        requireNonNull(name, "name is null");
        requireNonNull(path, "path is null");
    }

    /** The prefix of this file's keys in the global namespace: {@code ember.scheduler.fair.}. */
    String prefix() {
        return kind.settingsPrefix(name);
    }
}
