package io.ember.core.allocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.allocation.AllocationContext;
import io.ember.api.allocation.AllocationPolicy;
import io.ember.api.allocation.ExecutorAllocationClient;
import io.ember.api.config.DeclaredSettings;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

final class StaticAllocationPolicyTest {

    @Test
    void requestsTheConfiguredExecutorsOnceAtStart() {
        RecordingClient client = new RecordingClient();
        AllocationPolicy policy = new StaticAllocationFactory()
                .create(DeclaredSettings.of(List.of(), Map.of()), context(client, 3));

        policy.start();
        policy.onStageSubmitted(0, 1_000);
        policy.tick();
        policy.onExecutorRemoved("1");
        policy.tick();

        assertEquals(List.of(3), client.totals);
        assertEquals(List.of(), client.kills);
    }

    @Test
    void theLatestRequestedTotalWinsAndRequestExecutorsAddsToIt() {
        RecordingClient client = new RecordingClient();
        AllocationPolicy policy = new StaticAllocationFactory()
                .create(DeclaredSettings.of(List.of(), Map.of()), context(client, 2));
        policy.start();

        assertTrue(policy.requestTotalExecutors(5));
        assertTrue(policy.requestTotalExecutors(1));
        assertTrue(policy.requestExecutors(3));

        assertEquals(List.of(2, 5, 1, 4), client.totals);
        assertThrows(IllegalArgumentException.class, () -> policy.requestTotalExecutors(-1));
        assertThrows(IllegalArgumentException.class, () -> policy.requestExecutors(-1));
    }

    @Test
    void aKillLowersTheRequestByTheExecutorsItKnowsSoTheyAreNotReplaced() {
        RecordingClient client = new RecordingClient();
        client.held = Set.of("1", "2", "3");
        AllocationPolicy policy = new StaticAllocationFactory()
                .create(DeclaredSettings.of(List.of(), Map.of()), context(client, 3));
        policy.start();

        assertTrue(policy.killExecutors(List.of("2", "9")));
        assertFalse(policy.killExecutors(List.of("9")), "nothing known, nothing sent");
        assertTrue(policy.requestExecutors(1));

        assertEquals(List.of("kill [2] total 2"), client.kills);
        assertEquals(List.of(3, 3), client.totals, "the start request, then the lowered 2 plus 1");
    }

    @Test
    void isNamedStatic() {
        assertEquals("static", new StaticAllocationFactory().name());
    }

    private static AllocationContext context(ExecutorAllocationClient client, int executors) {
        return new AllocationContext() {
            @Override
            public String applicationId() {
                return "app-1";
            }

            @Override
            public ExecutorAllocationClient client() {
                return client;
            }

            @Override
            public Clock clock() {
                return Clock.systemUTC();
            }

            @Override
            public int coresPerExecutor() {
                return 1;
            }

            @Override
            public int configuredExecutors() {
                return executors;
            }

            @Override
            public int coresPerTask() {
                return 1;
            }
        };
    }

    private static final class RecordingClient implements ExecutorAllocationClient {
        final List<Integer> totals = new ArrayList<>();
        final List<String> kills = new ArrayList<>();
        Set<String> held = Set.of();

        @Override
        public boolean requestTotalExecutors(int total) {
            totals.add(total);
            return true;
        }

        @Override
        public boolean killExecutors(Collection<String> executorIds, int total) {
            kills.add("kill " + executorIds + " total " + total);
            return true;
        }

        @Override
        public int requestedTotal() {
            return totals.isEmpty() ? 0 : totals.get(totals.size() - 1);
        }

        @Override
        public Set<String> executorIds() {
            return held;
        }
    }
}
