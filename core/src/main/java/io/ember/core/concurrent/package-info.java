/**
 * Threads, in one place: the {@link io.ember.core.concurrent.EventLoop} that every component keeping
 * its state on a thread of its own runs on (one way to queue work, one way to ask and wait, an
 * assertion that state is touched only there), the
 * {@link io.ember.core.concurrent.BatchQueue} through which many threads hand a loop small items it
 * handles in batches, and {@link io.ember.core.concurrent.Threads}, the
 * factory of every other thread, which names it and logs its death. A building block: it depends on
 * nothing else in Ember.
 */
package io.ember.core.concurrent;
