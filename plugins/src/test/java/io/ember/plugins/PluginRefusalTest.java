package io.ember.plugins;

import static io.ember.plugins.PluginDiscoveryTest.manager;
import static io.ember.plugins.PluginDiscoveryTest.testClassLoader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.ApiVersion;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way a plugin is refused. Each test puts a healthy plugin next to the refused one and checks
 * that it still loads, and that the refusal names the plugin, its location and the reason.
 */
final class PluginRefusalTest {

    private static final String SERVICE_FILE = "META-INF/services/io.ember.api.plugin.Plugin";

    @TempDir
    Path pluginsDir;

    @TempDir
    Path elsewhere;

    @BeforeEach
    void writeHealthyPlugin() {
        TestingPlugin.plugin("healthy").scheduler("healthy-lifo").writeTo(pluginsDir.resolve("healthy/healthy.jar"));
    }

    @Test
    void refusesAFolderWhereNoJarDeclaresAProvider() {
        TestingPluginJar.jar().source("lib.a.A", "package lib.a; public class A {}").writeTo(pluginsDir.resolve("libs-only/a.jar"));
        TestingPluginJar.jar().source("lib.b.B", "package lib.b; public class B {}").writeTo(pluginsDir.resolve("libs-only/b.jar"));

        PluginRefusal refusal = loadExpectingOneRefusal();

        assertEquals("libs-only", refusal.plugin());
        assertEquals(pluginsDir.resolve("libs-only").toString(), refusal.location());
        assertEquals("no provider: none of a.jar, b.jar declares " + SERVICE_FILE, refusal.reason());
    }

    @Test
    void refusesAFolderHoldingACorruptJar() throws IOException {
        TestingPlugin.plugin("with-corrupt").scheduler("corrupt").writeTo(pluginsDir.resolve("with-corrupt/plugin.jar"));
        Files.writeString(pluginsDir.resolve("with-corrupt/library.jar"), "this is not a zip file");

        PluginRefusal refusal = loadExpectingOneRefusal();

        assertEquals("with-corrupt", refusal.plugin());
        assertContains(refusal.reason(), "library.jar is not a valid JAR: java.util.zip.ZipException");
    }

    @Test
    void refusesAFolderHoldingADanglingSymbolicLink() throws IOException {
        TestingPlugin.plugin("with-dangling").scheduler("dangling").writeTo(pluginsDir.resolve("with-dangling/plugin.jar"));
        Files.createSymbolicLink(pluginsDir.resolve("with-dangling/library.jar"), elsewhere.resolve("removed.jar"));

        PluginRefusal refusal = loadExpectingOneRefusal();

        assertEquals("with-dangling", refusal.plugin());
        assertContains(refusal.reason(), "library.jar cannot be read: it is a symbolic link to a missing file");
        assertContains(refusal.reason(), "removed.jar");
    }

    @Test
    void refusesAFolderHoldingADirectoryNamedLikeAJar() throws IOException {
        TestingPlugin.plugin("with-directory").scheduler("directory").writeTo(pluginsDir.resolve("with-directory/plugin.jar"));
        Files.createDirectories(pluginsDir.resolve("with-directory/library.jar"));

        PluginRefusal refusal = loadExpectingOneRefusal();

        assertEquals("library.jar cannot be read: it is a directory, not a JAR file", refusal.reason());
    }

    @Test
    void refusesAPluginBuiltForTheNextApiMajor() {
        ApiVersion host = ApiVersion.current();
        TestingPlugin.plugin("from-future").scheduler("future").jar()
                .apiVersion((host.major() + 1) + ".0")
                .writeTo(pluginsDir.resolve("from-future/from-future.jar"));

        PluginRefusal refusal = loadExpectingOneRefusal();

        assertEquals("from-future", refusal.plugin());
        assertEquals("from-future.jar is built against API " + (host.major() + 1) + ".0; this host provides API " + host
                + " (compatible: " + host + " and older " + host.major() + ".x)", refusal.reason());
    }

    @Test
    void refusesAPluginBuiltForANewerMinorOfTheSameMajor() {
        ApiVersion host = ApiVersion.current();
        ApiVersion newer = new ApiVersion(host.major(), host.minor() + 1);
        TestingPlugin.plugin("newer-minor").scheduler("newer").jar()
                .apiVersion(newer.toString())
                .writeTo(pluginsDir.resolve("newer-minor.jar"));

        PluginRefusal refusal = loadExpectingOneRefusal();

        assertEquals("newer-minor.jar", refusal.plugin());
        assertEquals(pluginsDir.resolve("newer-minor.jar").toString(), refusal.location());
        assertContains(refusal.reason(), "built against API " + newer + "; this host provides API " + host);
    }

