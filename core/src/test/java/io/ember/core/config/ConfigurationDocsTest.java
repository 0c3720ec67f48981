package io.ember.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.plugin.Plugin;
import io.ember.api.plugin.PolicyKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/configuration.md} in step with the key declarations of the core and of every
 * bundled plugin (on this module's test class path). To rewrite the generated tables, run
 * {@value #REGENERATE_COMMAND}.
 */
final class ConfigurationDocsTest {

    static final String REGENERATE_PROPERTY = "ember.docs.regenerate";
    static final String REGENERATE_COMMAND =
            "./mvnw -q -B -pl core test -Dtest=ConfigurationDocsTest -Dember.docs.regenerate=true";

    private static final KeyCatalog BUNDLED = KeyCatalog.fromPlugins(EmberKeys.all(), ServiceLoader.load(Plugin.class));

    @Test
    void documentsEveryKeyAsItIsDeclared() throws IOException {
        Path doc = docsFile();
        String current = Files.readString(doc, StandardCharsets.UTF_8);
        String expected = ConfigDocs.withGeneratedSection(current, BUNDLED);
        if (Boolean.getBoolean(REGENERATE_PROPERTY)) {
            Files.writeString(doc, expected, StandardCharsets.UTF_8);
            return;
        }
        assertEquals(expected, current, doc + " does not match the key declarations; regenerate its tables with\n  "
                + REGENERATE_COMMAND + "\nand commit the result");
    }

    @Test
    void seesTheBundledPolicies() {
        assertTrue(BUNDLED.hasPolicy(PolicyKind.SCHEDULER, "fifo"), BUNDLED.policyNames(PolicyKind.SCHEDULER).toString());
        assertTrue(BUNDLED.hasPolicy(PolicyKind.SCHEDULER, "fair"), BUNDLED.policyNames(PolicyKind.SCHEDULER).toString());
        assertTrue(BUNDLED.hasPolicy(PolicyKind.ALLOCATION, "static"), BUNDLED.policyNames(PolicyKind.ALLOCATION).toString());
        assertTrue(BUNDLED.hasPolicy(PolicyKind.ALLOCATION, "dynamic"), BUNDLED.policyNames(PolicyKind.ALLOCATION).toString());
        assertTrue(BUNDLED.hasPolicy(PolicyKind.SHUFFLE, "sort"), BUNDLED.policyNames(PolicyKind.SHUFFLE).toString());
    }

    /** {@code docs/configuration.md} beside the core module (tests run in the module's directory). */
    private static Path docsFile() {
        Path moduleDir = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        return moduleDir.resolve("../docs/configuration.md").toAbsolutePath().normalize();
    }
}
