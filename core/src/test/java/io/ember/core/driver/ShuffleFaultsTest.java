package io.ember.core.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.dataset.Pair;
import io.ember.core.dataset.PairDataset;
import io.ember.core.job.StageId;
import io.ember.core.scheduler.SchedulerListener;
import io.ember.core.testing.Eventually;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Lost and corrupt map output on {@code local[2]} with the real {@code sort} shuffle: a deleted
 * data file or a flipped byte is a fetch failure (never wrong data), only the map partition that
 * wrote it runs again, and the result is exact.
 */
@Timeout(120)
final class ShuffleFaultsTest {

    private static final int MAPS = 6;

    private EmberContext ember;
    private final List<SchedulerListener.StageSubmitted> stages = Collections.synchronizedList(new ArrayList<>());
    private final Map<StageId, Set<Integer>> partitionsByStage = new ConcurrentHashMap<>();

    @BeforeEach
    void start() {
        ember = EmberContext.builder().isolated().master("local[2]").appName("shuffle-faults").build();
        ember.addListener(new SchedulerListener() {
            @Override
            public void onStageSubmitted(StageSubmitted event) {
                stages.add(event);
            }

            @Override
            public void onTaskStart(TaskStart event) {
                partitionsByStage.computeIfAbsent(event.stageId(), id -> ConcurrentHashMap.newKeySet()).add(event.partition());
            }
        });
    }

    @AfterEach
    void stop() {
        ember.close();
    }

    private PairDataset<Long, Long> sums() {
        return ember.range(0, 60_000, MAPS).mapToPair(i -> new Pair<>(i % 1_000, 1L)).reduceByKey(Long::sum, 4);
    }

    private static Map<Long, Long> expected() {
        return LongStream.range(0, 1_000).boxed().collect(Collectors.toMap(k -> k, k -> 60L));
    }

    /** The map partitions the map stages ran since the {@code fromStage}-th stage submitted. */
    private List<Integer> mapPartitionsRunSince(int fromStage) {
        Eventually.await(Duration.ofSeconds(10), () -> stages.size() > fromStage, "the stages were heard");
        List<Integer> partitions = new ArrayList<>();
        synchronized (stages) {
            for (SchedulerListener.StageSubmitted stage : stages.subList(fromStage, stages.size())) {
                if (stage.description().startsWith("map stage")) {
                    partitions.addAll(partitionsByStage.getOrDefault(stage.stageId(), Set.of()));
                }
            }
        }
        Collections.sort(partitions);
        return partitions;
    }

    private List<Path> dataFiles() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        List<Path> files = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(tmp)) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString()
                    .startsWith("ember-" + ember.applicationId() + "-shuffle-")).toList()) {
                try (Stream<Path> walk = Files.walk(dir)) {
                    files.addAll(walk.filter(f -> f.toString().endsWith(".data")).sorted().toList());
                }
            }
        }
        return files;
    }

    @Test
    void aDeletedMapOutputIsRecomputedForItsPartitionOnly() throws IOException {
        PairDataset<Long, Long> sums = sums();
        assertEquals(expected(), sums.collectAsMap());
        assertEquals(List.of(0, 1, 2, 3, 4, 5), mapPartitionsRunSince(0));
        List<Path> files = dataFiles();
        assertEquals(MAPS, files.size(), "one data file per map task: " + files);

        int before = stages.size();
        Files.delete(files.get(2));
        assertEquals(expected(), sums.collectAsMap(), "exact after the fetch failure");

        assertEquals(1, mapPartitionsRunSince(before).size(), "only the lost map partition ran again: "
                + mapPartitionsRunSince(before));
    }

    @Test
    void aCorruptByteIsDetectedAndNeverReturnedAsData() throws IOException {
        PairDataset<Long, Long> sums = sums();
        assertEquals(expected(), sums.collectAsMap());
        Path file = dataFiles().get(4);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x20;
        Files.write(file, bytes);

        int before = stages.size();
        assertEquals(expected(), sums.collectAsMap(), "exact: the corrupt block was fetched again, then recomputed");
        assertEquals(1, mapPartitionsRunSince(before).size());
        assertTrue(dataFiles().size() >= MAPS);
    }

    @Test
    void aSecondActionOnAShuffledDatasetRunsNoMapTask() {
        PairDataset<Long, Long> sums = sums();
        sums.collectAsMap();
        int before = stages.size();

        assertEquals(expected(), sums.collectAsMap());

        assertEquals(List.of(), mapPartitionsRunSince(before), "the map outputs are reused");
    }
}