    @Test
    void refusesAPluginWhoseManifestLacksTheApiVersion() {
        TestingPlugin.plugin("unversioned").scheduler("unversioned").jar()
                .withoutApiVersion()
                .writeTo(pluginsDir.resolve("unversioned/unversioned.jar"));

        PluginRefusal refusal = loadExpectingOneRefusal();

        assertContains(refusal.reason(), "unversioned.jar has no Ember-Api-Version attribute in its manifest");
    }

    @Test
    void refusesAPluginWhoseApiVersionCannotBeParsed() {
        TestingPlugin.plugin("garbled").scheduler("garbled").jar()
                .apiVersion("one.zero")
                .writeTo(pluginsDir.resolve("garbled/garbled.jar"));

        PluginRefusal refusal = loadExpectingOneRefusal();

        assertContains(refusal.reason(), "garbled.jar has Ember-Api-Version 'one.zero' in its manifest, which is not an API version");
    }

    @Test
    void refusesAPluginWhoseConstructorThrows() {
        TestingPlugin plugin = TestingPlugin.plugin("throwing-constructor").scheduler("never")
                .constructor("throw new IllegalStateException(\"licence file missing\");");
        plugin.writeTo(pluginsDir.resolve("throwing-constructor/plugin.jar"));

        PluginRefusal refusal = loadExpectingOneRefusal();

        assertEquals("throwing-constructor", refusal.plugin());
        assertEquals("creating " + plugin.className() + " threw java.lang.IllegalStateException: licence file missing", refusal.reason());
    }

    @Test
    void refusesAPluginWhoseFactoryListThrows() {
        TestingPlugin.plugin("throwing-factories")
                .schedulerFactories("failing()")
                .member("""
                        private static List<SchedulerFactory> failing() {
                            throw new UnsupportedOperationException("factories are not ready", new RuntimeException("disk full"));
                        }
                        """)
                .writeTo(pluginsDir.resolve("throwing-factories/plugin.jar"));

        PluginRefusal refusal = loadExpectingOneRefusal();

        assertEquals("throwing-factories", refusal.plugin());
        assertEquals("schedulerFactories() threw java.lang.RuntimeException: disk full", refusal.reason());
    }

    @Test
    void refusesAPluginWhoseFactoryConfigKeysThrow() {
        TestingPlugin.plugin("throwing-keys")
                .schedulerFactories("List.of(new KeylessFactory())")
                .member("""
                        public static final class KeylessFactory implements SchedulerFactory {
                            @Override public String name() { return "keyless"; }
                            @Override public List<io.ember.api.config.ConfigKey<?>> configKeys() {
                                throw new IllegalArgumentException("bad key pattern pool.<name");
                            }
                            @Override public SchedulingPolicy create(Settings settings) { throw new AssertionError(); }
                        }
                        """)
                .writeTo(pluginsDir.resolve("throwing-keys/plugin.jar"));

        PluginRefusal refusal = loadExpectingOneRefusal();

        assertEquals("configKeys() of scheduler 'keyless' threw java.lang.IllegalArgumentException: bad key pattern pool.<name",
                refusal.reason());
    }

    @Test
    void refusesAPluginWhoseDependencyIsNotBundled() {
        Path greeter = TestingPluginJar.jar().withoutApiVersion()
                .source("com.thirdparty.Greeter", "package com.thirdparty; public class Greeter { public String greet() { return \"hi\"; } }")
                .writeTo(elsewhere.resolve("greeter.jar"));
        TestingPlugin.plugin("missing-dependency").scheduler("greeting")
                .description("new com.thirdparty.Greeter().greet()")
                .jar().classPath(greeter)
                .writeTo(pluginsDir.resolve("missing-dependency/plugin.jar"));

        PluginRefusal refusal = loadExpectingOneRefusal();

        assertEquals("missing-dependency", refusal.plugin());
        assertContains(refusal.reason(), "description() of scheduler 'greeting' failed: class com.thirdparty.Greeter is missing");
        assertContains(refusal.reason(), "java.lang.NoClassDefFoundError: com/thirdparty/Greeter");
    }

