package io.ember.api.shuffle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

final class ShuffleBlockIdTest {

    @Test
    void parsesItsTextForm() {
        assertEquals(new ShuffleBlockId(1, 2, 3), ShuffleBlockId.parse("shuffle_1_2_3"));
        assertEquals(new ShuffleBlockId(0, 0, 0), ShuffleBlockId.parse("shuffle_0_0_0"));
        assertEquals(new ShuffleBlockId(10, 200, 3000), ShuffleBlockId.parse("shuffle_10_200_3000"));
    }

    @Test
    void parsesTheLargestIds() {
        ShuffleBlockId id = new ShuffleBlockId(Integer.MAX_VALUE, Long.MAX_VALUE, Integer.MAX_VALUE);

        assertEquals(id, ShuffleBlockId.parse("shuffle_2147483647_9223372036854775807_2147483647"));
    }

    @Test
    void printsWhatItParses() {
        ShuffleBlockId id = new ShuffleBlockId(7, 123456789012L, 42);

        assertEquals("shuffle_7_123456789012_42", id.toString());
        assertEquals(id, ShuffleBlockId.parse(id.toString()));
    }

    @Test
    void refusesLeadingZeros() {
        assertRefused("shuffle_01_2_3", "'shuffle_01_2_3'");
        assertRefused("shuffle_1_02_3", "'shuffle_1_02_3'");
        assertRefused("shuffle_1_2_00", "'shuffle_1_2_00'");
    }

    @Test
    void refusesSigns() {
        assertRefused("shuffle_-1_2_3", "'shuffle_-1_2_3'");
        assertRefused("shuffle_+1_2_3", "'shuffle_+1_2_3'");
        assertRefused("shuffle_1_-2_3", "'shuffle_1_-2_3'");
    }

    @Test
    void refusesSpaces() {
        assertRefused(" shuffle_1_2_3", "' shuffle_1_2_3'");
        assertRefused("shuffle_1_2_3 ", "'shuffle_1_2_3 '");
        assertRefused("shuffle_1_ 2_3", "'shuffle_1_ 2_3'");
    }

    @Test
    void refusesPathTricks() {
        assertRefused("shuffle_1_2_3/..", "'shuffle_1_2_3/..'");
        assertRefused("../shuffle_1_2_3", "'../shuffle_1_2_3'");
        assertRefused("shuffle_1_2_..", "'shuffle_1_2_..'");
        assertRefused("shuffle_1/2_3", "'shuffle_1/2_3'");
    }

    @Test
    void refusesExtraOrMissingText() {
        assertRefused("shuffle_1_2_3_4", "'shuffle_1_2_3_4'");
        assertRefused("shuffle_1_2", "'shuffle_1_2'");
        assertRefused("shuffle_1_2_3.data", "'shuffle_1_2_3.data'");
        assertRefused("Shuffle_1_2_3", "'Shuffle_1_2_3'");
        assertRefused("rdd_1_2_3", "'rdd_1_2_3'");
        assertRefused("", "''");
    }

    @Test
    void refusesNonAsciiDigits() {
        assertRefused("shuffle_\uFF11_2_3", "'shuffle_\uFF11_2_3'");
        assertRefused("shuffle_\u0661_2_3", "'shuffle_\u0661_2_3'");
    }

    @Test
    void refusesNumbersOutOfRange() {
        assertRefused("shuffle_2147483648_2_3", "(out of range): 'shuffle_2147483648_2_3'");
        assertRefused("shuffle_1_9223372036854775808_3", "(out of range): 'shuffle_1_9223372036854775808_3'");
        assertRefused("shuffle_1_2_9999999999", "(out of range): 'shuffle_1_2_9999999999'");
        assertRefused("shuffle_1_2_10000000000", "'shuffle_1_2_10000000000'");
    }

    @Test
    void refusesNull() {
        assertRefused(null, "not a shuffle block id: null");
    }

    @Test
    void quotesVeryLongTextShortened() {
        String text = "shuffle_1_2_3" + "x".repeat(100_000);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ShuffleBlockId.parse(text));

        assertEquals("not a shuffle block id: '" + text.substring(0, 64) + "...'", e.getMessage());
    }

    @Test
    void replacesControlCharactersInTheQuote() {
        assertRefused("shuffle_1_2_3\n", "'shuffle_1_2_3?'");
        assertRefused("shuffle_1\u0000_2_3", "'shuffle_1?_2_3'");
    }

    @Test
    void refusesNegativeIds() {
        assertThrows(IllegalArgumentException.class, () -> new ShuffleBlockId(-1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new ShuffleBlockId(0, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> new ShuffleBlockId(0, 0, -1));
    }

    private static void assertRefused(String text, String quoted) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ShuffleBlockId.parse(text));
        assertTrue(e.getMessage().startsWith("not a shuffle block id"), e.getMessage());
        assertTrue(e.getMessage().endsWith(quoted), e.getMessage());
    }
}
