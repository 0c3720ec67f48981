package io.ember.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

final class DurationsTest {

    @Test
    void parsesEveryUnit() {
        assertEquals(Duration.ofMillis(250), Durations.parse("250ms"));
        assertEquals(Duration.ofSeconds(5), Durations.parse("5s"));
        assertEquals(Duration.ofMinutes(2), Durations.parse("2m"));
        assertEquals(Duration.ofHours(1), Durations.parse("1h"));
        assertEquals(Duration.ofDays(3), Durations.parse("3d"));
    }

    @Test
    void readsANumberWithoutUnitAsMilliseconds() {
        assertEquals(Duration.ofMillis(250), Durations.parse("250"));
        assertEquals(Duration.ZERO, Durations.parse("0"));
    }

    @Test
    void ignoresCaseAndWhiteSpaceAroundTheTextAndBeforeTheUnit() {
        assertEquals(Duration.ofSeconds(5), Durations.parse(" 5 S "));
        assertEquals(Duration.ofMillis(7), Durations.parse("7MS"));
        assertEquals(Duration.ofDays(3), Durations.parse("3D"));
        assertEquals(Duration.ofHours(4), Durations.parse("\t4\th\n"));
    }

    @Test
    void readsLeadingZeros() {
        assertEquals(Duration.ofSeconds(5), Durations.parse("005s"));
    }

