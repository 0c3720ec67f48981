package io.ember.core.config;

import java.util.Locale;
import java.util.Set;

/**
 * How keys map to {@code EMBER_*} environment variables: {@code ember.task.cpus} is
 * {@code EMBER_TASK_CPUS}, {@code ember.scheduler.reloadInterval} is
 * {@code EMBER_SCHEDULER_RELOADINTERVAL}. Pattern keys have no environment form.
 */
final class EnvironmentVariables {

    /** Every environment variable Ember reads starts with this. */
    static final String PREFIX = "EMBER_";

    /** Variables of the launcher scripts, never settings. */
    static final Set<String> RESERVED =
            Set.of("EMBER_HOME", "EMBER_CONF_DIR", "EMBER_JAVA_OPTS", "EMBER_JAVA", "EMBER_LOG_DIR");

    private static final String KEY_PREFIX = "ember.";

    private EnvironmentVariables() {
    }

    /**
     * The variable for a full key: {@code EMBER_} and the key without {@code ember.}, upper-cased,
     * with {@code .} and {@code -} as {@code _}.
     *
     * @throws IllegalArgumentException when the key does not start with {@code ember.}
     */
    static String nameOf(String fullKey) {
        if (!fullKey.startsWith(KEY_PREFIX)) {
            throw new IllegalArgumentException("not an Ember key: " + fullKey);
        }
        return PREFIX + fullKey.substring(KEY_PREFIX.length()).toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** Whether a variable is one Ember reads as a setting: {@code EMBER_*}, not reserved. */
    static boolean isSetting(String variable) {
        return variable.startsWith(PREFIX) && !RESERVED.contains(variable);
    }
}
