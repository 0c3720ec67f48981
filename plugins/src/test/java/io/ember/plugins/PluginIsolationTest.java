package io.ember.plugins;

import static io.ember.plugins.PluginDiscoveryTest.manager;
import static io.ember.plugins.PluginDiscoveryTest.testClassLoader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.ApiVersion;
import io.ember.api.plugin.Plugin;
import io.ember.api.scheduler.SchedulerFactory;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.spi.SLF4JServiceProvider;

final class PluginIsolationTest {

    @TempDir
    Path pluginsDir;

    @TempDir
    Path elsewhere;

    @Test
    void givesEachPluginItsOwnVersionOfABundledLibrary() throws IOException {
        Path greeterV1 = greeter("v1", elsewhere.resolve("greeter-1.0.jar"));
        Path greeterV2 = greeter("v2", elsewhere.resolve("greeter-2.0.jar"));
        greetingPlugin("greets-old", "old", greeterV1).writeTo(pluginsDir.resolve("greets-old/greets-old.jar"));
        Files.copy(greeterV1, pluginsDir.resolve("greets-old/greeter-1.0.jar"));
        greetingPlugin("greets-new", "new", greeterV2).writeTo(pluginsDir.resolve("greets-new/greets-new.jar"));
        Files.copy(greeterV2, pluginsDir.resolve("greets-new/greeter-2.0.jar"));

        try (PluginManager manager = manager(pluginsDir, testClassLoader())) {
            PluginSet plugins = manager.load();

            assertEquals(List.of(), plugins.refusals());
            assertEquals("greeter v1", plugins.schedulerFactories().get("old").description());
            assertEquals("greeter v2", plugins.schedulerFactories().get("new").description());
        }
    }

    @Test
    void hidesTheHostClassPathFromPluginClassesAndCode() throws ClassNotFoundException {
        TestingPlugin.plugin("curious").scheduler("curious")
                .description("visibility(\"io.ember.plugins.PluginManager\") + \" \" + visibility(\"org.junit.jupiter.api.Test\")")
                .member("""
                        static String visibility(String className) {
                            try {
                                Class.forName(className, false, TestPlugin.class.getClassLoader());
                                return "sees " + className;
                            } catch (ClassNotFoundException e) {
                                return "cannot see " + className;
                            }
                        }
                        """)
                .writeTo(pluginsDir.resolve("curious/curious.jar"));

        try (PluginManager manager = manager(pluginsDir, testClassLoader())) {
            PluginSet plugins = manager.load();
            ClassLoader pluginLoader = plugins.plugins().get(0).classLoader();

            assertEquals("cannot see io.ember.plugins.PluginManager cannot see org.junit.jupiter.api.Test",
                    plugins.schedulerFactories().get("curious").description());
            assertThrows(ClassNotFoundException.class, () -> pluginLoader.loadClass(PluginManager.class.getName()));
            assertThrows(ClassNotFoundException.class, () -> pluginLoader.loadClass(PluginIsolationTest.class.getName()));
            assertSame(String.class, pluginLoader.loadClass("java.lang.String"));
            assertSame(java.sql.Connection.class, pluginLoader.loadClass("java.sql.Connection"));
        }
    }

    @Test
    void sharesTheApiAndLoggingClassesWithTheHost() throws ClassNotFoundException {
        TestingPlugin.plugin("logging").scheduler("logging")
                .constructor("org.slf4j.LoggerFactory.getLogger(TestPlugin.class).info(\"plugin constructed\");")
                .writeTo(pluginsDir.resolve("logging/logging.jar"));

        try (PluginManager manager = manager(pluginsDir, testClassLoader())) {
            PluginSet plugins = manager.load();
            ClassLoader pluginLoader = plugins.plugins().get(0).classLoader();

            assertEquals(List.of(), plugins.refusals());
            assertSame(Plugin.class, pluginLoader.loadClass("io.ember.api.plugin.Plugin"));
            assertSame(SchedulerFactory.class, pluginLoader.loadClass("io.ember.api.scheduler.SchedulerFactory"));
            assertSame(ApiVersion.class, pluginLoader.loadClass("io.ember.api.ApiVersion"));
            assertSame(Logger.class, pluginLoader.loadClass("org.slf4j.Logger"));
            assertEquals(ApiVersion.class.getResource("api-version.properties"),
                    pluginLoader.getResource("io/ember/api/api-version.properties"));
        }
    }

