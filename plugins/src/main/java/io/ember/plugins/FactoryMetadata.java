package io.ember.plugins;

import static java.util.Objects.requireNonNull;

import io.ember.api.config.ConfigKey;
import io.ember.api.plugin.PolicyKind;
import java.util.List;

/**
 * What a policy factory said about itself when its plugin was loaded. The API requires these answers
 * never to change, so the host asks once and answers later questions itself, without calling into
 * plugin code.
 *
 * @param kind the kind of policy the factory creates
 * @param name the factory's name
 * @param description its one-line description
 * @param configKeys the settings it reads
 */
record FactoryMetadata(PolicyKind kind, String name, String description, List<ConfigKey<?>> configKeys) {

    FactoryMetadata {
        requireNonNull(kind, "kind is null");
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        configKeys = List.copyOf(requireNonNull(configKeys, "configKeys is null"));
    }

    /** {@code scheduler 'fair'}. */
    String label() {
        return kind.id() + " '" + name + "'";
    }
}
