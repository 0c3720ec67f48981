package io.ember.shuffle.sort;

import io.ember.api.plugin.Plugin;
import io.ember.api.shuffle.ShuffleManagerFactory;
import java.util.List;

/**
 * The {@code shuffle-service} plugin: offers the {@code sort} shuffle. Found by
 * {@link java.util.ServiceLoader} through {@code META-INF/services/io.ember.api.plugin.Plugin}.
 *
 * <p>Stateless and thread-safe.
 */
public final class SortShufflePlugin implements Plugin {

    /** The plugin's name. */
    public static final String NAME = "shuffle-service";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<ShuffleManagerFactory> shuffleManagerFactories() {
        return List.of(new SortShuffleManagerFactory());
    }
}
