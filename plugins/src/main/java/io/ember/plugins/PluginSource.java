package io.ember.plugins;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * One entry of the plugins directory that may hold a plugin: a folder (all the JARs directly in it
 * make one plugin) or a loose JAR at the top level (a plugin of its own).
 *
 * @param name the folder or JAR file name, which names the plugin in a refusal until its own name
 *     is known
 * @param location the absolute path of the folder or JAR
 * @param folder whether this is a folder rather than a loose JAR
 */
record PluginSource(String name, Path location, boolean folder) {

    private static final Comparator<Path> BY_FILE_NAME = Comparator.comparing(path -> path.getFileName().toString());

    PluginSource {
        requireNonNull(name, "name is null");
        requireNonNull(location, "location is null");
    }

    /**
     * The plugin sources in a plugins directory, sorted by file name: every folder, and every
     * {@code *.jar} entry at the top level. Entries whose name starts with {@code .} and other files
     * are ignored.
     *
     * @throws UncheckedIOException when the directory cannot be listed
     */
    static List<PluginSource> scan(Path pluginsDir) {
        List<PluginSource> sources = new ArrayList<>();
        for (Path entry : visibleEntries(pluginsDir)) {
            String name = entry.getFileName().toString();
            if (isJarName(name)) {
                sources.add(new PluginSource(name, entry, false));
            } else if (Files.isDirectory(entry)) {
                sources.add(new PluginSource(name, entry, true));
            }
        }
        return List.copyOf(sources);
    }

    /**
     * The JARs of this plugin, sorted by file name: for a folder every {@code *.jar} entry directly
     * in it (whether or not it is a readable file: that is checked when the JARs are opened), for a
     * loose JAR the JAR itself.
     *
     * @throws PluginRefusedException when the folder cannot be listed
     */
    List<Path> jars() throws PluginRefusedException {
        if (!folder) {
            return List.of(location);
        }
        try {
            return visibleEntries(location).stream()
                    .filter(entry -> isJarName(entry.getFileName().toString()))
                    .toList();
        } catch (UncheckedIOException e) {
            throw new PluginRefusedException("the folder cannot be listed: " + PluginRefusedException.describe(e));
        }
    }

    private static List<Path> visibleEntries(Path directory) {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            for (Path entry : stream) {
                if (!entry.getFileName().toString().startsWith(".")) {
                    entries.add(entry.toAbsolutePath().normalize());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory.toAbsolutePath(), e);
        }
        entries.sort(BY_FILE_NAME);
        return entries;
    }

    private static boolean isJarName(String fileName) {
        return fileName.toLowerCase(Locale.ROOT).endsWith(".jar");
    }
}
