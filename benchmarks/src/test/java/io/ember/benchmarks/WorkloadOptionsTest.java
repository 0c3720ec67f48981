package io.ember.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

final class WorkloadOptionsTest {

    private static final WorkloadOptions DEFAULTS = new WorkloadOptions(5, 1);

    @Test
    void keepsTheDefaultsWithoutArguments() {
        assertEquals(DEFAULTS, WorkloadOptions.parse(new String[0], DEFAULTS));
    }

    @Test
    void readsEveryOptionInEitherForm() {
        WorkloadOptions options = WorkloadOptions.parse(new String[] {"--runs", "3", "--warmup=0",
            "--set", "ember.executor.javaOptions=-Xshare:off -Da=b", "--set=ember.executor.memory=128m"}, DEFAULTS);
        assertEquals(new WorkloadOptions(3, 0, Map.of("ember.executor.javaOptions", "-Xshare:off -Da=b",
                "ember.executor.memory", "128m")), options);
    }

    @Test
    void refusesAnUnknownOptionNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WorkloadOptions.parse(new String[] {"--rounds", "3"}, DEFAULTS));
        assertEquals("unknown option '--rounds'; usage: " + WorkloadOptions.USAGE, e.getMessage());
    }

    @Test
    void refusesZeroRuns() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WorkloadOptions.parse(new String[] {"--runs", "0"}, DEFAULTS));
        assertEquals("--runs must be >= 1: 0", e.getMessage());
    }

    @Test
    void refusesASettingWithoutAValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WorkloadOptions.parse(new String[] {"--set", "ember.executor.memory"}, DEFAULTS));
        assertEquals("--set needs key=value: 'ember.executor.memory'", e.getMessage());
    }
}
