package io.ember.api.testkit;

import io.ember.api.allocation.ExecutorAllocationClient;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Records what a policy asks for; can pretend the cluster manager is unreachable. Not thread-safe,
 * like the policy it serves.
 */
public final class RecordingAllocationClient implements ExecutorAllocationClient {

    private final List<Integer> requestedTotals = new ArrayList<>();
    private final List<String> kills = new ArrayList<>();
    private final List<String> killed = new ArrayList<>();
    private final List<String> calls = new ArrayList<>();
    private int requestedTotal;
    private Set<String> held = Set.of();
    private boolean reachable = true;

    /** Whether later calls succeed; a failed call is not recorded. */
    public void reachable(boolean reachable) {
        this.reachable = reachable;
    }

    /** Every accepted {@code requestTotalExecutors} argument, in order (kills not included). */
    public List<Integer> requestedTotals() {
        return List.copyOf(requestedTotals);
    }

    /** Every accepted {@code killExecutors} call, in order, as {@code kill [e1, e2] total 3}. */
    public List<String> kills() {
        return List.copyOf(kills);
    }

    /** Every executor id whose release was accepted, in order. */
    public List<String> killed() {
        return List.copyOf(killed);
    }

    /** Every accepted call, in order: {@code total 3} or {@code kill [e1] total 2}. */
    public List<String> calls() {
        return List.copyOf(calls);
    }

    @Override
    public boolean requestTotalExecutors(int total) {
        if (reachable) {
            requestedTotals.add(total);
            calls.add("total " + total);
            requestedTotal = total;
        }
        return reachable;
    }

    @Override
    public boolean killExecutors(Collection<String> executorIds, int total) {
        if (reachable) {
            String call = "kill " + List.copyOf(executorIds) + " total " + total;
            kills.add(call);
            calls.add(call);
            killed.addAll(executorIds);
            requestedTotal = total;
        }
        return reachable;
    }

    @Override
    public int requestedTotal() {
        return requestedTotal;
    }

    @Override
    public synchronized Set<String> executorIds() {
        return held;
    }

    /** The executors {@link #executorIds()} reports from now on (registered with the driver). */
    public synchronized void hold(String... executorIds) {
        held = Set.of(executorIds);
    }
}
