package io.ember.shuffle.sort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.config.ConfigKey;
import io.ember.api.config.DeclaredSettings;
import io.ember.api.config.InvalidSettingException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class SortShuffleSettingsTest {

    private static final String PREFIX = "ember.shuffle.sort.";
    private static final String FILE = "conf/shuffle-sort.properties";

    @Test
    void pinsEveryKeyAndItsDefault() {
        Map<String, String> defaults = new LinkedHashMap<>();
        for (ConfigKey<?> key : SortShuffleSettings.KEYS) {
            defaults.put(key.name(), key.defaultText());
            assertFalse(key.doc().isBlank(), key.name());
        }
        assertEquals(Map.of(
                "spill.threshold", "64m",
                "file.bufferSize", "64k",
                "checksum.enabled", "true",
                "checksum.algorithm", "crc32c",
                "maxBytesInFlight", "48m",
                "maxBytesInFlightPerExecutor", "96m",
                "fetchToDisk.threshold", "64m"), defaults);
    }

    /** A reduce task holds a block whole up to the threshold, and never more than an eighth of the heap. */
    @Test
    void blocksHeldWholeAreAtMostAnEighthOfTheHeap() {
        assertEquals(64L << 20, SortExecutorShuffle.inMemoryUpTo(64L << 20, 1L << 30));
        assertEquals(64L << 20, SortExecutorShuffle.inMemoryUpTo(64L << 20, 512L << 20));
        assertEquals(32L << 20, SortExecutorShuffle.inMemoryUpTo(64L << 20, 256L << 20));
        assertEquals(24L << 20, SortExecutorShuffle.inMemoryUpTo(64L << 20, 192L << 20));
        assertEquals(1L << 20, SortExecutorShuffle.inMemoryUpTo(1L << 20, 1L << 30), "a lower setting stays");
    }

    @Test
    void readsTheDefaults() {
        assertEquals(new SortShuffleSettings(64L << 20, 64 << 10, true, ChecksumAlgorithm.CRC32C, 48L << 20, 96L << 20,
                64L << 20),
                read(Map.of()));
    }

    @Test
    void readsEveryKey() {
        assertEquals(new SortShuffleSettings(1L << 30, 1 << 20, false, ChecksumAlgorithm.ADLER32, 1L << 20, 3L << 20,
                5L << 10),
                read(Map.of(
                        "spill.threshold", "1g",
                        "file.bufferSize", "1m",
                        "checksum.enabled", "false",
                        "checksum.algorithm", "ADLER32",
                        "maxBytesInFlight", "1m",
                        "maxBytesInFlightPerExecutor", "3m",
                        "fetchToDisk.threshold", "5k")));
    }

    @Test
    void rejectsSizesBelowTheirMinimum() {
        assertRejected("spill.threshold", "512k", "a size such as 512k, 64m or 2g, at least 1m");
        assertRejected("file.bufferSize", "2k", "a size such as 512k, 64m or 2g, at least 4k, at most 1g");
        assertRejected("maxBytesInFlight", "1023k", "a size such as 512k, 64m or 2g, at least 1m");
        assertRejected("maxBytesInFlightPerExecutor", "1023k", "a size such as 512k, 64m or 2g, at least 1m");
    }

    @Test
    void rejectsAFileBufferAnArrayCannotHold() {
        assertRejected("file.bufferSize", "4g", "a size such as 512k, 64m or 2g, at least 4k, at most 1g");
    }

    @Test
    void rejectsMalformedValues() {
        assertRejected("spill.threshold", "lots", "a size such as 512k, 64m or 2g, at least 1m");
        assertRejected("checksum.enabled", "yes", "true or false");
        assertRejected("checksum.algorithm", "md5", "one of crc32c, adler32");
    }

    @Test
    void recordRejectsValuesBuiltByHand() {
        assertThrows(IllegalArgumentException.class,
                () -> new SortShuffleSettings(1, 64 << 10, true, ChecksumAlgorithm.CRC32C, 48L << 20));
        assertThrows(IllegalArgumentException.class,
                () -> new SortShuffleSettings(64L << 20, 64 << 10, true, ChecksumAlgorithm.CRC32C, 1));
        assertThrows(NullPointerException.class,
                () -> new SortShuffleSettings(64L << 20, 64 << 10, true, null, 48L << 20));
    }

    @Test
    void namesTheAllowedChecksumAlgorithms() {
        assertEquals(ChecksumAlgorithm.ADLER32, ChecksumAlgorithm.of(" Adler32 "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChecksumAlgorithm.of("md5"));
        assertEquals("unknown checksum algorithm 'md5'; expected one of crc32c, adler32", e.getMessage());
    }

    private static void assertRejected(String key, String value, String allowed) {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> read(Map.of(key, value)),
                key + "=" + value);
        assertEquals(PREFIX + key, e.key());
        assertEquals(FILE + ":" + key, e.origin());
        assertTrue(e.getMessage().startsWith(PREFIX + key + " (" + FILE + ":" + key + "): '" + value + "'"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("expected " + allowed), e.getMessage());
    }

    private static SortShuffleSettings read(Map<String, String> values) {
        DeclaredSettings.Builder builder = DeclaredSettings.builder(PREFIX, SortShuffleSettings.KEYS);
        values.forEach((k, v) -> builder.set(k, v, FILE + ":" + k));
        return SortShuffleSettings.from(builder.build());
    }
}
