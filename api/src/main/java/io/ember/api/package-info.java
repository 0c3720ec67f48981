/**
 * The Ember API: the only module a plugin author compiles against.
 *
 * <ul>
 *   <li>{@link io.ember.api.plugin} &mdash; what a plugin JAR offers ({@code Plugin}) and the
 *       kinds of policy factory;</li>
 *   <li>{@link io.ember.api.scheduler}, {@link io.ember.api.allocation},
 *       {@link io.ember.api.shuffle} &mdash; the three policy SPIs;</li>
 *   <li>{@link io.ember.api.config} &mdash; declared, typed settings handed to every factory;</li>
 *   <li>{@link io.ember.api.cluster} &mdash; the roles (master, worker, executor, driver) and the
 *       value types that describe them.</li>
 * </ul>
 *
 * <p>The API is versioned by {@link io.ember.api.ApiVersion}; it depends on nothing outside the JDK.
 */
package io.ember.api;
