package io.ember.shuffle.sort;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Locale;
import java.util.zip.Adler32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/** The checksum a shuffle block carries, so that a reader detects a corrupt block. */
public enum ChecksumAlgorithm {
    /** CRC-32C (Castagnoli), hardware-accelerated on current CPUs; the default. */
    CRC32C("crc32c"),
    /** Adler-32: cheaper, weaker on short blocks. */
    ADLER32("adler32");

    private final String word;

    ChecksumAlgorithm(String word) {
        this.word = word;
    }

    /** The word that selects this algorithm in {@code checksum.algorithm}. */
    public String word() {
        return word;
    }

    /** A fresh checksum of this algorithm, at its initial value; not thread-safe, like every {@link Checksum}. */
    public Checksum newChecksum() {
        return switch (this) {
            case CRC32C -> new CRC32C();
            case ADLER32 -> new Adler32();
        };
    }

    /**
     * The algorithm a word selects, ignoring case.
     *
     * @throws IllegalArgumentException naming the word and the words allowed
     */
    public static ChecksumAlgorithm of(String word) {
        requireNonNull(word, "word is null");
        return Arrays.stream(values())
                .filter(a -> a.word.equals(word.trim().toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown checksum algorithm '" + word + "'; expected one of "
                        + String.join(", ", words())));
    }

    /** Every selecting word, in declaration order. */
    static String[] words() {
        return Arrays.stream(values()).map(ChecksumAlgorithm::word).toArray(String[]::new);
    }
}
