package io.ember.shuffle.sort;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.shuffle.ShuffleBlockId;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The shuffle's files on disk, fuzzed: indexes of random bytes, damaged indexes, indexes whose fields
 * lie under a valid checksum, data files shorter than their index says, and the shuffle service's
 * state file. Each is read back with a clear {@link IOException} or exactly what it holds: never
 * another exception, an allocation the file does not justify, or a block of the wrong length.
 */
final class ShuffleFilesFuzzTest {

    /** "EMBI", the index's magic. */
    private static final int INDEX_MAGIC = 0x454d4249;

    @Property(tries = 500)
    void randomBytesAreNoIndex(@ForAll @Size(max = 200) byte[] bytes) {
        ShuffleIndex index;
        try {
            index = ShuffleIndex.parse(bytes, "fuzz");
        } catch (IOException expected) {
            assertTrue(expected.getMessage().startsWith("fuzz "), expected.getMessage());
            return;
        }
        assertArrayEquals(bytes, index.toBytes(), "only a well-formed index is read");
    }

    @Property(tries = 500)
    void aDamagedIndexIsRefused(@ForAll("indexes") ShuffleIndex index, @ForAll("damage") Damage damage) {
        byte[] damaged = damage.apply(index.toBytes());

        IOException refused = refusedAs(damaged);

        assertTrue(refused.getMessage().startsWith("fuzz "), refused.getMessage());
    }

    /** Fields chosen at random under a checksum that matches: the index's own rules still hold. */
    @Property(tries = 1000)
    void anIndexWhoseFieldsLieUnderAValidChecksumIsRefusedOrConsistent(
            @ForAll @IntRange(min = -3, max = 40) int partitions, @ForAll @IntRange(min = -2, max = 4) int algorithm,
            @ForAll @Size(max = 45) List<@IntRange(min = -5, max = 1000) Integer> offsets) {
        byte[] bytes = rawIndex(partitions, algorithm, offsets.stream().mapToLong(Integer::longValue).toArray(),
                new long[Math.max(0, Math.min(partitions, 45))]);
        ShuffleIndex index;
        try {
            index = ShuffleIndex.parse(bytes, "fuzz");
        } catch (IOException expected) {
            return;
        }
        assertEquals(partitions, index.partitions());
        assertEquals(0, index.offset(0));
        for (int r = 0; r < index.partitions(); r++) {
            assertTrue(index.length(r) >= 0, "block " + r + " has a negative length");
        }
    }

    /**
     * A block is resolved against a data file of random length under an index whose offsets may run
     * past it: it is refused, or read as exactly its bytes (checked against its checksum).
     */
    @Property(tries = 200)
    void aBlockIsReadAsExactlyItsBytesOrRefused(@ForAll("indexes") ShuffleIndex index,
                                                @ForAll @IntRange(min = 0, max = 300) int dataLength,
                                                @ForAll @IntRange(min = 0, max = 12) int reduceId) throws IOException {
        Path dir = Files.createTempDirectory("ember-shuffle-fuzz-");
        try {
            ShuffleFiles files = new ShuffleFiles(List.of(dir));
            Path data = files.dataFile(0, 7);
            Files.createDirectories(data.getParent());
            byte[] content = new byte[dataLength];
            Arrays.fill(content, (byte) 7);
            Files.write(data, content);
            Files.write(files.indexFile(0, 7), index.toBytes());

            byte[] block;
            try {
                block = ResolvedBlock.resolve(files, new ShuffleBlockId(0, 7, reduceId)).readChecked();
            } catch (IOException refused) {
                assertFalse(refused.getMessage().isBlank());
                return;
            }
            assertTrue(reduceId < index.partitions());
            assertTrue(index.dataLength() <= dataLength, "a block is read only from a data file as long as its index");
            assertEquals(index.length(reduceId), block.length);
        } finally {
            deleteRecursively(dir);
        }
    }

