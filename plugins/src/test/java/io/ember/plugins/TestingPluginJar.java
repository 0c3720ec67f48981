package io.ember.plugins;

import static java.util.Objects.requireNonNull;

import io.ember.api.ApiVersion;
import io.ember.api.plugin.Plugin;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Builds a real JAR for a test: compiles Java sources in memory against the test class path (plus
 * any extra JARs), and writes the classes, an optional {@code META-INF/services} entry for
 * {@link Plugin} and a manifest. By default the manifest names the host's API version.
 */
final class TestingPluginJar {

    private final Map<String, String> sources = new LinkedHashMap<>();
    private final List<Path> classPath = new ArrayList<>();
    private final Map<String, String> resources = new LinkedHashMap<>();
    private final Map<String, String> attributes = new LinkedHashMap<>();

    private TestingPluginJar() {
        attributes.put(ApiVersion.MANIFEST_ATTRIBUTE, ApiVersion.current().toString());
    }

    static TestingPluginJar jar() {
        return new TestingPluginJar();
    }

    /** Adds a compilation unit; {@code className} is the fully qualified name of its top-level class. */
    TestingPluginJar source(String className, String code) {
        sources.put(requireNonNull(className, "className is null"), requireNonNull(code, "code is null"));
        return this;
    }

    /** Compiles against this JAR too (it is not copied into the result). */
    TestingPluginJar classPath(Path jar) {
        classPath.add(requireNonNull(jar, "jar is null"));
        return this;
    }

    /** Declares {@code providerClasses} in {@code META-INF/services/io.ember.api.plugin.Plugin}. */
    TestingPluginJar provider(String... providerClasses) {
        return resource(PluginArchive.SERVICE_FILE, String.join("\n", providerClasses) + "\n");
    }

    /** Adds a text resource. */
    TestingPluginJar resource(String name, String content) {
        resources.put(requireNonNull(name, "name is null"), requireNonNull(content, "content is null"));
        return this;
    }

    /** Sets the {@code Ember-Api-Version} manifest attribute. */
    TestingPluginJar apiVersion(String version) {
        return attribute(ApiVersion.MANIFEST_ATTRIBUTE, version);
    }

    /** Leaves the {@code Ember-Api-Version} attribute out of the manifest. */
    TestingPluginJar withoutApiVersion() {
        attributes.remove(ApiVersion.MANIFEST_ATTRIBUTE);
        return this;
    }

    /** Sets the {@code Implementation-Version} manifest attribute. */
    TestingPluginJar implementationVersion(String version) {
        return attribute(Attributes.Name.IMPLEMENTATION_VERSION.toString(), version);
    }

    TestingPluginJar attribute(String name, String value) {
        attributes.put(requireNonNull(name, "name is null"), requireNonNull(value, "value is null"));
        return this;
    }

    /** Compiles and writes the JAR, creating its parent directories; returns {@code file}. */
    Path writeTo(Path file) {
        Map<String, byte[]> classes = compile();
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        attributes.forEach((name, value) -> manifest.getMainAttributes().putValue(name, value));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(file), manifest)) {
                for (Map.Entry<String, byte[]> entry : classes.entrySet()) {
                    write(out, entry.getKey().replace('.', '/') + ".class", entry.getValue());
                }
                for (Map.Entry<String, String> entry : resources.entrySet()) {
                    write(out, entry.getKey(), entry.getValue().getBytes(StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    private static void write(JarOutputStream out, String name, byte[] bytes) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(bytes);
        out.closeEntry();
    }

    private Map<String, byte[]> compile() {
        if (sources.isEmpty()) {
            return Map.of();
        }
        JavaCompiler compiler = requireNonNull(ToolProvider.getSystemJavaCompiler(), "no Java compiler: run the tests on a JDK");
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Map<String, ByteArrayOutputStream> output = new TreeMap<>();
        String path = System.getProperty("java.class.path")
                + classPath.stream().map(jar -> File.pathSeparator + jar.toAbsolutePath()).collect(Collectors.joining());
        List<JavaFileObject> units = sources.entrySet().stream()
                .map(entry -> (JavaFileObject) new SourceFile(entry.getKey(), entry.getValue()))
                .toList();
        try (StandardJavaFileManager standard = compiler.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8);
             ForwardingJavaFileManager<StandardJavaFileManager> files = new ForwardingJavaFileManager<>(standard) {
                 @Override
                 public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                                                            FileObject sibling) {
                     ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                     output.put(className, bytes);
                     return new ClassFile(className, bytes);
                 }
             }) {
            boolean compiled = compiler.getTask(null, files, diagnostics,
                    List.of("-classpath", path, "--release", "17", "-proc:none", "-Xlint:none"), null, units).call();
            if (!compiled) {
                throw new AssertionError("test plugin sources do not compile: " + diagnostics.getDiagnostics());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, byte[]> classes = new TreeMap<>();
        output.forEach((name, bytes) -> classes.put(name, bytes.toByteArray()));
        return classes;
    }

    private static final class SourceFile extends SimpleJavaFileObject {
        private final String code;

        SourceFile(String className, String code) {
            super(URI.create("string:///" + className.replace('.', '/') + Kind.SOURCE.extension), Kind.SOURCE);
            this.code = code;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return code;
        }
    }

    private static final class ClassFile extends SimpleJavaFileObject {
        private final ByteArrayOutputStream bytes;

        ClassFile(String className, ByteArrayOutputStream bytes) {
            super(URI.create("bytes:///" + className.replace('.', '/') + Kind.CLASS.extension), Kind.CLASS);
            this.bytes = bytes;
        }

        @Override
        public OutputStream openOutputStream() {
            return bytes;
        }
    }
}
