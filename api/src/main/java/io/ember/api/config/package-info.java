/**
 * Declared, typed settings: {@link io.ember.api.config.ConfigKey} declares one setting,
 * {@link io.ember.api.config.Settings} is the checked view a component reads.
 */
package io.ember.api.config;
