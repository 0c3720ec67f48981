package io.ember.core.executor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.shuffle.BlockLocation;
import io.ember.core.shuffle.MapOutputsRef;
import io.ember.core.shuffle.MapStatus;
import io.ember.core.shuffle.MapStatusCodec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

final class DriverMapOutputsTest {

    private static final MapStatus[] STATUSES = {
        new MapStatus(0, 10, new BlockLocation("1", "host-a", 7337), new long[] {5, 0, 7}),
        new MapStatus(1, 11, new BlockLocation("2", "host-b", 7337), new long[] {0, 2, 9}),
    };
    private static final byte[] ENCODED = MapStatusCodec.encode(STATUSES);

    @Test
    void tasksAskingTogetherShareOneFetchAndLaterTasksNone() throws Exception {
        AtomicInteger fetches = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        DriverMapOutputs outputs = new DriverMapOutputs(ref -> {
            fetches.incrementAndGet();
            try {
                assertTrue(release.await(30, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            return ENCODED;
        });
        MapOutputsRef ref = new MapOutputsRef(3, 7);
        ExecutorService tasks = Executors.newFixedThreadPool(4);
        try {
            List<Future<MapStatus[]>> asked = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                asked.add(tasks.submit(() -> outputs.statuses(ref)));
            }
            release.countDown();
            for (Future<MapStatus[]> statuses : asked) {
                assertArrayEquals(STATUSES, statuses.get(30, TimeUnit.SECONDS));
            }
        } finally {
            tasks.shutdownNow();
        }
        assertArrayEquals(STATUSES, outputs.statuses(ref));
        assertEquals(1, fetches.get(), "one fetch for every task of the stage on this executor");
    }

    @Test
    void aFailedFetchIsNotKeptSoTheNextTaskAsksAgain() throws IOException {
        AtomicInteger fetches = new AtomicInteger();
        DriverMapOutputs outputs = new DriverMapOutputs(ref -> {
            if (fetches.incrementAndGet() == 1) {
                throw new IOException("the driver at 127.0.0.1:1 did not answer");
            }
            return ENCODED;
        });
        MapOutputsRef ref = new MapOutputsRef(3, 7);
        IOException failed = assertThrows(IOException.class, () -> outputs.statuses(ref));
        assertTrue(failed.getMessage().contains("did not answer"), failed.getMessage());
        assertArrayEquals(STATUSES, outputs.statuses(ref));
        assertEquals(2, fetches.get());
    }

    @Test
    void keepsOnlyTheLastFewVersions() throws IOException {
        AtomicInteger fetches = new AtomicInteger();
        DriverMapOutputs outputs = new DriverMapOutputs(ref -> {
            fetches.incrementAndGet();
            return ENCODED;
        });
        for (int version = 0; version < DriverMapOutputs.KEPT + 3; version++) {
            outputs.statuses(new MapOutputsRef(1, version));
        }
        assertEquals(DriverMapOutputs.KEPT, outputs.kept());
        outputs.statuses(new MapOutputsRef(1, DriverMapOutputs.KEPT + 2));
        assertEquals(DriverMapOutputs.KEPT + 3, fetches.get(), "the newest is still kept");
        outputs.statuses(new MapOutputsRef(1, 0));
        assertEquals(DriverMapOutputs.KEPT + 4, fetches.get(), "the oldest was let go");
    }
}
