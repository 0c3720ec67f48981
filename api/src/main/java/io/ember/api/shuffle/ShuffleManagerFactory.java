package io.ember.api.shuffle;

import io.ember.api.config.Settings;
import io.ember.api.plugin.PolicyFactory;

/**
 * Creates a {@link ShuffleManager}. Selected with {@code ember.shuffle=<name>}; the default is
 * {@code sort}.
 */
public interface ShuffleManagerFactory extends PolicyFactory {

    /**
     * Creates the shuffle manager of one process (driver, executor or worker) from its settings
     * (prefix {@code ember.shuffle.<name>.} stripped). Called on a start-up thread.
     *
     * @throws io.ember.api.config.InvalidSettingException when the settings cannot be accepted
     */
    ShuffleManager create(Settings settings);
}
