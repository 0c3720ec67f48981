package io.ember.core.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A conf directory under a test's temporary directory, with helpers to write files and read sources. */
final class ConfDir {

    private final Path path;

    private ConfDir(Path path) {
        this.path = path;
    }

    /** Creates {@code conf/} under {@code root}. */
    static ConfDir in(Path root) {
        try {
            return new ConfDir(Files.createDirectories(root.resolve("conf")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path path() {
        return path;
    }

    /** Writes a file of these lines (UTF-8). */
    ConfDir write(String fileName, String... lines) {
        try {
            Files.writeString(path.resolve(fileName), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sources of this directory with nothing else. */
    ConfigSources sources() {
        return sources(Map.of(), Map.of(), Map.of());
    }

    ConfigSources sources(Map<String, String> environment, Map<String, String> systemProperties,
                          Map<String, String> programmatic) {
        return ConfigSources.read(path, environment, systemProperties, programmatic);
    }
}
