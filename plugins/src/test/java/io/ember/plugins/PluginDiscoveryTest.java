package io.ember.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.ApiVersion;
import io.ember.api.config.DeclaredSettings;
import io.ember.api.plugin.PolicyKind;
import io.ember.api.scheduler.SchedulerFactory;
import io.ember.api.scheduler.SchedulingLevel;
import io.ember.api.scheduler.SchedulingQueue;
import io.ember.api.shuffle.ShuffleManager;
import io.ember.api.shuffle.ShuffleManagerFactory;
import io.ember.api.testkit.TestingSchedulable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class PluginDiscoveryTest {

    @TempDir
    Path pluginsDir;

    @TempDir
    Path elsewhere;

    @Test
    void loadsAFolderPluginAndItsFactoryWorksThroughTheHost() {
        TestingPlugin.plugin("scheduler-lifo").scheduler("lifo").jar()
                .implementationVersion("0.3.0")
                .writeTo(pluginsDir.resolve("scheduler-lifo/ember-scheduler-lifo-0.3.0.jar"));

        try (PluginManager manager = manager(pluginsDir, testClassLoader())) {
            PluginSet plugins = manager.load();

            assertEquals(List.of(), plugins.refusals());
            LoadedPlugin plugin = plugins.plugins().get(0);
            assertEquals(1, plugins.plugins().size());
            assertEquals("scheduler-lifo", plugin.name());
            assertEquals("0.3.0", plugin.version());
            assertEquals(ApiVersion.current(), plugin.apiVersion());
            assertEquals(pluginsDir.resolve("scheduler-lifo").toAbsolutePath().toString(), plugin.location());
            assertFalse(plugin.builtIn());
            assertInstanceOf(PluginClassLoader.class, plugin.classLoader());
            assertEquals(List.of("lifo"), List.copyOf(plugins.schedulerFactories().keySet()));
            assertSame(plugin, plugins.pluginOffering(PolicyKind.SCHEDULER, "lifo").orElseThrow());

            SchedulerFactory factory = plugins.schedulerFactories().get("lifo");
            SchedulingQueue queue = factory.create(DeclaredSettings.of(factory.configKeys(), Map.of())).createQueue(SchedulingLevel.TASK_SETS);
            queue.add(TestingSchedulable.item("first", 1, 1));
            queue.add(TestingSchedulable.item("second", 2, 1));
            queue.add(TestingSchedulable.item("third", 3, 1));
            assertEquals("third", queue.next().name());
            assertEquals("second", queue.offer(item -> !item.name().equals("third")).name());
            assertNull(queue.offer(item -> false));
        }
    }

    @Test
    void loadsALooseJarAtTheTopLevelAsAPluginOfItsOwn() {
        Path jar = TestingPlugin.plugin("shuffle-named").shuffle("named").writeTo(pluginsDir.resolve("shuffle-named.jar"));

        try (PluginManager manager = manager(pluginsDir, testClassLoader())) {
            PluginSet plugins = manager.load();

            assertEquals(List.of(), plugins.refusals());
            LoadedPlugin plugin = plugins.plugins().get(0);
            assertEquals("shuffle-named", plugin.name());
            assertEquals(jar.toAbsolutePath().toString(), plugin.location());
            assertEquals("unknown", plugin.version());
            assertInstanceOf(PluginClassLoader.class, plugin.classLoader());
            ShuffleManagerFactory factory = plugins.shuffleManagerFactories().get("named");
            try (ShuffleManager shuffle = factory.create(DeclaredSettings.of(factory.configKeys(), Map.of()))) {
                assertEquals("named", shuffle.name());
            }
        }
    }

    @Test
    void findsBuiltInsOnTheHostClassPathAndLoadsThemFirst() throws IOException {
        Path builtInJar = TestingPlugin.plugin("zz-built-in").scheduler("builtin-lifo").jar()
                .implementationVersion("2.5.1")
                .writeTo(elsewhere.resolve("ember-built-in.jar"));
        TestingPlugin.plugin("aa-folder").scheduler("folder-lifo").writeTo(pluginsDir.resolve("aa-folder/aa.jar"));

        try (URLClassLoader hostClassPath = new URLClassLoader(new URL[] {builtInJar.toUri().toURL()}, testClassLoader());
             PluginManager manager = manager(pluginsDir, hostClassPath)) {
            PluginSet plugins = manager.load();

            assertEquals(List.of(), plugins.refusals());
            assertEquals(List.of("zz-built-in", "aa-folder"), plugins.plugins().stream().map(LoadedPlugin::name).toList());
            LoadedPlugin builtIn = plugins.plugins().get(0);
            assertTrue(builtIn.builtIn());
            assertEquals("class path (" + builtInJar.toAbsolutePath() + ")", builtIn.location());
            assertEquals("2.5.1", builtIn.version());
            assertSame(hostClassPath, builtIn.classLoader());
            assertFalse(plugins.plugins().get(1).builtIn());
            assertEquals(List.of("builtin-lifo", "folder-lifo"), List.copyOf(plugins.schedulerFactories().keySet()));
        }
    }

    @Test
    void takesABuiltInFromAClassesDirectoryWithoutManifestAsBuiltAgainstTheHostApi() throws IOException {
        Path jar = TestingPlugin.plugin("from-classes").allocation("steady").jar()
                .withoutApiVersion()
                .writeTo(elsewhere.resolve("from-classes.jar"));
        Path classes = unpackWithoutManifest(jar, elsewhere.resolve("target/classes"));

        try (URLClassLoader hostClassPath = new URLClassLoader(new URL[] {classes.toUri().toURL()}, testClassLoader());
             PluginManager manager = manager(pluginsDir.resolve("absent"), hostClassPath)) {
            PluginSet plugins = manager.load();

            assertEquals(List.of(), plugins.refusals());
            LoadedPlugin plugin = plugins.plugins().get(0);
            assertEquals("from-classes", plugin.name());
            assertEquals(ApiVersion.current(), plugin.apiVersion());
            assertEquals("unknown", plugin.version());
            assertEquals("class path (" + classes.toAbsolutePath() + ")", plugin.location());
            assertEquals(List.of("steady"), List.copyOf(plugins.allocationPolicyFactories().keySet()));
        }
    }

    @Test
    void loadsOnlyBuiltInsWhenThePluginsDirectoryIsMissing() throws IOException {
        Path builtInJar = TestingPlugin.plugin("built-in").scheduler("lifo").writeTo(elsewhere.resolve("built-in.jar"));

        try (URLClassLoader hostClassPath = new URLClassLoader(new URL[] {builtInJar.toUri().toURL()}, testClassLoader());
             PluginManager manager = manager(pluginsDir.resolve("does-not-exist"), hostClassPath)) {
            PluginSet plugins = manager.load();

            assertEquals(List.of(), plugins.refusals());
            assertEquals(List.of("built-in"), plugins.plugins().stream().map(LoadedPlugin::name).toList());
            assertTrue(plugins.plugins().get(0).builtIn());
        }
    }

    @Test
    void loadsThePluginsDirectoryInFileNameOrder() {
        TestingPlugin.plugin("third").scheduler("c").writeTo(pluginsDir.resolve("c-third.jar"));
        TestingPlugin.plugin("second").scheduler("b").writeTo(pluginsDir.resolve("b-second/b.jar"));
        TestingPlugin.plugin("first").scheduler("a").writeTo(pluginsDir.resolve("a-first/a.jar"));

        try (PluginManager manager = manager(pluginsDir, testClassLoader())) {
            PluginSet plugins = manager.load();

            assertEquals(List.of("first", "second", "third"), plugins.plugins().stream().map(LoadedPlugin::name).toList());
        }
    }

    @Test
    void ignoresHiddenEntriesAndFilesThatAreNotJars() throws IOException {
        TestingPlugin.plugin("visible").scheduler("lifo").writeTo(pluginsDir.resolve("visible/visible.jar"));
        Files.writeString(pluginsDir.resolve("README.txt"), "drop plugin folders here");
        Files.writeString(pluginsDir.resolve(".broken.jar"), "not a zip");
        Files.createDirectories(pluginsDir.resolve(".staging"));
        Files.writeString(pluginsDir.resolve(".staging/half-copied.jar"), "not a zip");
        Files.writeString(pluginsDir.resolve("visible/NOTICE"), "third-party notices");
        Files.writeString(pluginsDir.resolve("visible/.partial.jar"), "not a zip");

        try (PluginManager manager = manager(pluginsDir, testClassLoader())) {
            PluginSet plugins = manager.load();

            assertEquals(List.of(), plugins.refusals());
            assertEquals(List.of("visible"), plugins.plugins().stream().map(LoadedPlugin::name).toList());
        }
    }

    @Test
    void listsAllFactoriesOfAKindSortedByName() {
        TestingPlugin.plugin("many").scheduler("zeta").scheduler("alpha").allocation("mid").shuffle("alpha")
                .writeTo(pluginsDir.resolve("many/many.jar"));

        try (PluginManager manager = manager(pluginsDir, testClassLoader())) {
            PluginSet plugins = manager.load();

            assertEquals(List.of("alpha", "zeta"), List.copyOf(plugins.factories(PolicyKind.SCHEDULER).keySet()));
            assertEquals(List.of("mid"), List.copyOf(plugins.factories(PolicyKind.ALLOCATION).keySet()));
            assertEquals(List.of("alpha"), List.copyOf(plugins.factories(PolicyKind.SHUFFLE).keySet()));
            assertEquals("scheduler zeta, scheduler alpha, allocation mid, shuffle alpha", plugins.plugins().get(0).offerings());
            assertTrue(plugins.pluginOffering(PolicyKind.ALLOCATION, "alpha").isEmpty());
        }
    }

    static PluginManager manager(Path pluginsDir, ClassLoader builtIns) {
        return new PluginManager(pluginsDir, List.of(), builtIns);
    }

    static ClassLoader testClassLoader() {
        return PluginDiscoveryTest.class.getClassLoader();
    }

    /** Unpacks a JAR's entries, leaving out its manifest, as a build's classes directory would look. */
    private static Path unpackWithoutManifest(Path jar, Path directory) throws IOException {
        try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
            for (JarEntry entry = in.getNextJarEntry(); entry != null; entry = in.getNextJarEntry()) {
                if (entry.isDirectory() || entry.getName().equals(JarFile.MANIFEST_NAME)) {
                    continue;
                }
                Path target = directory.resolve(entry.getName());
                Files.createDirectories(target.getParent());
                Files.copy((InputStream) in, target);
            }
        }
        return directory;
    }
}
