package io.ember.plugins;

import static io.ember.plugins.PluginDiscoveryTest.manager;
import static io.ember.plugins.PluginDiscoveryTest.testClassLoader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class PluginManagerLifecycleTest {

    @TempDir
    Path pluginsDir;

    @TempDir
    Path elsewhere;

    @Test
    void refusesToLoadTwice() {
        try (PluginManager manager = manager(pluginsDir, testClassLoader())) {
            manager.load();

            IllegalStateException e = assertThrows(IllegalStateException.class, manager::load);
            assertTrue(e.getMessage().contains("already loaded"), e.getMessage());
        }
    }

    @Test
    void refusesToLoadAfterClose() {
        PluginManager manager = manager(pluginsDir, testClassLoader());
        manager.close();

        IllegalStateException e = assertThrows(IllegalStateException.class, manager::load);
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void closesThePluginClassLoadersOnceAndLeavesTheHostsAlone() throws IOException {
        TestingPlugin.plugin("closable").scheduler("closable").writeTo(pluginsDir.resolve("closable/closable.jar"));
        Path builtInJar = TestingPlugin.plugin("built-in").scheduler("built-in").writeTo(elsewhere.resolve("built-in.jar"));

        try (URLClassLoader hostClassPath = new URLClassLoader(new URL[] {builtInJar.toUri().toURL()}, testClassLoader())) {
            PluginManager manager = manager(pluginsDir, hostClassPath);
            PluginSet plugins = manager.load();
            ClassLoader pluginLoader = plugins.plugins().get(1).classLoader();
            assertNotNull(pluginLoader.getResource(PluginArchive.SERVICE_FILE));

            manager.close();
            manager.close();

            assertNull(pluginLoader.getResource(PluginArchive.SERVICE_FILE), "the plugin's class loader is still open");
            assertNotNull(hostClassPath.getResource(PluginArchive.SERVICE_FILE), "the host's class loader was closed");
        }
    }

    @Test
    void rejectsAPluginsPathThatIsAFile() throws IOException {
        Path file = Files.writeString(elsewhere.resolve("plugins"), "not a directory");

        try (PluginManager manager = manager(file, testClassLoader())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, manager::load);

            assertEquals("the plugins directory is not a directory: " + file.toAbsolutePath(), e.getMessage());
        }
    }
}
