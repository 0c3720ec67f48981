/**
 * Configuration: where settings come from ({@link io.ember.core.config.ConfigSources}), which keys
 * exist ({@link io.ember.core.config.KeyCatalog}), and the validated result
 * ({@link io.ember.core.config.EmberConfig}) that hands each component its typed
 * {@link io.ember.api.config.Settings}. {@link io.ember.core.config.EmberKeys} declares Ember's own
 * keys; {@link io.ember.core.config.ConfigDocs} and {@link io.ember.core.config.ConfigTemplates}
 * render every declaration for {@code docs/configuration.md} and {@code conf/}.
 */
package io.ember.core.config;
