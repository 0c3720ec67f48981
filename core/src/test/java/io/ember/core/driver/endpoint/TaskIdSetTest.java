package io.ember.core.driver.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

final class TaskIdSetTest {

    @Test
    void holdsWhatWasAddedAndNotRemoved() {
        TaskIdSet set = new TaskIdSet();

        assertTrue(set.add(3));
        assertFalse(set.add(3));
        assertTrue(set.contains(3));
        assertTrue(set.remove(3));
        assertFalse(set.remove(3));
        assertFalse(set.contains(3));
        assertEquals(0, set.size());
    }

    @Test
    void agreesWithAHashSetOverManyAddsAndRemoves() {
        TaskIdSet set = new TaskIdSet();
        Set<Long> expected = new HashSet<>();
        Random random = new Random(42);
        for (int i = 0; i < 200_000; i++) {
            long id = random.nextInt(5_000);
            if (random.nextBoolean()) {
                assertEquals(expected.add(id), set.add(id), "add " + id);
            } else {
                assertEquals(expected.remove(id), set.remove(id), "remove " + id);
            }
        }
        assertEquals(expected.size(), set.size());
        for (long id = 0; id < 5_000; id++) {
            assertEquals(expected.contains(id), set.contains(id), "contains " + id);
        }
    }
}
