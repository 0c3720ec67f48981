/**
 * The plugin SPI: {@link io.ember.api.plugin.Plugin} is what a JAR offers;
 * {@link io.ember.api.plugin.PolicyFactory} is what every factory has in common.
 */
package io.ember.api.plugin;
