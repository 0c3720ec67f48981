package io.ember.core.coordination;

/**
 * One leadership this master took: its epoch, the version {@code master/epoch} had right after this
 * master set it (what every fenced write checks), and the generation of the {@link LeaderElection}
 * it was taken in (a loss of leadership starts a new generation, so a term of an older one is stale).
 */
record LeaderTerm(long epoch, int epochVersion, long generation) {
}
