package io.ember.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class ConfigKeyTest {

    private static final ConfigKey<Integer> CORES = ConfigKey.intKey("executor.cores")
            .defaultValue(1).min(1).max(64).doc("Cores per executor.").build();
    private static final ConfigKey<Integer> WEIGHT = ConfigKey.intKey("pool.<name>.weight")
            .defaultValue(1).min(0).doc("Pool weight.").build();

    @Test
    void acceptsAValueWithinItsBounds() {
        assertEquals(64, CORES.parse("64"));
        assertEquals(1, CORES.parse(" 1 "));
    }

    @Test
    void rejectsAValueBelowItsMinimumSayingWhatIsAllowed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CORES.parse("0"));
        assertEquals("'0' is not allowed; expected an integer, at least 1, at most 64", e.getMessage());
    }

    @Test
    void rejectsAValueAboveItsMaximum() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CORES.parse("65"));
        assertTrue(e.getMessage().contains("'65' is not allowed"), e.getMessage());
    }

    @Test
    void rejectsTextOfTheWrongTypeSayingWhatIsAllowed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CORES.parse("two"));
        assertEquals("'two' is not an integer; expected an integer, at least 1, at most 64", e.getMessage());
    }

    @Test
    void greaterThanExcludesTheBoundItself() {
        ConfigKey<Double> factor = ConfigKey.doubleKey("factor").greaterThan(0.0).defaultValue(1.0)
                .doc("A factor.").build();
        assertEquals(0.5, factor.parse("0.5"));
        assertThrows(IllegalArgumentException.class, () -> factor.parse("0"));
    }

    @Test
    void boundsWorkForDurations() {
        ConfigKey<Duration> timeout = ConfigKey.durationKey("timeout").min(Duration.ofSeconds(1))
                .defaultValue(Duration.ofSeconds(5)).doc("A timeout.").build();
        assertEquals("a duration such as 500ms, 5s, 2m or 1h, at least 1s", timeout.allowedValues());
        assertThrows(IllegalArgumentException.class, () -> timeout.parse("999ms"));
    }

    @Test
    void aCustomCheckDescribesItselfInTheError() {
        ConfigKey<Integer> buffers = ConfigKey.intKey("buffers")
                .check(v -> Integer.bitCount(v) == 1, "a power of two").defaultValue(8).doc("Buffers.").build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> buffers.parse("6"));
        assertEquals("'6' is not allowed; expected an integer, a power of two", e.getMessage());
    }

    @Test
    void aChoiceMatchesIgnoringCaseAndGivesTheDeclaredSpelling() {
        ConfigKey<String> mode = ConfigKey.choiceKey("mode", "FIFO", "FAIR").defaultValue("FIFO")
                .doc("Mode.").build();
        assertEquals("FAIR", mode.parse("fair"));
    }

    @Test
    void aChoiceRejectsOtherWordsListingTheAllowedOnes() {
        ConfigKey<String> mode = ConfigKey.choiceKey("mode", "FIFO", "FAIR").defaultValue("FIFO")
                .doc("Mode.").build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> mode.parse("lifo"));
        assertTrue(e.getMessage().startsWith("'lifo' is not one of FIFO, FAIR"), e.getMessage());
        assertTrue(e.getMessage().endsWith("expected one of FIFO, FAIR"), e.getMessage());
    }

    @Test
    void aChoiceNeedsAtLeastOneWord() {
        assertThrows(IllegalArgumentException.class, () -> ConfigKey.choiceKey("mode"));
    }

    @Test
    void resolvesAPatternWithAName() {
        assertTrue(WEIGHT.isPattern());
        assertEquals("pool.reports.weight", WEIGHT.resolve("reports"));
    }

    @Test
    void refusesToResolveANameThatIsNotOneSegment() {
        assertThrows(IllegalArgumentException.class, () -> WEIGHT.resolve("a.b"));
        assertThrows(IllegalArgumentException.class, () -> WEIGHT.resolve(""));
        assertThrows(IllegalArgumentException.class, () -> WEIGHT.resolve(null));
    }

    @Test
    void refusesToResolveAFixedKey() {
        assertFalse(CORES.isPattern());
        assertThrows(IllegalStateException.class, () -> CORES.resolve("x"));
    }

    @Test
    void matchesAnInstanceOfAPatternAndGivesItsName() {
        assertEquals(Optional.of("etl-2"), WEIGHT.match("pool.etl-2.weight"));
    }

    @Test
    void doesNotMatchNamesOfAnotherShape() {
        assertEquals(Optional.empty(), WEIGHT.match("pool.a.b.weight"));
        assertEquals(Optional.empty(), WEIGHT.match("pool..weight"));
        assertEquals(Optional.empty(), WEIGHT.match("pool.a.mode"));
        assertEquals(Optional.empty(), WEIGHT.match("other.a.weight"));
        assertEquals(Optional.empty(), CORES.match("executor.cores"));
    }

    @Test
    void matchesAPatternEndingInThePlaceholder() {
        ConfigKey<String> alias = ConfigKey.stringKey("alias.<name>").doc("An alias.").build();
        assertEquals(Optional.of("x"), alias.match("alias.x"));
        assertEquals(Optional.empty(), alias.match("alias."));
    }

    @Test
    void showsTheDefaultAsFormattedTextOrAsItsDescription() {
        assertEquals("1", CORES.defaultText());
        ConfigKey<Long> max = ConfigKey.longKey("max").defaultValue(Long.MAX_VALUE).defaultDescription("unbounded")
                .doc("Max.").build();
        assertEquals("unbounded", max.defaultText());
        ConfigKey<String> host = ConfigKey.stringKey("host").doc("Host.").build();
        assertEquals("(none)", host.defaultText());
        assertEquals(Optional.empty(), host.defaultValue());
    }

    @Test
    void rejectsADeclarationWithoutDoc() {
        assertThrows(IllegalStateException.class, () -> ConfigKey.intKey("a").defaultValue(1).build());
        assertThrows(IllegalStateException.class, () -> ConfigKey.intKey("a").doc(" ").build());
    }

    @Test
    void rejectsARequiredKeyWithADefault() {
        assertThrows(IllegalStateException.class,
                () -> ConfigKey.intKey("a").required().defaultValue(1).doc("A.").build());
    }

    @Test
    void rejectsARequiredPatternKey() {
        assertThrows(IllegalStateException.class, () -> ConfigKey.intKey("a.<name>").required().doc("A.").build());
    }

    @Test
    void rejectsADefaultThatFailsItsOwnCheck() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ConfigKey.intKey("a").min(1).defaultValue(0).doc("A.").build());
        assertEquals("default of a (0) fails its own check: at least 1", e.getMessage());
    }

    @Test
    void rejectsAChoiceDefaultThatIsNotAllowed() {
        assertThrows(IllegalStateException.class,
                () -> ConfigKey.choiceKey("mode", "FIFO", "FAIR").defaultValue("LIFO").doc("Mode.").build());
    }

    @Test
    void rejectsBoundsThatNoValueCanMeet() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ConfigKey.intKey("a").min(10).max(5).doc("A.").build());
        assertEquals("key a has bounds no value can meet: at least 10 and at most 5", e.getMessage());
        assertThrows(IllegalStateException.class,
                () -> ConfigKey.intKey("a").greaterThan(5).max(5).doc("A.").build());
    }

    @Test
    void acceptsBoundsThatAdmitExactlyOneValue() {
        ConfigKey<Integer> one = ConfigKey.intKey("a").min(5).max(5).doc("A.").build();
        assertEquals(5, one.parse("5"));
    }

    @Test
    void rejectsMalformedNames() {
        assertThrows(IllegalArgumentException.class, () -> ConfigKey.intKey("a b"));
        assertThrows(IllegalArgumentException.class, () -> ConfigKey.intKey(""));
        assertThrows(IllegalArgumentException.class, () -> ConfigKey.intKey("a..b"));
        assertThrows(IllegalArgumentException.class, () -> ConfigKey.intKey("a.<name>.<name>"));
        assertThrows(IllegalArgumentException.class, () -> ConfigKey.intKey("pool.<name>x.weight"));
        assertThrows(IllegalArgumentException.class, () -> ConfigKey.intKey("pool.<id>.weight"));
    }

    @Test
    void aSensitiveKeyNeverRepeatsItsValueInAnError() {
        ConfigKey<String> secret = ConfigKey.stringKey("secret").check(v -> v.length() >= 16, "at least 16 characters")
                .sensitive().doc("A secret.").build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> secret.parse("hunter2"));
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        assertTrue(e.getMessage().contains("at least 16 characters"), e.getMessage());
        assertTrue(secret.isSensitive());
    }
}
