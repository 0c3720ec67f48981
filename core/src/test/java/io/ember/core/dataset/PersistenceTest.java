package io.ember.core.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.task.BlockId;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

final class PersistenceTest {

    /** Calls of the counted function; everything runs in-process, so a static counter works. */
    private static final AtomicInteger COMPUTED = new AtomicInteger();

    private final InProcessJobRunner runner = new InProcessJobRunner();
    private final List<Integer> data = IntStream.range(0, 100).boxed().toList();
    private final List<Integer> doubled = data.stream().map(x -> x * 2).toList();

    @BeforeEach
    void resetCounter() {
        COMPUTED.set(0);
    }

    private Dataset<Integer> counted(Dataset<Integer> source) {
        return source.map(x -> {
            COMPUTED.incrementAndGet();
            return x * 2;
        });
    }

    @Test
    void cacheAndPersistMarkTheDatasetAndReturnIt() {
        Dataset<Integer> dataset = Sources.parallelize(runner, data, 4);
        Dataset<Integer> other = Sources.parallelize(runner, data, 4);

        assertFalse(dataset.isPersisted());
        assertSame(dataset, dataset.cache());
        assertSame(other, other.persist());
        assertTrue(dataset.isPersisted());
        assertTrue(other.isPersisted());
    }

    @Test
    void aSecondActionReadsTheCachedPartitions() {
        Dataset<Integer> cached = counted(Sources.parallelize(runner, data, 4)).cache();

        assertEquals(100, cached.count());
        assertEquals(100, COMPUTED.get());
        assertEquals(4, runner.blocks().misses());

        assertEquals(doubled, cached.collect());
        assertEquals(100, COMPUTED.get());
        assertEquals(4, runner.blocks().hits());
        Set<BlockId> expected = Set.of(new BlockId(cached.id(), 0), new BlockId(cached.id(), 1),
                new BlockId(cached.id(), 2), new BlockId(cached.id(), 3));
        assertEquals(expected, runner.blocks().blockIds());
    }

    @Test
    void evictedPartitionsAreComputedAgainExactly() {
        Dataset<Integer> cached = counted(Sources.parallelize(runner, data, 4)).cache();
        cached.count();

        runner.blocks().clear();

        assertEquals(doubled, cached.collect());
        assertEquals(200, COMPUTED.get());
        assertEquals(doubled, cached.collect());
        assertEquals(200, COMPUTED.get());
    }

    @Test
    void aChildOfACachedDatasetReadsItsParentFromTheCache() {
        Dataset<Integer> cached = counted(Sources.parallelize(runner, data, 4)).cache();
        cached.count();

        List<Integer> result = cached.filter(x -> x % 3 == 0).collect();

        assertEquals(doubled.stream().filter(x -> x % 3 == 0).toList(), result);
        assertEquals(100, COMPUTED.get());
    }

    @Test
    void withoutPersistenceEveryActionComputesAgain() {
        Dataset<Integer> plain = counted(Sources.parallelize(runner, data, 4));

        plain.count();
        plain.count();

        assertEquals(200, COMPUTED.get());
        assertEquals(0, runner.blocks().hits() + runner.blocks().misses());
    }

    @Test
    void jobsNameTheCachedDatasetsOfTheLineageNearestFirst() {
        Dataset<Integer> source = Sources.parallelize(runner, data, 4).cache();
        Dataset<Integer> middle = source.map(x -> x + 1);
        Dataset<Integer> top = middle.filter(x -> x > 10).persist();

        top.map(x -> x - 1).count();

        assertArrayEquals(new int[] {top.id(), source.id()}, runner.lastJob().cachedDatasetIds());
        assertArrayEquals(new int[] {top.id(), source.id()}, top.cachedLineage());
        assertArrayEquals(new int[] {source.id()}, middle.cachedLineage());
    }

    @Test
    void unpersistClearsTheFlagAndDropsTheBlocks() {
        Dataset<Integer> cached = counted(Sources.parallelize(runner, data, 4)).cache();
        cached.count();

        assertSame(cached, cached.unpersist());

        assertFalse(cached.isPersisted());
        assertEquals(List.of(cached.id()), runner.unpersisted());
        assertTrue(runner.blocks().blockIds().isEmpty());
        assertEquals(0, cached.cachedLineage().length);
        cached.count();
        assertEquals(200, COMPUTED.get());
        assertTrue(runner.blocks().blockIds().isEmpty());
    }
}
