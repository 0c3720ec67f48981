package io.ember.plugins;

import io.ember.api.allocation.ExecutorAllocationClient;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/** An {@link ExecutorAllocationClient} that records what it was asked, as text, in order. */
final class TestingAllocationClient implements ExecutorAllocationClient {

    private final List<String> requests = new ArrayList<>();

    @Override
    public synchronized boolean requestTotalExecutors(int total) {
        requests.add("total " + total);
        return true;
    }

    @Override
    public synchronized boolean killExecutors(Collection<String> executorIds, int total) {
        requests.add("kill " + String.join(",", executorIds) + " total " + total);
        return true;
    }

    @Override
    public synchronized int requestedTotal() {
        return 0;
    }

    @Override
    public Set<String> executorIds() {
        return Set.of();
    }

    synchronized List<String> requests() {
        return List.copyOf(requests);
    }
}
