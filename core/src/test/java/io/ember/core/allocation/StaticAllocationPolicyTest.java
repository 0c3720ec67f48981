package io.ember.core.allocation;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        final List<Collection<String>> kills = new ArrayList<>();

        @Override
        public boolean requestTotalExecutors(int total) {
            totals.add(total);
            return true;
        }

        @Override
        public boolean killExecutors(Collection<String> executorIds) {
            kills.add(executorIds);
            return true;
        }

        @Override
        public Set<String> executorIds() {
            return Set.of();
        }
    }
}
