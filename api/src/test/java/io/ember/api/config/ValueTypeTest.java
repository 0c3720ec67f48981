package io.ember.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.api.Test;

final class ValueTypeTest {

    @Test
    void parsesDurationsInEveryUnitIgnoringCaseAndSpace() {
        assertEquals(Duration.ofMillis(250), ValueType.DURATION.parse("250ms"));
        assertEquals(Duration.ofMillis(250), ValueType.DURATION.parse("250"));
        assertEquals(Duration.ofSeconds(5), ValueType.DURATION.parse(" 5 S "));
        assertEquals(Duration.ofMinutes(2), ValueType.DURATION.parse("2m"));
        assertEquals(Duration.ofHours(1), ValueType.DURATION.parse("1h"));
        assertEquals(Duration.ofDays(3), ValueType.DURATION.parse("3D"));
    }

    @Test
    void rejectsDurationsThatAreNotWholeNumbersWithAKnownUnit() {
        for (String text : new String[] {"1.5s", "-1s", "5 minutes", "s", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ValueType.DURATION.parse(text), text);
            assertEquals("'" + text.trim() + "' is not " + ValueType.DURATION.description(), e.getMessage());
        }
    }

    @Test
    void rejectsDurationsThatOverflow() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ValueType.DURATION.parse("9223372036854775807d"));
        assertTrue(e.getMessage().startsWith("'9223372036854775807d' is not a duration"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ValueType.DURATION.parse("99999999999999999999ms"));
    }

    @Test
    void formatsDurationsInTheLargestWholeUnit() {
        assertEquals("2d", ValueType.DURATION.format(Duration.ofDays(2)));
        assertEquals("90m", ValueType.DURATION.format(Duration.ofMinutes(90)));
        assertEquals("1500ms", ValueType.DURATION.format(Duration.ofMillis(1500)));
        assertEquals("0ms", ValueType.DURATION.format(Duration.ZERO));
    }

    @Test
    void parsesSizesInBinaryUnitsWithOptionalTrailingB() {
        assertEquals(512L, ValueType.BYTES.parse("512"));
        assertEquals(512L, ValueType.BYTES.parse("512b"));
        assertEquals(512L * 1024, ValueType.BYTES.parse("512k"));
        assertEquals(64L << 20, ValueType.BYTES.parse("64MB"));
        assertEquals(2L << 30, ValueType.BYTES.parse("2g"));
        assertEquals(1L << 40, ValueType.BYTES.parse("1tb"));
    }

    @Test
    void rejectsSizesThatOverflowALong() {
        assertEquals((1L << 63) - (1L << 40), ValueType.BYTES.parse("8388607t"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ValueType.BYTES.parse("8388608t"));
        assertTrue(e.getMessage().startsWith("'8388608t' is not a size"), e.getMessage());
    }

    @Test
    void rejectsSizesWithUnknownUnits() {
        assertThrows(IllegalArgumentException.class, () -> ValueType.BYTES.parse("5p"));
        assertThrows(IllegalArgumentException.class, () -> ValueType.BYTES.parse("1.5g"));
    }

    @Test
    void formatsSizesInTheLargestWholeUnit() {
        assertEquals("64m", ValueType.BYTES.format(64L << 20));
        assertEquals("1536k", ValueType.BYTES.format(1536L * 1024));
        assertEquals("1000", ValueType.BYTES.format(1000L));
        assertEquals("0", ValueType.BYTES.format(0L));
    }

    @Test
    void rejectsIntegersOutsideTheirRange() {
        assertEquals(Integer.MAX_VALUE, ValueType.INT.parse("2147483647"));
        assertThrows(IllegalArgumentException.class, () -> ValueType.INT.parse("2147483648"));
        assertThrows(IllegalArgumentException.class, () -> ValueType.LONG.parse("9223372036854775808"));
    }

    @Test
    void rejectsNumbersThatAreNotFinite() {
        assertEquals(0.75, ValueType.DOUBLE.parse("0.75"));
        assertThrows(IllegalArgumentException.class, () -> ValueType.DOUBLE.parse("NaN"));
        assertThrows(IllegalArgumentException.class, () -> ValueType.DOUBLE.parse("Infinity"));
        assertThrows(IllegalArgumentException.class, () -> ValueType.DOUBLE.parse("1e400"));
    }

    @Test
    void formatsWholeDoublesWithoutAFraction() {
        assertEquals("3", ValueType.DOUBLE.format(3.0));
        assertEquals("0.5", ValueType.DOUBLE.format(0.5));
    }

    @Test
    void acceptsOnlyTrueOrFalseInAnyCase() {
        assertTrue(ValueType.BOOLEAN.parse("TRUE"));
        assertFalse(ValueType.BOOLEAN.parse("false"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ValueType.BOOLEAN.parse("yes"));
        assertEquals("'yes' is not true or false", e.getMessage());
    }

    @Test
    void trimsStrings() {
        assertEquals("a b", ValueType.STRING.parse("  a b \t"));
    }

    @Test
    void reportsAnyFailureOfACustomParserAsIllegalArgument() {
        ValueType<Duration> iso = ValueType.of("an ISO-8601 duration", Duration::parse, Duration::toString);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> iso.parse("soon"));
        assertEquals("'soon' is not an ISO-8601 duration", e.getMessage());
        assertInstanceOf(DateTimeParseException.class, e.getCause());
    }

    @Test
    void rejectsACustomParserThatReturnsNull() {
        ValueType<String> nothing = ValueType.of("something", text -> null, text -> text);
        assertThrows(IllegalArgumentException.class, () -> nothing.parse("x"));
    }
}
