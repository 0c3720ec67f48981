package io.ember.core.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** One key's join pairs, made as they are read. */
final class CrossProductTest {

    private static <T> List<T> all(Iterator<T> pairs) {
        List<T> out = new ArrayList<>();
        pairs.forEachRemaining(out::add);
        return out;
    }

    @Test
    void anInnerJoinPairsEveryLeftWithEveryRightInOrder() {
        assertEquals(List.of(new Pair<>("k", new Pair<>(1, "a")), new Pair<>("k", new Pair<>(1, "b")),
                        new Pair<>("k", new Pair<>(2, "a")), new Pair<>("k", new Pair<>(2, "b"))),
                all(CrossProduct.inner("k", List.of(1, 2), List.of("a", "b"))));
        assertEquals(List.of(), all(CrossProduct.inner("k", List.of(1), List.<String>of())));
        assertEquals(List.of(), all(CrossProduct.inner("k", List.<Integer>of(), List.of("a"))));
    }

    @Test
    void aLeftOuterJoinKeepsLeftValuesAloneOnlyWhenTheRightHasNone() {
        assertEquals(List.of(new Pair<>("k", new Pair<>(1, null)), new Pair<>("k", new Pair<>(2, null))),
                all(CrossProduct.leftOuter("k", List.of(1, 2), List.<String>of())));
        assertEquals(List.of(new Pair<>("k", new Pair<>(1, "a"))),
                all(CrossProduct.leftOuter("k", List.of(1), List.of("a"))));
        Iterator<Pair<String, Pair<Integer, String>>> none = CrossProduct.leftOuter("k", List.of(), List.of("a"));
        assertFalse(none.hasNext());
        assertThrows(NoSuchElementException.class, none::next);
    }

    @Test
    void aProductOfTenBillionPairsIsReadOneAtATime() {
        List<Integer> side = Collections.nCopies(100_000, 7);
        Iterator<Pair<String, Pair<Integer, Integer>>> pairs = CrossProduct.inner("hot", side, side);
        for (int i = 0; i < 3; i++) {
            assertEquals(new Pair<>("hot", new Pair<>(7, 7)), pairs.next());
        }
    }
}
