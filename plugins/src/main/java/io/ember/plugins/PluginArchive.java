package io.ember.plugins;

import static java.util.Objects.requireNonNull;

import io.ember.api.ApiVersion;
import io.ember.api.plugin.Plugin;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipException;

/**
 * The JARs of one plugin folder or loose JAR after they were opened and checked, before any class
 * loader exists: every JAR is a readable JAR, exactly one declares the {@link Plugin} service, and
 * that one was built against an API version the host can run.
 *
 * @param jars the plugin's JARs, in file name order
 * @param providerJar the file name of the JAR that declares the service
 * @param apiVersion the API version the plugin was built against
 * @param version the providing JAR's {@code Implementation-Version}, else {@code "unknown"}
 */
record PluginArchive(List<Path> jars, String providerJar, ApiVersion apiVersion, String version) {

    /** The service file that makes a JAR a plugin provider. */
    static final String SERVICE_FILE = "META-INF/services/" + Plugin.class.getName();

    PluginArchive {
        jars = List.copyOf(requireNonNull(jars, "jars is null"));
        requireNonNull(providerJar, "providerJar is null");
        requireNonNull(apiVersion, "apiVersion is null");
        requireNonNull(version, "version is null");
    }

    /**
     * Opens and checks the JARs of {@code source}.
     *
     * @throws PluginRefusedException naming the JAR and the reason when the plugin must be refused
     */
    static PluginArchive inspect(PluginSource source, ApiVersion host) throws PluginRefusedException {
        List<Path> jars = source.jars();
        if (jars.isEmpty()) {
            throw new PluginRefusedException("no provider: the folder holds no JAR files");
        }
        List<String> providerJars = new ArrayList<>();
        PluginManifest manifest = null;
        for (Path jar : jars) {
            PluginManifest declared = openAndFindProvider(jar);
            if (declared != null) {
                providerJars.add(fileName(jar));
                manifest = declared;
            }
        }
        if (providerJars.isEmpty()) {
            throw new PluginRefusedException("no provider: none of " + String.join(", ", jars.stream().map(PluginArchive::fileName).toList())
                    + " declares " + SERVICE_FILE);
        }
        if (providerJars.size() > 1) {
            throw new PluginRefusedException("more than one provider: " + String.join(", ", providerJars)
                    + " each declare " + SERVICE_FILE + "; a plugin folder holds exactly one plugin");
        }
        ApiVersion apiVersion = manifest.compatibleApiVersion(host, false);
        return new PluginArchive(jars, providerJars.get(0), apiVersion, manifest.version());
    }

    /** The JARs as URLs for a class loader. */
    List<URL> urls() {
        List<URL> urls = new ArrayList<>(jars.size());
        for (Path jar : jars) {
            try {
                urls.add(jar.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalStateException("a file path has no URL: " + jar, e);
            }
        }
        return urls;
    }

    /** Opens a JAR; returns its manifest when it declares the plugin service, else null. */
    private static PluginManifest openAndFindProvider(Path jar) throws PluginRefusedException {
        String name = fileName(jar);
        if (!Files.exists(jar)) {
            throw new PluginRefusedException(name + " cannot be read: " + (Files.isSymbolicLink(jar)
                    ? "it is a symbolic link to a missing file (" + linkTarget(jar) + ")"
                    : "it does not exist"));
        }
        if (!Files.isRegularFile(jar)) {
            throw new PluginRefusedException(name + " cannot be read: " + (Files.isDirectory(jar)
                    ? "it is a directory, not a JAR file"
                    : "it is not a regular file"));
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            if (file.getJarEntry(SERVICE_FILE) == null) {
                return null;
            }
            return PluginManifest.of(name, file.getManifest());
        } catch (ZipException e) {
            throw new PluginRefusedException(name + " is not a valid JAR: " + PluginRefusedException.describe(e));
        } catch (IOException | SecurityException e) {
            throw new PluginRefusedException(name + " cannot be read: " + PluginRefusedException.describe(e));
        }
    }

    private static String linkTarget(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            return "unknown target";
        }
    }

    private static String fileName(Path path) {
        return path.getFileName().toString();
    }
}
