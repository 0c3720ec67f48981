package io.ember.core.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The parts a spill cuts a growing combiner into merge back, in order, to the combiner. */
final class CombinerSplitterTest {

    @Test
    void aListsPartsConcatenateToItAndAreAboutEqual() {
        List<Integer> values = IntStream.range(0, 1_003).boxed().toList();
        CombinerSplitter<List<Integer>> splitter = CombinerSplitter.lists();

        List<Integer> merged = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            List<Integer> part = splitter.part(new ArrayList<>(values), i, 7);
            assertTrue(part.size() == 143 || part.size() == 144, "part " + i + ": " + part.size());
            merged.addAll(part);
        }

        assertEquals(values, merged);
    }

    @Test
    void aPairOfListsIsCutAcrossBothSidesAndEachPartKeepsItsSide() {
        List<String> left = List.of("a", "b", "c");
        List<Integer> right = List.of(1, 2, 3, 4, 5);
        CombinerSplitter<Pair<List<String>, List<Integer>>> splitter = CombinerSplitter.listPairs();
        Pair<List<String>, List<Integer>> both = new Pair<>(new ArrayList<>(left), new ArrayList<>(right));

        Pair<List<String>, List<Integer>> merged = new Pair<>(new ArrayList<>(), new ArrayList<>());
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Pair<List<String>, List<Integer>> part = splitter.part(both, i, 3);
            sizes.add(part.key().size() + part.value().size());
            merged.key().addAll(part.key());
            merged.value().addAll(part.value());
        }

        assertEquals(left, merged.key());
        assertEquals(right, merged.value());
        assertEquals(List.of(2, 3, 3), sizes);
    }

    @Test
    void morePartsThanElementsGivesEmptyPartsAndLosesNothing() {
        CombinerSplitter<List<String>> splitter = CombinerSplitter.lists();
        List<String> merged = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            merged.addAll(splitter.part(new ArrayList<>(List.of("x", "y")), i, 5));
        }
        assertEquals(List.of("x", "y"), merged);
    }

    @Test
    void aCombinerThatIsNotCutIsItsOnlyPart() {
        CombinerSplitter<Object> whole = CombinerSplitter.whole();
        Object combiner = new Object();
        assertEquals(combiner, whole.part(combiner, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> whole.part(combiner, 0, 2));
    }
}
