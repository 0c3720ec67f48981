package io.ember.core.config;

import static java.util.Objects.requireNonNull;

import io.ember.api.config.ConfigKey;
import io.ember.api.plugin.PolicyKind;
import java.util.List;
import java.util.Locale;

/**
 * Renders every declared key as Markdown tables for {@code docs/configuration.md}: Ember's own keys,
 * then each policy's, with type and allowed values, default, environment variable and doc.
 *
 * <p>The rendered text replaces whatever lies between {@link #BEGIN_MARKER} and
 * {@link #END_MARKER}; the rest of the document is written by hand. Stateless and thread-safe.
 */
public final class ConfigDocs {

    /** The line after which the generated tables start. */
    public static final String BEGIN_MARKER = "<!-- BEGIN GENERATED KEYS -->";

    /** The line before which the generated tables end. */
    public static final String END_MARKER = "<!-- END GENERATED KEYS -->";

    private static final String TABLE_HEAD = """
            | Key | Type and allowed values | Default | Environment variable | Description |
            |---|---|---|---|---|
            """;

    private ConfigDocs() {
    }

    /** The tables for every key of the catalog, without the markers. */
    public static String render(KeyCatalog catalog) {
        requireNonNull(catalog, "catalog is null");
        StringBuilder out = new StringBuilder();
        out.append("### Ember's keys\n\n")
                .append("In `conf/").append(ConfigSources.MAIN_FILE_NAME)
                .append("`, or anywhere else by the same name.\n\n");
        table(out, "", catalog.coreKeys());
        for (PolicyKind kind : PolicyKind.values()) {
            for (String name : catalog.policyNames(kind)) {
                out.append("\n### ").append(title(kind)).append(" policy `").append(name).append("`\n\n")
                        .append("Selected with `").append(kind.selectorKey()).append('=').append(name)
                        .append("`. Keys as written in `conf/").append(kind.fileName(name))
                        .append("`; anywhere else, prefix them with `").append(kind.settingsPrefix(name))
                        .append("`.\n\n");
                List<ConfigKey<?>> keys = catalog.policyKeys(kind, name);
                if (keys.isEmpty()) {
                    out.append("This policy has no settings.\n");
                } else {
                    table(out, kind.settingsPrefix(name), keys);
                }
            }
        }
        return out.toString();
    }

    /**
     * The document with the text between its markers replaced by {@link #render}.
     *
     * @throws IllegalArgumentException when the document lacks either marker, or has them in the
     *     wrong order
     */
    public static String withGeneratedSection(String document, KeyCatalog catalog) {
        int begin = document.indexOf(BEGIN_MARKER);
        int end = document.indexOf(END_MARKER);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("the document needs a line " + BEGIN_MARKER + " followed later by a line "
                    + END_MARKER);
        }
        return document.substring(0, begin + BEGIN_MARKER.length()) + "\n\n" + render(catalog) + "\n"
                + document.substring(end);
    }

    private static void table(StringBuilder out, String prefix, List<ConfigKey<?>> keys) {
        out.append(TABLE_HEAD);
        for (ConfigKey<?> key : keys) {
            out.append("| `").append(cell(key.name())).append("` | ")
                    .append(text(key.allowedValues())).append(" | ")
                    .append(defaultCell(key)).append(" | ")
                    .append(key.isPattern() ? "none" : "`" + EnvironmentVariables.nameOf(prefix + key.name()) + "`")
                    .append(" | ")
                    .append(text(key.doc())).append(" |\n");
        }
    }

    private static String defaultCell(ConfigKey<?> key) {
        if (key.isRequired()) {
            return "**required**";
        }
        String formatted = formattedDefault(key);
        if (formatted == null || !formatted.equals(key.defaultText())) {
            return text(key.defaultText());
        }
        return formatted.isEmpty() ? "*(empty)*" : "`" + cell(formatted) + "`";
    }

    private static <T> String formattedDefault(ConfigKey<T> key) {
        return key.defaultValue().map(value -> key.type().format(value)).orElse(null);
    }

    /** Plain text in a table cell: no line breaks, no table or HTML syntax. */
    private static String text(String text) {
        return cell(text).replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Text in a table cell, code or not. */
    private static String cell(String text) {
        return text.replace("\r", "").replace('\n', ' ').replace("|", "\\|");
    }

    private static String title(PolicyKind kind) {
        return kind.id().substring(0, 1).toUpperCase(Locale.ROOT) + kind.id().substring(1);
    }
}
