/**
 * What an application's UI, REST API and history show: {@link io.ember.core.status.AppStatusStore}
 * keeps a bounded picture of the application's jobs, stages, tasks and executors, built from the
 * scheduler's events and the executors' comings and goings, and
 * {@link io.ember.core.status.ApplicationRoutes} serves it as pages and as JSON. The live driver
 * feeds it as things happen; the history server feeds it from an event log, so both answer alike.
 */
package io.ember.core.status;
