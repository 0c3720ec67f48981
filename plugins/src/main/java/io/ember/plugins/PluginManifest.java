package io.ember.plugins;

import static java.util.Objects.requireNonNull;

import io.ember.api.ApiVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The manifest attributes the host reads from a plugin's providing JAR: the API version it was
 * built against ({@value ApiVersion#MANIFEST_ATTRIBUTE}) and its {@code Implementation-Version}.
 *
 * @param source the JAR (or class path directory) the manifest came from, for messages
 * @param apiVersion the raw {@value ApiVersion#MANIFEST_ATTRIBUTE} value, if any
 * @param implementationVersion the {@code Implementation-Version}, if any
 */
record PluginManifest(String source, Optional<String> apiVersion, Optional<String> implementationVersion) {

    PluginManifest {
        requireNonNull(source, "source is null");
        requireNonNull(apiVersion, "apiVersion is null");
        requireNonNull(implementationVersion, "implementationVersion is null");
    }

    /** The attributes of {@code manifest}, which may be null when the JAR has none. */
    static PluginManifest of(String source, Manifest manifest) {
        if (manifest == null) {
            return new PluginManifest(source, Optional.empty(), Optional.empty());
        }
        Attributes main = manifest.getMainAttributes();
        return new PluginManifest(source,
                Optional.ofNullable(main.getValue(ApiVersion.MANIFEST_ATTRIBUTE)),
                Optional.ofNullable(main.getValue(Attributes.Name.IMPLEMENTATION_VERSION)).filter(v -> !v.isBlank()));
    }

    /**
     * The manifest of a class path entry: a JAR, or a directory of classes with or without
     * {@code META-INF/MANIFEST.MF}.
     */
    static PluginManifest ofClassPathEntry(Path entry) throws IOException {
        String source = entry.getFileName() == null ? entry.toString() : entry.getFileName().toString();
        if (Files.isDirectory(entry)) {
            Path file = entry.resolve(JarFile.MANIFEST_NAME);
            if (!Files.isRegularFile(file)) {
                return of(source, null);
            }
            try (InputStream in = Files.newInputStream(file)) {
                return of(source, new Manifest(in));
            }
        }
        try (JarFile jar = new JarFile(entry.toFile())) {
            return of(source, jar.getManifest());
        }
    }

    /** The {@code Implementation-Version}, else {@code "unknown"}. */
    String version() {
        return implementationVersion.orElse("unknown");
    }

    /**
     * The API version the plugin was built against, which {@code host} must be able to run.
     *
     * @param missingMeansHost whether a manifest without the attribute counts as built against
     *     {@code host} (built-ins from a build directory) rather than being refused
     * @throws PluginRefusedException when the attribute is missing (and that is not allowed),
     *     unparsable, or names a version the host cannot run
     */
    ApiVersion compatibleApiVersion(ApiVersion host, boolean missingMeansHost) throws PluginRefusedException {
        if (apiVersion.isEmpty()) {
            if (missingMeansHost) {
                return host;
            }
            throw new PluginRefusedException(source + " has no " + ApiVersion.MANIFEST_ATTRIBUTE
                    + " attribute in its manifest, so the API it was built against is unknown; this host provides API " + host);
        }
        ApiVersion version;
        try {
            version = ApiVersion.parse(apiVersion.get());
        } catch (IllegalArgumentException e) {
            throw new PluginRefusedException(source + " has " + ApiVersion.MANIFEST_ATTRIBUTE + " '" + apiVersion.get()
                    + "' in its manifest, which is not an API version of the form major.minor");
        }
        if (!host.canHost(version)) {
            throw new PluginRefusedException(source + " is built against API " + version + "; this host provides API " + host
                    + " (compatible: " + host + " and older " + host.major() + ".x)");
        }
        return version;
    }
}
