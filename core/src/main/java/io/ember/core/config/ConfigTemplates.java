package io.ember.core.config;

import static java.util.Objects.requireNonNull;

import io.ember.api.config.ConfigKey;
import io.ember.api.plugin.Plugin;
import io.ember.api.plugin.PolicyKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Writes the configuration templates a distribution ships in {@code conf/}:
 * {@code ember.properties} with every core key, and one {@code <kind>-<name>.properties} per policy
 * with its relative keys; each key commented out with its doc, allowed values and default
 * ({@code # ember.executor.cores=1}). Pattern keys are shown for the example name
 * {@value #EXAMPLE_NAME}.
 *
 * <p>Stateless and thread-safe.
 */
public final class ConfigTemplates {

    /** The name a pattern key is shown with: {@code pool.example.weight}. */
    public static final String EXAMPLE_NAME = "example";

    private static final int WIDTH = 100;

    private ConfigTemplates() {
    }

    /**
     * Writes the templates for a catalog into {@code directory} (created if missing), replacing
     * files of the same names.
     *
     * @return the files written: {@code ember.properties} first, then the policy files by kind and
     *     name
     */
    public static List<Path> write(Path directory, KeyCatalog catalog) throws IOException {
        requireNonNull(directory, "directory is null");
        requireNonNull(catalog, "catalog is null");
        Files.createDirectories(directory);
        List<Path> written = new ArrayList<>();
        written.add(Files.writeString(directory.resolve(ConfigSources.MAIN_FILE_NAME), coreTemplate(catalog),
                StandardCharsets.UTF_8));
        for (PolicyKind kind : PolicyKind.values()) {
            for (String name : catalog.policyNames(kind)) {
                written.add(Files.writeString(directory.resolve(kind.fileName(name)), policyTemplate(catalog, kind, name),
                        StandardCharsets.UTF_8));
            }
        }
        return written;
    }

    /** The text of {@code ember.properties}. */
    public static String coreTemplate(KeyCatalog catalog) {
        StringBuilder out = new StringBuilder();
        comment(out, "Ember configuration: conf/" + ConfigSources.MAIN_FILE_NAME);
        out.append("#\n");
        comment(out, "Every key Ember itself reads is listed below, commented out, with its default; uncomment a "
                + "line to change it. Each policy has its own file, conf/<kind>-<name>.properties, whose keys are "
                + "relative to ember.<kind>.<name>. (they may also be set here, with that prefix).");
        out.append("#\n");
        comment(out, "Precedence, lowest first: defaults, conf files, EMBER_* environment variables, -Dember.* "
                + "system properties, settings given by the application. An unknown key is an error. "
                + "See docs/configuration.md.");
        for (ConfigKey<?> key : catalog.coreKeys()) {
            out.append('\n');
            entry(out, key);
        }
        return out.toString();
    }

    /**
     * The text of {@code <kind>-<name>.properties}.
     *
     * @throws IllegalArgumentException when the catalog has no such policy
     */
    public static String policyTemplate(KeyCatalog catalog, PolicyKind kind, String name) {
        List<ConfigKey<?>> keys = catalog.policyKeys(kind, name);
        StringBuilder out = new StringBuilder();
        comment(out, "Settings of the " + name + " " + kind.id() + " policy: conf/" + kind.fileName(name));
        out.append("#\n");
        comment(out, "They take effect when " + kind.selectorKey() + "=" + name + ". Keys here are relative: a key k "
                + "here is " + kind.settingsPrefix(name) + "k in ember.properties, -D options, EMBER_* variables "
                + "and application settings, which take precedence over this file.");
        if (keys.isEmpty()) {
            out.append("#\n");
            comment(out, "This policy has no settings.");
        }
        for (ConfigKey<?> key : keys) {
            out.append('\n');
            entry(out, key);
        }
        return out.toString();
    }

    /**
     * Writes the templates of Ember's keys and of every plugin on the class path (found with
     * {@link ServiceLoader}) into the directory given as the only argument.
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: ConfigTemplates <output directory>; got " + args.length
                    + " arguments");
        }
        KeyCatalog catalog = KeyCatalog.fromPlugins(EmberKeys.all(), ServiceLoader.load(Plugin.class));
        write(Path.of(args[0]), catalog);
    }

    private static void entry(StringBuilder out, ConfigKey<?> key) {
        comment(out, key.doc());
        StringBuilder facts = new StringBuilder("Allowed: ").append(key.allowedValues()).append('.');
        if (key.isRequired()) {
            facts.append(" Required.");
        } else {
            facts.append(" Default: ").append(key.defaultText().isEmpty() ? "empty" : key.defaultText()).append('.');
        }
        comment(out, facts.toString());
        String name = key.name();
        if (key.isPattern()) {
            comment(out, "One such key per " + ConfigKey.PLACEHOLDER + "; here for " + ConfigKey.PLACEHOLDER + " = "
                    + EXAMPLE_NAME + ":");
            name = key.resolve(EXAMPLE_NAME);
        }
        out.append("# ").append(escapeKey(name)).append('=').append(escapeValue(defaultValueText(key))).append('\n');
    }

    private static <T> String defaultValueText(ConfigKey<T> key) {
        return key.defaultValue().map(value -> key.type().format(value)).orElse("");
    }

    /** Writes text as {@code #} lines of at most {@value #WIDTH} characters, breaking at spaces. */
    private static void comment(StringBuilder out, String text) {
        for (String paragraph : text.split("\n")) {
            StringBuilder line = new StringBuilder("#");
            for (String word : paragraph.trim().split(" +")) {
                if (word.isEmpty()) {
                    continue;
                }
                if (line.length() > 1 && line.length() + 1 + word.length() > WIDTH) {
                    out.append(line).append('\n');
                    line = new StringBuilder("#");
                }
                line.append(' ').append(word);
            }
            out.append(line).append('\n');
        }
    }

    private static String escapeKey(String key) {
        StringBuilder out = new StringBuilder();
        for (char c : key.toCharArray()) {
            if (c == '=' || c == ':' || c == '#' || c == '!' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    private static String escapeValue(String value) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\f' -> out.append("\\f");
                case ' ' -> out.append(i == 0 ? "\\ " : " ");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
