/**
 * Core's side of the plugins: the policies built into core ({@link io.ember.core.plugin.CorePlugin}),
 * the selection of each kind's policy by name from the configuration, and the live reload of the
 * selected scheduler's settings ({@link io.ember.core.plugin.SchedulerReloader}).
 */
package io.ember.core.plugin;
