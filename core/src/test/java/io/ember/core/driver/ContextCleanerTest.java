package io.ember.core.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.core.testing.Eventually;
import java.lang.ref.Reference;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The cleaner alone: an owner that becomes unreachable is cleaned up once, after a garbage
 * collection; one still referenced never is; nothing is cleaned once it is closed.
 */
final class ContextCleanerTest {

    private final List<String> cleaned = new CopyOnWriteArrayList<>();
    private final ContextCleaner cleaner = new ContextCleaner(new ContextCleaner.Actions() {
        @Override
        public void removeShuffle(int shuffleId) {
            cleaned.add("shuffle " + shuffleId);
        }

        @Override
        public void unpersist(int datasetId) {
            cleaned.add("dataset " + datasetId);
        }
    }, Duration.ZERO);

    @AfterEach
    void close() {
        cleaner.close();
    }

    @Test
    void cleansUpWhatBecameUnreachableOnceAndLeavesWhatIsStillReferenced() {
        Object kept = new Object();
        cleaner.shuffleDefined(kept, 1);
        cleaner.shuffleDefined(new Object(), 2);
        cleaner.datasetPersisted(new Object(), 3);

        Eventually.await(Duration.ofSeconds(30), () -> {
            System.gc();
            return cleaned.size() >= 2;
        }, () -> "cleaned: " + cleaned);

        assertEquals(List.of("dataset 3", "shuffle 2"), cleaned.stream().sorted().toList());
        assertEquals(2, cleaner.shufflesCleaned() + cleaner.datasetsCleaned());
        assertEquals(1, cleaner.tracked(), "the referenced owner is still tracked");
        Reference.reachabilityFence(kept);   // reachable up to here
    }

    @Test
    void nothingIsCleanedUpOnceClosed() {
        cleaner.close();
        cleaner.shuffleDefined(new Object(), 5);
        System.gc();

        assertEquals(0, cleaner.tracked());
        assertEquals(List.of(), cleaned);
    }
}
