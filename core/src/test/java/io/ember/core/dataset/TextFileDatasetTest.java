package io.ember.core.dataset;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class TextFileDatasetTest {

    /** What lines are made of: ASCII, two-, three- and four-byte UTF-8, and a lone carriage return. */
    private static final String[] PIECES = {"a", "b", "z", "0", " ", "\t", "é", "ß", "中", "文", "😀", "€", "\r"};

    private final InProcessJobRunner runner = new InProcessJobRunner();

    @TempDir
    Path directory;

    /** A file of random lines; returns the lines as a reader of the file must see them. */
    private static List<String> writeRandomFile(Path file, Random random) throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder content = new StringBuilder();
        int count = random.nextInt(60);
        for (int i = 0; i < count; i++) {
            StringBuilder line = new StringBuilder();
            int length = random.nextInt(5) == 0 ? 0 : random.nextInt(30);
            for (int c = 0; c < length; c++) {
                line.append(PIECES[random.nextInt(PIECES.length)]);
            }
            boolean last = i == count - 1;
            boolean endsWithCr = !line.isEmpty() && line.charAt(line.length() - 1) == '\r';
            if (last && random.nextBoolean() && !line.isEmpty() && !endsWithCr) {
                content.append(line);   // a final line without a terminator
            } else {
                // a line ending in a lone '\r' needs "\r\n", or its '\r' would read as part of the terminator
                content.append(line).append(endsWithCr || random.nextBoolean() ? "\r\n" : "\n");
            }
            lines.add(line.toString());
        }
        Files.write(file, content.toString().getBytes(UTF_8));
        return lines;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 42, 2024})
    void everySplittingOfARandomFileYieldsExactlyItsLinesInOrder(long seed) throws IOException {
        Random random = new Random(seed);
        Path file = directory.resolve("random.txt");
        List<String> lines = writeRandomFile(file, random);
        long size = Files.size(file);

        TreeSet<Integer> minPartitions = new TreeSet<>(List.of(1, 2, 3, 4, 5, 7, 10, 16, 33));
        minPartitions.add((int) Math.max(1, size / 3));
        minPartitions.add((int) Math.max(1, size - 1));
        minPartitions.add((int) Math.max(1, size));       // a split per byte: every boundary position
        minPartitions.add((int) size + 7);
        for (int min : minPartitions) {
            Dataset<String> text = Sources.textFile(runner, file.toString(), min);

            assertEquals(lines, text.collect(), "minPartitions=" + min + ", size=" + size);
        }
    }

    @Test
    void splitsAreAboutTotalSizeOverMinPartitionsBytes() throws IOException {
        Path file = directory.resolve("hundred.txt");
        Files.write(file, "x\n".repeat(50).getBytes(UTF_8));   // 100 bytes

        TextFileDataset text = (TextFileDataset) Sources.textFile(runner, file.toString(), 3);

        // goal 33 bytes: [0,33) [33,66) [66,99) [99,100)
        assertEquals(4, text.numPartitions());
        assertEquals(List.of(0L, 33L, 66L, 99L), text.splits().stream().map(TextFileDataset.Split::start).toList());
        assertEquals(100, text.splits().get(3).end());
        assertEquals(50, text.count());
    }

    @Test
    void aLineStartingExactlyAtASplitBelongsToThatSplit() throws IOException {
        Path file = directory.resolve("aligned.txt");
        Files.write(file, "abc\ndef\n".getBytes(UTF_8));   // 8 bytes, goal 4: second split starts at "def"

        Dataset<String> text = Sources.textFile(runner, file.toString(), 2);

        assertEquals(List.of(List.of("abc"), List.of("def")), Partitions.of(text));
    }

    @Test
    void aLineCrossingASplitEndIsReadWholeByTheSplitItStartsIn() throws IOException {
        Path file = directory.resolve("crossing.txt");
        Files.write(file, "abcdef\ngh\n".getBytes(UTF_8));   // 10 bytes, goal 5

        Dataset<String> text = Sources.textFile(runner, file.toString(), 2);

        assertEquals(List.of(List.of("abcdef"), List.of("gh")), Partitions.of(text));
    }

    @Test
    void aDirectoryIsReadFileByFileInNameOrderSkippingHiddenAndUnderscoreFiles() throws IOException {
        Path input = Files.createDirectory(directory.resolve("input"));
        Files.write(input.resolve("b.txt"), "b1\nb2\n".getBytes(UTF_8));
        Files.write(input.resolve("a.txt"), "a1\r\na2".getBytes(UTF_8));
        Files.write(input.resolve("c.txt"), new byte[0]);
        Files.write(input.resolve("_SUCCESS"), "ignored\n".getBytes(UTF_8));
        Files.write(input.resolve(".a.txt.crc"), "ignored\n".getBytes(UTF_8));
        Files.createDirectory(input.resolve("nested"));
        Files.write(input.resolve("nested").resolve("deep.txt"), "ignored\n".getBytes(UTF_8));

        Dataset<String> text = Sources.textFile(runner, input.toString(), 1);

        assertEquals(List.of("a1", "a2", "b1", "b2"), text.collect());
        assertEquals(2, text.numPartitions());   // the empty file gives no split
    }

    @Test
    void anEmptyInputStillHasOnePartition() throws IOException {
        Path file = Files.write(directory.resolve("empty.txt"), new byte[0]);

        Dataset<String> text = Sources.textFile(runner, file.toString(), 4);

        assertEquals(1, text.numPartitions());
        assertEquals(List.of(), text.collect());
    }

    @Test
    void aMissingPathFailsWhenTheDatasetIsCreatedNamingThePath() {
        Path missing = directory.resolve("no-such-input");

        UncheckedIOException failure = assertThrows(UncheckedIOException.class,
                () -> Sources.textFile(runner, missing.toString(), 2));

        assertTrue(failure.getMessage().contains(missing.toString()), failure.getMessage());
        assertTrue(runner.jobs().isEmpty());
    }

    @Test
    void aFileTheExecutorsHostDoesNotHaveFailsTheTaskNamingThePathAndWhatIsNeeded() throws IOException {
        Path file = Files.writeString(directory.resolve("on-the-driver-only.txt"), "a\nb\n");
        TextFileDataset text = (TextFileDataset) Sources.textFile(runner, file.toString(), 1);
        Files.delete(file);   // as on an executor's host without it

        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> text.compute(0, new TestingTaskContext(0, 0, 0, 0, "executor-1", new CountingBlockStore())));

        assertEquals("java.io.IOException: cannot read input file " + file + " on this executor's host (no such file); "
                + "textFile reads the same path on every executor's host, so the file must be there on each (a shared "
                + "file system)", e.getMessage());
    }

    @Test
    void minPartitionsBelowOneIsRefused() throws IOException {
        Path file = Files.write(directory.resolve("one.txt"), "x\n".getBytes(UTF_8));

        assertThrows(IllegalArgumentException.class, () -> Sources.textFile(runner, file.toString(), 0));
    }

    @Test
    void theDatasetKeepsTheListingItWasCreatedWith() throws IOException {
        Path input = Files.createDirectory(directory.resolve("listing"));
        Files.write(input.resolve("a.txt"), "a\n".getBytes(UTF_8));
        Dataset<String> text = Sources.textFile(runner, input.toString(), 1);

        Files.write(input.resolve("b.txt"), "b\n".getBytes(UTF_8));

        assertEquals(List.of("a"), text.collect());
    }

    @Test
    void toStringNamesThePath() throws IOException {
        Path file = Files.write(directory.resolve("named.txt"), "x\n".getBytes(UTF_8));

        Dataset<String> text = Sources.textFile(runner, file.toString(), 1);

        assertTrue(text.toString().contains("path=" + file.toAbsolutePath()), text.toString());
    }
}
