package io.ember.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.config.PropertiesFile.Entry;
import io.ember.core.config.PropertiesFile.Problem;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Properties files, fuzzed: text made of the characters the syntax cares about, and bytes that may
 * not be UTF-8. A file is read with its problems named by line, never an exception; and every text
 * read without a problem means exactly what {@link Properties#load} reads in it.
 */
final class PropertiesFileFuzzTest {

    @Property(tries = 3000)
    void everyTextReadWithoutAProblemMeansWhatPropertiesReadsInIt(@ForAll("propertiesText") String text)
            throws IOException {
        PropertiesFile parsed = PropertiesFile.parse(text);
        if (!parsed.problems().isEmpty()) {
            return;
        }
        Properties reference = new Properties();
        reference.load(new StringReader(text));
        Map<String, String> expected = new HashMap<>();
        reference.stringPropertyNames().forEach(key -> expected.put(key, reference.getProperty(key)));
        Map<String, String> read = new HashMap<>();
        for (Entry entry : parsed.entries()) {
            read.put(entry.key(), entry.value());
        }

        assertEquals(expected, read, () -> "for the text " + escaped(text));
    }

    @Property(tries = 3000)
    void everyProblemAndEntryIsOnALineOfTheText(@ForAll("propertiesText") String text) {
        PropertiesFile parsed = PropertiesFile.parse(text);
        int lines = text.split("\r\n|\r|\n", -1).length;

        for (Problem problem : parsed.problems()) {
            assertTrue(problem.line() >= 1 && problem.line() <= lines, problem + " in <" + text + ">");
            assertTrue(!problem.message().isBlank(), problem.toString());
        }
        for (Entry entry : parsed.entries()) {
            assertTrue(entry.line() >= 1 && entry.line() <= lines, entry + " in <" + text + ">");
            assertTrue(!entry.key().isEmpty(), entry.toString());
        }
    }

    /** Any bytes: read with problems (not UTF-8 among them) and never an exception. */
    @Property(tries = 500)
    void anyBytesAreReadWithTheirProblemsNamed(@ForAll @Size(max = 120) byte[] bytes) throws IOException {
        Path file = Files.createTempFile("ember-fuzz-", ".properties");
        try {
            Files.write(file, bytes);

            PropertiesFile read = PropertiesFile.read(file);

            for (Problem problem : read.problems()) {
                assertTrue(problem.line() >= 0, problem.toString());
                assertTrue(!problem.message().isBlank(), problem.toString());
            }
        } finally {
            Files.delete(file);
        }
    }

    /** The text with its control characters and backslashes written as Java escapes, to read a failure. */
    private static String escaped(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
                .replace("\f", "\\f") + '"';
    }

    @Provide
    Arbitrary<String> propertiesText() {
        return Arbitraries.strings().withChars("ab=: \t\\\n\r#!uU0fF1\fé").ofMaxLength(40);
    }
}
