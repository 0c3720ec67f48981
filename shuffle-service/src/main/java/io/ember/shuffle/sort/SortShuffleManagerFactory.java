package io.ember.shuffle.sort;

import static java.util.Objects.requireNonNull;

import io.ember.api.config.ConfigKey;
import io.ember.api.config.Settings;
import io.ember.api.shuffle.ShuffleManager;
import io.ember.api.shuffle.ShuffleManagerFactory;
import java.util.List;

/**
 * The {@code sort} shuffle ({@code ember.shuffle=sort}, the default): map tasks sort records by
 * partition into one file per map task, and an external shuffle service on each worker serves
 * them. Its settings are declared by {@link SortShuffleSettings}.
 *
 * <p>Stateless and thread-safe; every {@link #create} returns a new manager.
 */
public final class SortShuffleManagerFactory implements ShuffleManagerFactory {

    /** The name operators select this shuffle by. */
    public static final String NAME = "sort";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Sort-based shuffle: one sorted file per map task, served by an external shuffle service";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return SortShuffleSettings.KEYS;
    }

    @Override
    public ShuffleManager create(Settings settings) {
        return new SortShuffleManager(SortShuffleSettings.from(requireNonNull(settings, "settings is null")));
    }
}
