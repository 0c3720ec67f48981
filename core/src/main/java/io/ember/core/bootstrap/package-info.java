/**
 * A process's start: its configuration and its plugins, read once and handed to the role it runs
 * ({@link io.ember.core.bootstrap.Bootstrap}, {@link io.ember.core.bootstrap.EmberEnvironment}).
 */
package io.ember.core.bootstrap;
