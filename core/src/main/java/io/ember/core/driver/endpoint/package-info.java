/**
 * The driver's endpoint for its executors: {@link io.ember.core.driver.endpoint.DriverEndpoint}
 * keeps the registry of the executors connected to the driver, one stream each, drops those that
 * go silent or whose ZooKeeper registry node vanishes, and tells
 * {@link io.ember.core.driver.endpoint.ExecutorListener}s of executors joining and leaving. It
 * serves the application's JARs and large results, and hands what executors report to an
 * {@link io.ember.core.driver.endpoint.ExecutorTraffic} (the task scheduler) in Ember's types.
 *
 * <p>Only its transport adapters see protobuf: {@code DriverService}, {@code ExecutorConnection},
 * {@code ExecutorWire}, {@code ResultUpload} and {@code JarServer}. It uses nothing else of the
 * driver.
 */
package io.ember.core.driver.endpoint;
