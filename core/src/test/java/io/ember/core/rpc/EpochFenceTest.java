package io.ember.core.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

final class EpochFenceTest {

    private final EpochFence fence = new EpochFence();

    @Test
    void startsWithNothingSeen() {
        assertEquals(0, fence.highest());
    }

    @Test
    void refusesAnOlderEpochWithFailedPrecondition() {
        fence.observe(4);
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> fence.check(3));
        assertEquals(Status.Code.FAILED_PRECONDITION, refused.getStatus().getCode());
        assertEquals("stale leader epoch 3; newest seen is 4", refused.getStatus().getDescription());
        assertEquals(4, fence.highest());
    }

    @Test
    void admitsTheSameEpoch() {
        fence.observe(4);
        fence.check(4);
        assertEquals(4, fence.highest());
    }

    @Test
    void admitsAndRecordsANewerEpoch() {
        fence.observe(4);
        fence.check(5);
        assertEquals(5, fence.highest());
        assertThrows(StatusRuntimeException.class, () -> fence.check(4));
    }

    @Test
    void observeNeverGoesBackwards() {
        assertEquals(9, fence.observe(9));
        assertEquals(9, fence.observe(2));
        assertEquals(9, fence.highest());
    }

    @Test
    void concurrentObservesAndChecksKeepTheMaximum() throws Exception {
        int threads = 8;
        int perThread = 20_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        long epoch = (long) i * threads + offset;
                        if (i % 2 == 0) {
                            fence.observe(epoch);
                        } else {
                            try {
                                fence.check(epoch);
                            } catch (StatusRuntimeException stale) {
                                // another thread got further: fine
                            }
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals((long) (perThread - 1) * threads + threads - 1, fence.highest());
    }
}
