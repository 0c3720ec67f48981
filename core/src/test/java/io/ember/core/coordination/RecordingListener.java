package io.ember.core.coordination;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what a {@link LeaderElection} told its master, and when. */
final class RecordingListener implements LeaderElection.Listener {

    final List<String> events = new CopyOnWriteArrayList<>();
    final List<Long> epochs = new CopyOnWriteArrayList<>();
    volatile long leadershipNanos;
    volatile long lostNanos;

    @Override
    public void onLeadership(long epoch) {
        leadershipNanos = System.nanoTime();
        epochs.add(epoch);
        events.add("leader " + epoch);
    }

    @Override
    public void onLeadershipSuspended(String reason) {
        events.add("suspended: " + reason);
    }

    @Override
    public void onLeadershipResumed(long epoch) {
        events.add("resumed " + epoch);
    }

    @Override
    public void onLeadershipLost(String reason) {
        lostNanos = System.nanoTime();
        events.add("lost: " + reason);
    }

    long lastEpoch() {
        return epochs.isEmpty() ? -1 : epochs.get(epochs.size() - 1);
    }

    boolean lost() {
        return events.stream().anyMatch(e -> e.startsWith("lost"));
    }
}
