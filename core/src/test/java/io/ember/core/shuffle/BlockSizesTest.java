package io.ember.core.shuffle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

final class BlockSizesTest {

    private static final long THRESHOLD = 1_000;

    @Test
    void upToTwoThousandBlocksEveryLengthIsKept() {
        long[] lengths = new long[BlockSizes.EXACT_UP_TO];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = i % 3 == 0 ? 0 : i;
        }
        BlockSizes exact = BlockSizes.exact(lengths);
        assertSame(exact, exact.compact(THRESHOLD), "2,000 blocks stay exact");
        for (int i = 0; i < lengths.length; i++) {
            assertEquals(lengths[i], exact.size(i));
            assertTrue(exact.exact(i));
        }
    }

    @Test
    void pastTwoThousandBlocksEmptiesAndLargeBlocksStayExactAndTheOthersAreAveraged() {
        int count = 3_000;
        long[] lengths = new long[count];
        long total = 0;
        for (int i = 0; i < count; i++) {
            lengths[i] = i % 2 == 0 ? 0 : i % 7 == 0 ? THRESHOLD + i : 100 + i % 5 * 50;   // small: 100..300
            total += lengths[i];
        }
        BlockSizes compact = BlockSizes.exact(lengths).compact(THRESHOLD);

        assertTrue(compact instanceof BlockSizes.Approximate, compact.toString());
        assertEquals(count, compact.count());
        assertEquals(total, compact.total(), "the total stays exact");
        long smallSum = 0;
        int small = 0;
        for (int i = 0; i < count; i++) {
            if (lengths[i] > 0 && lengths[i] < THRESHOLD) {
                smallSum += lengths[i];
                small++;
            }
        }
        long average = Math.round((double) smallSum / small);
        for (int i = 0; i < count; i++) {
            if (lengths[i] == 0) {
                assertEquals(0, compact.size(i), "empty block " + i);
                assertTrue(compact.exact(i));
            } else if (lengths[i] >= THRESHOLD) {
                assertEquals(lengths[i], compact.size(i), "large block " + i);
                assertTrue(compact.exact(i));
            } else {
                assertEquals(average, compact.size(i), "small block " + i);
                assertFalse(compact.exact(i));
            }
        }
        assertThrows(IndexOutOfBoundsException.class, () -> compact.size(count));
    }

    @Test
    void aCompactMapStatusOfThreeThousandBlocksSerializesToAFractionOfTheExactOne() throws IOException {
        long[] lengths = new long[3_000];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = 4_000 + i % 100;
        }
        lengths[17] = 50L << 20;
        BlockSizes exact = BlockSizes.exact(lengths);
        BlockSizes compact = exact.compact(4L << 20);

        int exactBytes = serializedSize(exact);
        int compactBytes = serializedSize(compact);
        assertTrue(exactBytes > 24_000, "3,000 longs: " + exactBytes);
        assertTrue(compactBytes < exactBytes / 10, "compact: " + compactBytes + " bytes, exact: " + exactBytes);
        assertEquals(50L << 20, compact.size(17), "the one large block");
    }

    @Test
    void refusesAThresholdBelowOneByte() {
        assertThrows(IllegalArgumentException.class, () -> BlockSizes.exact(new long[] {1}).compact(0));
    }

    private static int serializedSize(Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.size();
    }
}
