/**
 * The roles of an Ember cluster &mdash; {@link io.ember.api.cluster.Master},
 * {@link io.ember.api.cluster.Worker}, {@link io.ember.api.cluster.Executor},
 * {@link io.ember.api.cluster.Driver} &mdash; and the value types that describe them.
 */
package io.ember.api.cluster;
