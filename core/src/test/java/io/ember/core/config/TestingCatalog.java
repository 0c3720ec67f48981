package io.ember.core.config;

import io.ember.api.config.ConfigKey;
import io.ember.api.plugin.PolicyKind;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A catalog shaped like the bundled plugins', with keys the tests control. */
final class TestingCatalog {

    static final ConfigKey<Integer> WEIGHT = ConfigKey.intKey("pool.<name>.weight")
            .defaultValue(1).min(0).doc("Weight of the pool.").build();
    static final ConfigKey<String> MODE = ConfigKey.choiceKey("pool.<name>.mode", "FIFO", "FAIR")
            .defaultValue("FIFO").doc("How the pool orders its own task sets.").build();
    static final ConfigKey<Duration> RELOAD_INTERVAL = ConfigKey.durationKey("reload.interval")
            .defaultValue(Duration.ofSeconds(10)).min(Duration.ofMillis(100)).doc("How often pools are re-read.").build();
    static final ConfigKey<Integer> MIN_EXECUTORS = ConfigKey.intKey("minExecutors")
            .defaultValue(0).min(0).doc("Fewest executors.").build();
    static final ConfigKey<String> COMPRESS_CODEC = ConfigKey.choiceKey("compress.codec", "lz4", "zstd", "none")
            .defaultValue("lz4").doc("Codec for shuffle blocks.").build();
    static final ConfigKey<String> SPILL_DIR = ConfigKey.stringKey("spill.dir")
            .required().doc("Where to spill; no default.").build();

    private TestingCatalog() {
    }

    /** fifo and fair schedulers, static and dynamic allocation, sort shuffle. */
    static KeyCatalog catalog() {
        return new KeyCatalog(EmberKeys.all(), Map.of(
                PolicyKind.SCHEDULER, Map.of("fifo", List.of(), "fair", List.of(WEIGHT, MODE, RELOAD_INTERVAL)),
                PolicyKind.ALLOCATION, Map.of("static", List.of(), "dynamic", List.of(MIN_EXECUTORS)),
                PolicyKind.SHUFFLE, Map.of("sort", List.of(COMPRESS_CODEC))));
    }

    /** As {@link #catalog()}, with a shuffle policy {@code spill} that has a required key. */
    static KeyCatalog catalogWithRequiredKey() {
        return new KeyCatalog(EmberKeys.all(), Map.of(
                PolicyKind.SCHEDULER, Map.of("fifo", List.of()),
                PolicyKind.ALLOCATION, Map.of("static", List.of()),
                PolicyKind.SHUFFLE, Map.of("sort", List.of(), "spill", List.of(SPILL_DIR))));
    }
}
