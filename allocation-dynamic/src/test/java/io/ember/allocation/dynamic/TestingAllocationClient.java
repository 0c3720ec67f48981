package io.ember.allocation.dynamic;

import io.ember.api.allocation.ExecutorAllocationClient;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/** Records what a policy asks for; can pretend the cluster manager is unreachable. */
final class TestingAllocationClient implements ExecutorAllocationClient {

    private final List<Integer> requestedTotals = new ArrayList<>();
    private final List<List<String>> kills = new ArrayList<>();
    private boolean reachable = true;

    /** Whether later calls succeed; a failed call is not recorded. */
    void reachable(boolean reachable) {
        this.reachable = reachable;
    }

    /** Every accepted {@code requestTotalExecutors} argument, in order. */
    List<Integer> requestedTotals() {
        return List.copyOf(requestedTotals);
    }

    /** Every accepted {@code killExecutors} call, in order. */
    List<List<String>> kills() {
        return List.copyOf(kills);
    }

    /** Every executor id whose release was accepted, in order. */
    List<String> killed() {
        return kills.stream().flatMap(List::stream).toList();
    }

    @Override
    public boolean requestTotalExecutors(int total) {
        if (reachable) {
            requestedTotals.add(total);
        }
        return reachable;
    }

    @Override
    public boolean killExecutors(Collection<String> executorIds) {
        if (reachable) {
            kills.add(List.copyOf(executorIds));
        }
        return reachable;
    }

    @Override
    public Set<String> executorIds() {
        return Set.of();
    }
}
