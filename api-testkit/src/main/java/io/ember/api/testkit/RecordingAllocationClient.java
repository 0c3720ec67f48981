package io.ember.api.testkit;

import static java.util.Objects.requireNonNull;

import io.ember.api.allocation.ExecutorAllocationClient;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * An {@link ExecutorAllocationClient} that records what an
 * {@link io.ember.api.allocation.AllocationPolicy} asks of it, in order, for a test to inspect.
 *
 * <p>While {@link #reachable(boolean) reachable} (the default) every call is accepted: it returns
 * {@code true}, is recorded in {@link #requests()}, and sets {@link #requestedTotal()}. While
 * unreachable, as when the host cannot reach the master, every call returns {@code false}, changes
 * nothing and is recorded in {@link #refused()} only, so a test can check that a policy sends again
 * what the cluster manager did not get.
 *
 * <p>Nothing happens on a cluster: {@link #executorIds()} reports what the test last passed to
 * {@link #hold}, whatever was requested or killed.
 *
 * <p>Thread-safe, as the SPI requires of the host's client; the lists returned are snapshots.
 */
public final class RecordingAllocationClient implements ExecutorAllocationClient {

    /** One call to the client: {@link Total} or {@link Kill}. */
    public sealed interface Request permits Total, Kill {

        /** The total the call asked for. */
        int total();
    }

    /**
     * A {@link ExecutorAllocationClient#requestTotalExecutors requestTotalExecutors(total)} call.
     *
     * @param total the executors asked for in all
     */
    public record Total(int total) implements Request {

        /** {@code total 3}. */
        @Override
        public String toString() {
            return "total " + total;
        }
    }

    /**
     * A {@link ExecutorAllocationClient#killExecutors killExecutors(executorIds, total)} call.
     *
     * @param executorIds the executors to kill, in the order the policy gave them
     * @param total the total the application wants once they are gone
     */
    public record Kill(List<String> executorIds, int total) implements Request {

        public Kill {
            executorIds = List.copyOf(requireNonNull(executorIds, "executorIds is null"));
        }

        /** {@code kill [e1, e2] total 1}. */
        @Override
        public String toString() {
            return "kill " + executorIds + " total " + total;
        }
    }

    private final List<Request> requests = new ArrayList<>();
    private final List<Request> refused = new ArrayList<>();
    private boolean reachable = true;
    private int requestedTotal;
    private Set<String> held = Set.of();

    /** Whether later calls are accepted ({@code true}, the default) or refused. */
    public synchronized void reachable(boolean reachable) {
        this.reachable = reachable;
    }

    /** The executors {@link #executorIds()} reports from now on, as if registered with the driver. */
    public synchronized void hold(String... executorIds) {
        held = Set.of(executorIds);
    }

    /** Every accepted call, in order. */
    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Every refused call (made while unreachable), in order. */
    public synchronized List<Request> refused() {
        return List.copyOf(refused);
    }

    /** The totals of the accepted {@code requestTotalExecutors} calls, in order; kills are not included. */
    public synchronized List<Integer> requestedTotals() {
        return requests.stream().filter(Total.class::isInstance).map(Request::total).toList();
    }

    /** The accepted {@code killExecutors} calls, in order. */
    public synchronized List<Kill> kills() {
        return requests.stream().filter(Kill.class::isInstance).map(Kill.class::cast).toList();
    }

    /** Every executor id of the accepted {@code killExecutors} calls, in order. */
    public synchronized List<String> killed() {
        return kills().stream().flatMap(kill -> kill.executorIds().stream()).toList();
    }

    @Override
    public synchronized boolean requestTotalExecutors(int total) {
        return record(new Total(total));
    }

    @Override
    public synchronized boolean killExecutors(Collection<String> executorIds, int total) {
        return record(new Kill(List.copyOf(requireNonNull(executorIds, "executorIds is null")), total));
    }

    /** The total of the last accepted call, a kill's included; 0 before the first. */
    @Override
    public synchronized int requestedTotal() {
        return requestedTotal;
    }

    /** What the test last passed to {@link #hold}; empty at first. */
    @Override
    public synchronized Set<String> executorIds() {
        return held;
    }

    private boolean record(Request request) {
        if (!reachable) {
            refused.add(request);
            return false;
        }
        requests.add(request);
        requestedTotal = request.total();
        return true;
    }

    @Override
    public synchronized String toString() {
        return "RecordingAllocationClient" + requests;
    }
}
