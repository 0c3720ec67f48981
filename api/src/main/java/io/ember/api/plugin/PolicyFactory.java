package io.ember.api.plugin;

import io.ember.api.config.ConfigKey;
import java.util.List;

/**
 * What every policy factory has in common: a name an operator selects it by, and the settings it
 * reads.
 *
 * <p>The operator chooses a factory by name with the {@link PolicyKind#selectorKey() selector key}
 * of its kind ({@code ember.scheduler=fair}) and configures it in
 * {@code conf/<kind>-<name>.properties} ({@code conf/scheduler-fair.properties}) or under the
 * prefix {@code ember.<kind>.<name>.} anywhere else. The host validates every configured value
 * against {@link #configKeys()} before it calls {@code create}, and refuses any key under the
 * factory's prefix that is not declared.
 *
 * <p>Threading: the metadata methods are called once at start-up and must return the same answer
 * every time.
 */
public interface PolicyFactory {

    /**
     * The name operators select this policy by: lower-case letters, digits and {@code -}, unique
     * within its {@link PolicyKind} among all loaded plugins.
     */
    String name();

    /** One line saying what the policy does, for {@code ember plugins}. */
    default String description() {
        return "";
    }

    /**
     * Every setting this policy reads, relative to its prefix. Keys may be patterns
     * ({@code pool.<name>.weight}).
     */
    default List<ConfigKey<?>> configKeys() {
        return List.of();
    }
}
