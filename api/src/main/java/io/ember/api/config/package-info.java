/**
 * Declared, typed settings: {@link io.ember.api.config.ConfigKey} declares one setting,
 * {@link io.ember.api.config.Settings} is the checked view a component reads, and
 * {@link io.ember.api.config.Durations} reads and writes durations the way settings write them.
 */
package io.ember.api.config;
