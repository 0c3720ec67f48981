/**
 * {@code ember history-server}: serves the pages and REST API of applications that ended (and of
 * running ones, up to their logs' last flush) from their event logs, by replaying each log into
 * the same {@link io.ember.core.status.AppStatusStore} a running driver answers from.
 */
package io.ember.core.history;