    @Property(tries = 300)
    void aDamagedStateFileIsRefusedWithAnIOException(@ForAll("damage") Damage damage) throws IOException {
        Path dir = Files.createTempDirectory("ember-shuffle-state-fuzz-");
        try {
            RegistryStateFile state = new RegistryStateFile(dir);
            Map<String, Map<String, Integer>> apps = Map.of("app-1", Map.of("0", 1, "1", 2));
            state.write(apps);
            Path file;
            try (Stream<Path> files = Files.list(dir)) {
                file = files.filter(Files::isRegularFile).findFirst().orElseThrow();
            }
            byte[] damaged = damage.apply(Files.readAllBytes(file));
            Files.write(file, damaged);

            try {
                state.read();
            } catch (IOException expected) {
                assertTrue(expected.getMessage().contains(file.toString()), expected.getMessage());
                return;
            }
            throw new AssertionError("a damaged state file was read: " + damage);
        } finally {
            deleteRecursively(dir);
        }
    }

    @Property(tries = 300)
    void aStateFileOfRandomBytesIsRefusedOrRead(@ForAll @Size(max = 300) byte[] bytes) throws IOException {
        Path dir = Files.createTempDirectory("ember-shuffle-state-fuzz-");
        try {
            RegistryStateFile state = new RegistryStateFile(dir);
            state.write(Map.of());
            try (Stream<Path> files = Files.list(dir)) {
                Files.write(files.filter(Files::isRegularFile).findFirst().orElseThrow(), bytes);
            }
            try {
                state.read();
            } catch (IOException expected) {
                assertFalse(expected.getMessage().isBlank());
            }
        } finally {
            deleteRecursively(dir);
        }
    }

    // ---- generators ----------------------------------------------------------------------------

    @Provide
    Arbitrary<ShuffleIndex> indexes() {
        Arbitrary<long[]> lengths = Arbitraries.longs().between(0, 40).array(long[].class).ofMaxSize(12);
        Arbitrary<ChecksumAlgorithm> algorithms = Arbitraries.of(ChecksumAlgorithm.CRC32C, ChecksumAlgorithm.ADLER32,
                null);
        return Combinators.combine(lengths, algorithms).as((blockLengths, algorithm) -> {
            long[] offsets = new long[blockLengths.length + 1];
            for (int i = 0; i < blockLengths.length; i++) {
                offsets[i + 1] = offsets[i] + blockLengths[i];
            }
            long[] checksums = new long[blockLengths.length];
            for (int i = 0; i < checksums.length; i++) {
                // the checksum of a block of 7s, as the data file in the test holds
                byte[] block = new byte[(int) blockLengths[i]];
                Arrays.fill(block, (byte) 7);
                checksums[i] = algorithm == null ? 0 : BlockChecksum.of(algorithm, block);
            }
            return new ShuffleIndex(offsets, checksums, algorithm);
        });
    }

    /** Truncated, extended or with one byte changed. */
    record Damage(String kind, int position, int value) {
        byte[] apply(byte[] bytes) {
            int at = Math.floorMod(position, bytes.length);
            return switch (kind) {
                case "truncate" -> Arrays.copyOf(bytes, at);
                case "extend" -> Arrays.copyOf(bytes, bytes.length + 1 + Math.floorMod(value, 64));
                default -> {
                    byte[] changed = bytes.clone();
                    changed[at] = (byte) (changed[at] ^ (1 + Math.floorMod(value, 255)));
                    yield changed;
                }
            };
        }
    }

    @Provide
    Arbitrary<Damage> damage() {
        return Combinators.combine(Arbitraries.of("truncate", "extend", "flip"), Arbitraries.integers(),
                Arbitraries.integers()).as(Damage::new);
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static IOException refusedAs(byte[] bytes) {
        try {
            ShuffleIndex.parse(bytes, "fuzz");
        } catch (IOException refused) {
            return refused;
        }
        throw new AssertionError("damaged bytes were read as an index");
    }

    /** An index in the file format with any field values, and a checksum that matches them. */
    private static byte[] rawIndex(int partitions, int algorithm, long[] offsets, long[] checksums) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(INDEX_MAGIC);
            out.writeInt(1);
            out.writeInt(partitions);
            out.writeByte(algorithm);
            for (long offset : offsets) {
                out.writeLong(offset);
            }
            for (long checksum : checksums) {
                out.writeLong(checksum);
            }
            CRC32C crc = new CRC32C();
            crc.update(bytes.toByteArray());
            out.writeLong(crc.getValue());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