    @Test
    void takesSharedPackagesOnlyFromTheHostEvenWhenAPluginBundlesACopy() {
        TestingPlugin plugin = TestingPlugin.plugin("smuggler").scheduler("smuggler");
        plugin.jar()
                .source("io.ember.api.Smuggled", "package io.ember.api; public class Smuggled {}")
                .writeTo(pluginsDir.resolve("smuggler/smuggler.jar"));

        try (PluginManager manager = manager(pluginsDir, testClassLoader())) {
            ClassLoader pluginLoader = manager.load().plugins().get(0).classLoader();

            assertThrows(ClassNotFoundException.class, () -> pluginLoader.loadClass("io.ember.api.Smuggled"));
            assertNull(pluginLoader.getResource("io/ember/api/Smuggled.class"));
        }
    }

    @Test
    void letsAServiceLoaderInAPluginSeeOnlyThePluginsOwnServiceFiles() throws IOException {
        TestingPlugin.plugin("own-services").scheduler("own").writeTo(pluginsDir.resolve("own-services/own.jar"));
        String hostProviderFile = "META-INF/services/" + SLF4JServiceProvider.class.getName();
        assertNotNull(testClassLoader().getResource(hostProviderFile), "the host class path should declare an SLF4J provider");
        assertNotNull(testClassLoader().getResource("logback-test.xml"), "the host class path should hold logback-test.xml");

        try (PluginManager manager = manager(pluginsDir, testClassLoader())) {
            ClassLoader pluginLoader = manager.load().plugins().get(0).classLoader();

            assertNull(pluginLoader.getResource(hostProviderFile));
            assertEquals(List.of(), Collections.list(pluginLoader.getResources(hostProviderFile)));
            assertTrue(ServiceLoader.load(SLF4JServiceProvider.class, pluginLoader).findFirst().isEmpty());
            assertNull(pluginLoader.getResource("logback-test.xml"));
            List<URL> pluginServiceFiles = Collections.list(pluginLoader.getResources(PluginArchive.SERVICE_FILE));
            assertEquals(1, pluginServiceFiles.size());
            assertTrue(pluginServiceFiles.get(0).toString().endsWith("own.jar!/" + PluginArchive.SERVICE_FILE), pluginServiceFiles::toString);
        }
    }

    @Test
    void sharesConfiguredExtraPackagesWithTheHost() throws ClassNotFoundException {
        TestingPlugin.plugin("extra").scheduler("extra").writeTo(pluginsDir.resolve("extra/extra.jar"));
        String hostOnlyClass = ch.qos.logback.classic.Logger.class.getName();

        try (PluginManager isolated = manager(pluginsDir, testClassLoader());
             PluginManager sharing = new PluginManager(pluginsDir, List.of("ch.qos.logback."), testClassLoader())) {
            ClassLoader isolatedLoader = isolated.load().plugins().get(0).classLoader();
            ClassLoader sharingLoader = sharing.load().plugins().get(0).classLoader();

            assertThrows(ClassNotFoundException.class, () -> isolatedLoader.loadClass(hostOnlyClass));
            assertSame(ch.qos.logback.classic.Logger.class, sharingLoader.loadClass(hostOnlyClass));
        }
    }

    @Test
    void rejectsAnExtraSharedPrefixThatIsNotAPackagePrefix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PluginManager(pluginsDir, List.of("com.acme"), testClassLoader()));

        assertTrue(e.getMessage().contains("'com.acme'"), e.getMessage());
    }

    private static Path greeter(String version, Path jar) {
        return TestingPluginJar.jar().withoutApiVersion()
                .source("com.thirdparty.Greeter", """
                        package com.thirdparty;

                        public class Greeter {
                            public String greet() {
                                return "greeter %s";
                            }
                        }
                        """.formatted(version))
                .writeTo(jar);
    }

    private static TestingPluginJar greetingPlugin(String name, String factoryName, Path greeter) {
        return TestingPlugin.plugin(name).scheduler(factoryName)
                .description("new com.thirdparty.Greeter().greet()")
                .jar().classPath(greeter);
    }
}
