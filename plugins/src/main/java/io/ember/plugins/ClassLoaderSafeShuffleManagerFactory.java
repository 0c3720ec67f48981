package io.ember.plugins;

import io.ember.api.config.Settings;
import io.ember.api.shuffle.ShuffleManager;
import io.ember.api.shuffle.ShuffleManagerFactory;

/**
 * A plugin's {@link ShuffleManagerFactory} as the host sees it: {@link #create} runs with the plugin's class
 * loader as the thread context class loader and returns a {@link ShuffleManager} wrapped the same way.
 * Thread-safe when the delegate is.
 */
final class ClassLoaderSafeShuffleManagerFactory extends ClassLoaderSafeFactory<ShuffleManagerFactory> implements ShuffleManagerFactory {

    ClassLoaderSafeShuffleManagerFactory(ShuffleManagerFactory delegate, FactoryMetadata metadata, ClassLoader classLoader) {
        super(delegate, metadata, classLoader);
    }

    @Override
    public ShuffleManager create(Settings settings) {
        return new ClassLoaderSafeShuffleManager(create(() -> delegate.create(settings)), classLoader);
    }
}
