/**
 * The plugin host: finds plugin folders and JARs, gives each its own isolating class loader, checks
 * the API version a plugin was built against, discovers its {@link io.ember.api.plugin.Plugin}
 * with {@link java.util.ServiceLoader}, and hands out its factories wrapped so that every call into
 * plugin code runs with the plugin's class loader as the thread context class loader.
 *
 * <p>Start with {@link io.ember.plugins.PluginManager}; what it loaded is a
 * {@link io.ember.plugins.PluginSet}.
 */
package io.ember.plugins;