    @Test
    void refusesTheLaterOfTwoPluginsOfferingTheSameFactoryName() {
        TestingPlugin.plugin("fair-one").scheduler("fair").writeTo(pluginsDir.resolve("a-fair/fair-one.jar"));
        TestingPlugin.plugin("fair-two").scheduler("fair").writeTo(pluginsDir.resolve("b-fair/fair-two.jar"));

        PluginSet plugins = load();

        assertLoaded(plugins, "fair-one", "healthy");
        PluginRefusal refusal = plugins.refusals().get(0);
        assertEquals(1, plugins.refusals().size());
        assertEquals("fair-two", refusal.plugin());
        assertEquals(pluginsDir.resolve("b-fair").toString(), refusal.location());
        assertEquals("offers scheduler 'fair', already offered by plugin 'fair-one' at " + pluginsDir.resolve("a-fair"), refusal.reason());
        assertEquals("fair-one", plugins.pluginOffering(io.ember.api.plugin.PolicyKind.SCHEDULER, "fair").orElseThrow().name());
    }

    @Test
    void refusesAFolderPluginNamedLikeABuiltIn() throws IOException {
        Path builtInJar = TestingPlugin.plugin("scheduler-lifo").scheduler("lifo").writeTo(elsewhere.resolve("ember-scheduler-lifo.jar"));
        TestingPlugin.plugin("scheduler-lifo").scheduler("other-lifo").writeTo(pluginsDir.resolve("scheduler-lifo/newer.jar"));

        PluginSet plugins;
        try (URLClassLoader hostClassPath = new URLClassLoader(new URL[] {builtInJar.toUri().toURL()}, testClassLoader());
             PluginManager manager = manager(pluginsDir, hostClassPath)) {
            plugins = manager.load();
        }

        assertLoaded(plugins, "scheduler-lifo", "healthy");
        assertTrue(plugins.plugins().get(0).builtIn());
        assertEquals(1, plugins.refusals().size());
        PluginRefusal refusal = plugins.refusals().get(0);
        assertEquals("scheduler-lifo", refusal.plugin());
        assertEquals(pluginsDir.resolve("scheduler-lifo").toString(), refusal.location());
        assertEquals("the name 'scheduler-lifo' is already taken by the plugin at class path (" + builtInJar + ")", refusal.reason());
        assertTrue(plugins.schedulerFactories().get("other-lifo") == null, "the refused plugin contributed a factory");
    }

    @Test
    void refusesTheLaterOfTwoFoldersWithTheSameName() {
        TestingPlugin.plugin("twin").scheduler("twin-a").writeTo(pluginsDir.resolve("twin-a/twin.jar"));
        TestingPlugin.plugin("twin").scheduler("twin-b").writeTo(pluginsDir.resolve("twin-b/twin.jar"));

        PluginSet plugins = load();

        assertLoaded(plugins, "healthy", "twin");
        assertEquals(List.of("healthy-lifo", "twin-a"), List.copyOf(plugins.schedulerFactories().keySet()));
        assertEquals("the name 'twin' is already taken by the plugin at " + pluginsDir.resolve("twin-a"), plugins.refusals().get(0).reason());
    }

    @Test
    void refusesAnInvalidPluginName() {
        TestingPlugin.plugin("Fair_Scheduler").scheduler("fair").writeTo(pluginsDir.resolve("fair/fair.jar"));

        PluginRefusal refusal = loadExpectingOneRefusal();

        assertEquals("fair", refusal.plugin());
        assertContains(refusal.reason(), "plugin name 'Fair_Scheduler' is invalid");
    }

    @Test
    void refusesAnInvalidFactoryName() {
        TestingPlugin.plugin("shouting").scheduler("FAIR").writeTo(pluginsDir.resolve("shouting/shouting.jar"));

        PluginRefusal refusal = loadExpectingOneRefusal();

        assertEquals("shouting", refusal.plugin());
        assertContains(refusal.reason(), "scheduler factory name 'FAIR' is invalid");
    }

    @Test
    void refusesAPluginListingAFactoryTwice() {
        TestingPlugin.plugin("stutter").scheduler("lifo").allocation("lifo").scheduler("lifo").writeTo(pluginsDir.resolve("stutter/s.jar"));

        PluginRefusal refusal = loadExpectingOneRefusal();

        assertEquals("offers scheduler 'lifo' twice", refusal.reason());
    }

