package io.ember.core.config;

import static io.ember.core.config.JavaOptions.split;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

final class JavaOptionsTest {

    @Test
    void splitsOnWhiteSpace() {
        assertEquals(List.of("-Xss2m", "-XX:+UseParallelGC", "-Da=1"), split("  -Xss2m   -XX:+UseParallelGC\t-Da=1 "));
    }

    @Test
    void groupsWhatDoubleQuotesEncloseAndDropsTheQuotes() {
        assertEquals(List.of("-Dname=a  b", "-Dother=c d", "-Dx=1", "-Dpath=/x y/z"),
                split("\"-Dname=a  b\" -Dother=\"c d\" -Dx=1 -Dpath=/x\" \"y/z"));
        assertEquals(List.of("-Dempty="), split("-Dempty=\"\""));
    }

    @Test
    void splitsAnEmptyOrBlankStringIntoNoOptions() {
        assertEquals(List.of(), split(""));
        assertEquals(List.of(), split("   \t "));
    }

    @Test
    void refusesAnUnclosedQuoteAnEmptyOptionOrAWordThatIsNoOption() {
        IllegalArgumentException unclosed = assertThrows(IllegalArgumentException.class, () -> split("-Da=\"x y"));
        assertEquals("unclosed double quote in JVM options: -Da=\"x y", unclosed.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> split("-Da \"\""));
        assertTrue(empty.getMessage().contains("empty option"), empty.getMessage());
        IllegalArgumentException word = assertThrows(IllegalArgumentException.class, () -> split("-Da=1 Main"));
        assertEquals("JVM option 'Main' does not start with '-' in: -Da=1 Main", word.getMessage());
    }

    @Test
    void isValidAgreesWithSplit() {
        assertTrue(JavaOptions.isValid("-Da=1 \"-Db=x y\""));
        assertTrue(JavaOptions.isValid(""));
        assertFalse(JavaOptions.isValid("-Da=\"x"));
        assertFalse(JavaOptions.isValid("Xmx1g"));
    }
}
