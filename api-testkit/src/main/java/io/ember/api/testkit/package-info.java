/**
 * Fakes of what the host hands a plugin, for unit tests of plugins without a cluster: a
 * {@link io.ember.api.testkit.TestingSchedulable} to feed a
 * {@link io.ember.api.scheduler.SchedulingQueue}, and a
 * {@link io.ember.api.testkit.ManualClock}, a {@link io.ember.api.testkit.RecordingAllocationClient}
 * and a {@link io.ember.api.testkit.TestingAllocationContext} to create and drive an
 * {@link io.ember.api.allocation.AllocationPolicy}.
 *
 * <p>A test library: depend on {@code ember-api-testkit} in scope {@code test} and never bundle it
 * in a plugin. Its package falls under the {@code io.ember.api.*} prefix that a plugin's class loader
 * takes from the host, and the host does not carry it.
 */
package io.ember.api.testkit;
