package io.ember.api.plugin;

import io.ember.api.allocation.AllocationPolicyFactory;
import io.ember.api.scheduler.SchedulerFactory;
import io.ember.api.shuffle.ShuffleManagerFactory;
import java.util.Objects;

/**
 * The kinds of policy a plugin can offer, with the naming rules that tie a policy to its settings.
 */
public enum PolicyKind {
    /** Orders task sets inside an application and applications across the cluster. */
    SCHEDULER("scheduler", SchedulerFactory.class),
    /** Decides how many executors an application holds. */
    ALLOCATION("allocation", AllocationPolicyFactory.class),
    /** Writes, stores and serves shuffle data. */
    SHUFFLE("shuffle", ShuffleManagerFactory.class);

    private final String id;
    private final Class<? extends PolicyFactory> factoryType;

    PolicyKind(String id, Class<? extends PolicyFactory> factoryType) {
        this.id = id;
        this.factoryType = factoryType;
    }

    /** The lower-case word for this kind: {@code scheduler}, {@code allocation}, {@code shuffle}. */
    public String id() {
        return id;
    }

    /** The factory interface of this kind. */
    public Class<? extends PolicyFactory> factoryType() {
        return factoryType;
    }

    /** The key that selects a policy of this kind by name: {@code ember.scheduler}. */
    public String selectorKey() {
        return "ember." + id;
    }

    /** The prefix of a policy's settings in the global namespace: {@code ember.scheduler.fair.}. */
    public String settingsPrefix(String policyName) {
        return "ember." + id + "." + Objects.requireNonNull(policyName, "policyName is null") + ".";
    }

    /** The name of a policy's own properties file: {@code scheduler-fair.properties}. */
    public String fileName(String policyName) {
        return id + "-" + Objects.requireNonNull(policyName, "policyName is null") + ".properties";
    }
}
