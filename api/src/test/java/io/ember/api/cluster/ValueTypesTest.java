package io.ember.api.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

final class ValueTypesTest {

    @Test
    void workerRejectsZeroCoresNamingTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WorkerInfo("w1", "127.0.0.1", 7078, 7337, 0, 1 << 30));
        assertEquals("cores must be >= 1: 0", e.getMessage());
    }

    @Test
    void workerWithoutShuffleServiceHasPortZero() {
        assertEquals(0, new WorkerInfo("w1", "127.0.0.1", 7078, 0, 2, 1 << 30).shufflePort());
    }

    @Test
    void portsOutsideTheRangeAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ExecutorInfo("1", "app", "w1", "127.0.0.1", 70_000, 1));
        assertTrue(e.getMessage().contains("70000"), e.getMessage());
    }

    @Test
    void anExecutorThatServesNothingHasPortZero() {
        assertEquals(0, new ExecutorInfo("1", "app", "w1", "127.0.0.1", 0, 1).rpcPort());
    }

    @Test
    void applicationNeedsAQueue() {
        assertThrows(NullPointerException.class, () -> new ApplicationInfo("app-1", "pi", null, 1, 1));
    }
}