    @Test
    void refusesAPluginWithANullFactoryEntry() {
        TestingPlugin.plugin("holey")
                .schedulerFactories("Arrays.asList(new LifoSchedulerFactory(\"holey\"), null)")
                .writeTo(pluginsDir.resolve("holey/holey.jar"));

        PluginRefusal refusal = loadExpectingOneRefusal();

        assertEquals("schedulerFactories() returned a null entry at index 1", refusal.reason());
    }

    @Test
    void refusesAPluginWhoseNameIsNull() {
        TestingPlugin plugin = TestingPlugin.plugin("nameless").nameExpression("null").scheduler("nameless");
        plugin.writeTo(pluginsDir.resolve("nameless/nameless.jar"));

        PluginRefusal refusal = loadExpectingOneRefusal();

        assertEquals("nameless", refusal.plugin());
        assertEquals(plugin.className() + ".name() returned null", refusal.reason());
    }

    @Test
    void refusesAServiceFileNamingAMissingClass() {
        TestingPluginJar.jar().provider("com.example.Gone").writeTo(pluginsDir.resolve("ghost/ghost.jar"));

        PluginRefusal refusal = loadExpectingOneRefusal();

        assertContains(refusal.reason(), "looking up the provider named in ghost.jar threw java.util.ServiceConfigurationError");
        assertContains(refusal.reason(), "com.example.Gone not found");
    }

    @Test
    void refusesAFolderWithTwoProviderJars() {
        TestingPlugin.plugin("left").scheduler("left").writeTo(pluginsDir.resolve("crowded/left.jar"));
        TestingPlugin.plugin("right").scheduler("right").writeTo(pluginsDir.resolve("crowded/right.jar"));

        PluginRefusal refusal = loadExpectingOneRefusal();

        assertEquals("crowded", refusal.plugin());
        assertContains(refusal.reason(), "more than one provider: left.jar, right.jar");
    }

    @Test
    void refusesAnEmptyFolder() throws IOException {
        Files.createDirectories(pluginsDir.resolve("empty"));

        PluginRefusal refusal = loadExpectingOneRefusal();

        assertEquals("empty", refusal.plugin());
        assertEquals("no provider: the folder holds no JAR files", refusal.reason());
    }

    @Test
    void refusesABuiltInBuiltForAnotherApiMajor() throws IOException {
        ApiVersion host = ApiVersion.current();
        Path builtInJar = TestingPlugin.plugin("stale-built-in").scheduler("stale").jar()
                .apiVersion((host.major() + 1) + "." + host.minor())
                .writeTo(elsewhere.resolve("stale.jar"));

        PluginSet plugins;
        try (URLClassLoader hostClassPath = new URLClassLoader(new URL[] {builtInJar.toUri().toURL()}, testClassLoader());
             PluginManager manager = manager(pluginsDir, hostClassPath)) {
            plugins = manager.load();
        }

        assertLoaded(plugins, "healthy");
        PluginRefusal refusal = plugins.refusals().get(0);
        assertEquals("stale.jar", refusal.plugin());
        assertEquals("class path (" + builtInJar + ")", refusal.location());
        assertContains(refusal.reason(), "is built against API " + (host.major() + 1) + "." + host.minor());
    }

    @Test
    void describesARefusalOnOneLineNamingPluginLocationAndReason() {
        PluginRefusal refusal = new PluginRefusal("scheduler-fair", "/x/plugins/scheduler-fair", "no provider");

        assertEquals("plugin 'scheduler-fair' at /x/plugins/scheduler-fair refused: no provider", refusal.toString());
    }

    private PluginSet load() {
        try (PluginManager manager = manager(pluginsDir, testClassLoader())) {
            return manager.load();
        }
    }

    private PluginRefusal loadExpectingOneRefusal() {
        PluginSet plugins = load();
        assertEquals(1, plugins.refusals().size(), () -> "refusals: " + plugins.refusals());
        assertLoaded(plugins, "healthy");
        assertEquals(List.of("healthy-lifo"), List.copyOf(plugins.schedulerFactories().keySet()));
        assertEquals(List.of(), List.copyOf(plugins.allocationPolicyFactories().keySet()));
        return plugins.refusals().get(0);
    }

    private static void assertLoaded(PluginSet plugins, String... names) {
        assertEquals(List.of(names), plugins.plugins().stream().map(LoadedPlugin::name).toList());
    }

    private static void assertContains(String text, String expected) {
        assertTrue(text.contains(expected), () -> "expected '" + expected + "' in '" + text + "'");
    }
}
