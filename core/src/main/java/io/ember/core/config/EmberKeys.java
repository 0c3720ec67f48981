package io.ember.core.config;

import io.ember.api.config.ConfigKey;
import io.ember.api.plugin.PolicyKind;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Ember's own settings, the keys of {@code conf/ember.properties} (every plugin declares its own
 * keys through {@link io.ember.api.plugin.PolicyFactory#configKeys()}).
 *
 * <p>Every constant is immutable; read values through {@link EmberConfig#get(ConfigKey)}.
 */
public final class EmberKeys {

    private static final Pattern POLICY_NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final Pattern PACKAGE_NAME =
            Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*\\.?");
    private static final String POLICY_NAME_RULE = "a policy name (lower-case letters, digits and -)";

    /** Which scheduler plugin to use, by factory name. */
    public static final ConfigKey<String> SCHEDULER = ConfigKey.stringKey("ember.scheduler")
            .defaultValue("fifo")
            .check(EmberKeys::isPolicyName, POLICY_NAME_RULE)
            .doc("Which scheduler plugin orders task sets within an application and applications across the "
                    + "cluster, by factory name: fifo, fair, or one another plugin offers. Its settings go in "
                    + "conf/scheduler-<name>.properties.")
            .build();

    /** Which executor allocation policy to use, by factory name. */
    public static final ConfigKey<String> ALLOCATION = ConfigKey.stringKey("ember.allocation")
            .defaultValue("static")
            .check(EmberKeys::isPolicyName, POLICY_NAME_RULE)
            .doc("Which allocation policy decides how many executors an application holds, by factory name: "
                    + "static (built in, holds ember.executor.instances executors), dynamic, or one another plugin "
                    + "offers. Its settings go in conf/allocation-<name>.properties.")
            .build();

    /** Which shuffle implementation to use, by factory name. */
    public static final ConfigKey<String> SHUFFLE = ConfigKey.stringKey("ember.shuffle")
            .defaultValue("sort")
            .check(EmberKeys::isPolicyName, POLICY_NAME_RULE)
            .doc("Which shuffle implementation writes, stores and serves shuffle data, by factory name: sort, "
                    + "or one another plugin offers. Its settings go in conf/shuffle-<name>.properties.")
            .build();

    /** The directory of plugin folders. */
    public static final ConfigKey<String> PLUGINS_DIR = ConfigKey.stringKey("ember.plugins.dir")
            .defaultValue("plugins")
            .check(dir -> !dir.isEmpty(), "not empty")
            .doc("The directory holding one folder per plugin. A relative path resolves against EMBER_HOME when "
                    + "that environment variable is set, else against the working directory.")
            .build();

    /** Extra packages plugins share with the host. */
    public static final ConfigKey<String> PLUGINS_PARENT_FIRST_PACKAGES =
            ConfigKey.stringKey("ember.plugins.parentFirstPackages")
                    .defaultValue("")
                    .check(EmberKeys::isPackageList, "comma-separated Java package names")
                    .doc("Comma-separated package prefixes that plugins load from the host rather than from their "
                            + "own folder, in addition to io.ember.api, the JDK and the logging API. Each shared "
                            + "package ties every plugin to the host's version of it, so keep this short.")
                    .build();

    /** Executors an application holds under the static allocation policy. */
    public static final ConfigKey<Integer> EXECUTOR_INSTANCES = ConfigKey.intKey("ember.executor.instances")
            .defaultValue(2)
            .min(0)
            .doc("How many executors an application holds under the static allocation policy; a dynamic policy "
                    + "may treat it as its initial request.")
            .build();

    /** Cores per executor. */
    public static final ConfigKey<Integer> EXECUTOR_CORES = ConfigKey.intKey("ember.executor.cores")
            .defaultValue(1)
            .min(1)
            .doc("Cores each executor offers to tasks.")
            .build();

    /** Cores per task. */
    public static final ConfigKey<Integer> TASK_CPUS = ConfigKey.intKey("ember.task.cpus")
            .defaultValue(1)
            .min(1)
            .doc("Cores each task occupies; an executor runs ember.executor.cores / ember.task.cpus tasks at once, "
                    + "so this must not exceed ember.executor.cores.")
            .build();

    private static final List<ConfigKey<?>> ALL = List.of(
            SCHEDULER, ALLOCATION, SHUFFLE,
            PLUGINS_DIR, PLUGINS_PARENT_FIRST_PACKAGES,
            EXECUTOR_INSTANCES, EXECUTOR_CORES, TASK_CPUS);

    private EmberKeys() {
    }

    /** Every core key, in the order the documentation and the template list them. */
    public static List<ConfigKey<?>> all() {
        return ALL;
    }

    /** The key that selects the policy of a kind: {@link #SCHEDULER}, {@link #ALLOCATION} or {@link #SHUFFLE}. */
    public static ConfigKey<String> selector(PolicyKind kind) {
        return switch (kind) {
            case SCHEDULER -> SCHEDULER;
            case ALLOCATION -> ALLOCATION;
            case SHUFFLE -> SHUFFLE;
        };
    }

    private static boolean isPolicyName(String name) {
        return POLICY_NAME.matcher(name).matches();
    }

    private static boolean isPackageList(String list) {
        if (list.isEmpty()) {
            return true;
        }
        for (String element : list.split(",", -1)) {
            if (!PACKAGE_NAME.matcher(element.trim()).matches()) {
                return false;
            }
        }
        return true;
    }
}
