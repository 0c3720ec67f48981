/**
 * The HTTP side of every Ember process that serves people and scripts: a small server on Jetty's
 * core handlers ({@link io.ember.core.web.WebServer}) with a route table, JSON through Jackson,
 * HTML helpers, the credentials derived from {@code ember.auth.secret}, and the Prometheus
 * endpoint. What a role serves (the master's, a worker's and an application's pages and REST
 * resources) lives with the role; this package knows nothing of them.
 */
package io.ember.core.web;
