/**
 * A worker's web UI, REST API, executor logs and metrics: its page, the REST resources under
 * {@code /api/v1/} ({@link io.ember.core.worker.web.WorkerApi}, documented in
 * {@code docs/monitoring.md}), {@code /logs/...} ({@code ExecutorLogs}) and
 * {@code /metrics}, served from one {@link io.ember.core.worker.web.WorkerRoutes} table. It reads the
 * worker through {@link io.ember.core.worker.web.WorkerStatusSource}, which the worker implements, and
 * uses none of the worker's own classes.
 */
package io.ember.core.worker.web;