    @Test
    void refusesTextOutsideTheGrammarNamingItAndTheGrammar() {
        for (String text : List.of("", " ", "s", "ms", "1.5s", "-1s", "+1s", "5 minutes", "5min", "1w", "1y",
                "1 s s", "1s2", "1e3", "0x10", "one", "1_000ms", "１s")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text), text);
            assertEquals("'" + text.strip() + "' is not a duration: expected a whole number and a unit ms, s, m, h or d"
                    + " (such as 500ms, 5s, 2m, 1h)", e.getMessage());
        }
    }

    @Test
    void refusesDurationsTooLongForADuration() {
        for (String text : List.of("9223372036854775807d", "9223372036854775807h", "99999999999999999999ms",
                "99999999999999999999")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text), text);
            assertEquals("'" + text + "' is too long for a duration", e.getMessage());
        }
    }

    @Test
    void readsTheLongestMillisecondsThatFit() {
        assertEquals(Duration.ofMillis(Long.MAX_VALUE), Durations.parse(Long.MAX_VALUE + "ms"));
        assertEquals(Duration.ofSeconds(Long.MAX_VALUE), Durations.parse(Long.MAX_VALUE + "s"));
    }

    @Test
    void refusesNull() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> Durations.parse(null));
        assertEquals("text is null", e.getMessage());
        assertThrows(NullPointerException.class, () -> Durations.format(null));
        assertThrows(NullPointerException.class, () -> Durations.formatRounded(null));
    }

    @Test
    void formatsInTheLargestUnitThatDividesTheDurationExactly() {
        assertEquals("0ms", Durations.format(Duration.ZERO));
        assertEquals("1ms", Durations.format(Duration.ofMillis(1)));
        assertEquals("1500ms", Durations.format(Duration.ofMillis(1500)));
        assertEquals("61001ms", Durations.format(Duration.ofMillis(61_001)));
        assertEquals("4s", Durations.format(Duration.ofSeconds(4)));
        assertEquals("90s", Durations.format(Duration.ofSeconds(90)));
        assertEquals("2m", Durations.format(Duration.ofMinutes(2)));
        assertEquals("90m", Durations.format(Duration.ofMinutes(90)));
        assertEquals("1h", Durations.format(Duration.ofHours(1)));
        assertEquals("25h", Durations.format(Duration.ofHours(25)));
        assertEquals("2d", Durations.format(Duration.ofDays(2)));
    }

    @Test
    void formatDropsWhatIsBelowAMillisecond() {
        assertEquals("1ms", Durations.format(Duration.ofNanos(1_999_999)));
        assertEquals("0ms", Durations.format(Duration.ofNanos(999_999)));
        assertEquals("2s", Durations.format(Duration.ofSeconds(2, 999)));
    }

    @Test
    void formatWritesANegativeDurationWithAMinusSign() {
        assertEquals("-5s", Durations.format(Duration.ofSeconds(-5)));
        assertEquals("-1500ms", Durations.format(Duration.ofMillis(-1500)));
    }

    @Test
    void formatWritesTheLongestDurations() {
        assertEquals(Long.MAX_VALUE + "s", Durations.format(Duration.ofSeconds(Long.MAX_VALUE, 999_999_999)));
        assertEquals("-" + Long.MAX_VALUE + "s", Durations.format(Duration.ofSeconds(Long.MIN_VALUE)));
    }

    @Test
    void parseReadsBackWhatFormatWrites() {
        for (Duration duration : List.of(Duration.ZERO, Duration.ofMillis(1), Duration.ofMillis(999),
                Duration.ofMillis(1_001), Duration.ofSeconds(59), Duration.ofSeconds(61), Duration.ofMinutes(59),
                Duration.ofMinutes(61), Duration.ofHours(23), Duration.ofHours(25), Duration.ofDays(365),
                Duration.ofMillis(Long.MAX_VALUE), Duration.ofSeconds(Long.MAX_VALUE))) {
            assertEquals(duration, Durations.parse(Durations.format(duration)), duration.toString());
        }
    }

    @Test
    void formatWritesBackWhatParseReadsInTheLargestUnit() {
        assertEquals("2m", Durations.format(Durations.parse("120s")));
        assertEquals("1d", Durations.format(Durations.parse("86400000")));
        assertEquals("5s", Durations.format(Durations.parse(" 5 S ")));
    }

    @Test
    void formatRoundedWritesMillisecondsBelowASecond() {
        assertEquals("0ms", Durations.formatRounded(Duration.ZERO));
        assertEquals("250ms", Durations.formatRounded(Duration.ofMillis(250)));
        assertEquals("100ms", Durations.formatRounded(Duration.ofNanos(99_800_000)));
        assertEquals("999ms", Durations.formatRounded(Duration.ofNanos(999_400_000)));
        assertEquals("1s", Durations.formatRounded(Duration.ofNanos(999_600_000)));
    }

    @Test
    void formatRoundedWritesTenthsOfASecondAboveASecond() {
        assertEquals("1.5s", Durations.formatRounded(Duration.ofMillis(1_500)));
        assertEquals("1.5s", Durations.formatRounded(Duration.ofMillis(1_520)));
        assertEquals("1.6s", Durations.formatRounded(Duration.ofMillis(1_550)));
        assertEquals("12.3s", Durations.formatRounded(Duration.ofMillis(12_345)));
        assertEquals("61.5s", Durations.formatRounded(Duration.ofMillis(61_500)));
    }

    @Test
    void formatRoundedWritesWholeSecondsAsFormatDoes() {
        assertEquals("1s", Durations.formatRounded(Duration.ofSeconds(1)));
        assertEquals("10s", Durations.formatRounded(Duration.ofMillis(9_998)));
        assertEquals("90s", Durations.formatRounded(Duration.ofSeconds(90)));
        assertEquals("2m", Durations.formatRounded(Duration.ofMillis(119_960)));
        assertEquals("1h", Durations.formatRounded(Duration.ofHours(1)));
        assertEquals("2d", Durations.formatRounded(Duration.ofDays(2)));
    }

    @Test
    void formatRoundedWritesNegativeAndLongestDurations() {
        assertEquals("-1.5s", Durations.formatRounded(Duration.ofMillis(-1_500)));
        assertEquals("-250ms", Durations.formatRounded(Duration.ofMillis(-250)));
        assertEquals(Long.MAX_VALUE + "s", Durations.formatRounded(Duration.ofSeconds(Long.MAX_VALUE, 999_999_999)));
    }
}
