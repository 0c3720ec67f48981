package io.ember.core.shuffle;

import java.io.Serializable;

/**
 * Names the map outputs of one shuffle at one version, as a stage that reads the shuffle carries
 * them: its tasks fetch the statuses by this name ({@link MapOutputsSource}), not in the stage's code.
 *
 * @param shuffleId the shuffle
 * @param version the version of its outputs ({@link MapOutputTracker.Snapshot#version()}); never reused
 */
public record MapOutputsRef(int shuffleId, long version) implements Serializable {

    private static final long serialVersionUID = 1L;

    @Override
    public String toString() {
        return "map outputs of shuffle " + shuffleId + " (version " + version + ")";
    }
}
