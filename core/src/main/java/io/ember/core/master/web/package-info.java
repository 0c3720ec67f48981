/**
 * A master's web UI, REST API and metrics: its page ({@code MasterPage}),
 * the REST resources under {@code /api/v1/} ({@link io.ember.core.master.web.MasterApi}, documented in
 * {@code docs/monitoring.md}) and {@code /metrics}, served from one
 * {@link io.ember.core.master.web.MasterRoutes} table on the {@code io.ember.core.web} server. It
 * reads the master through {@link io.ember.core.master.web.MasterStatusSource}, which the master
 * implements, and uses none of the master's own classes: the master starts it without a cycle, and
 * no protobuf type reaches it.
 */
package io.ember.core.master.web;
