/**
 * The {@code ember} command line (picocli): {@code master}, {@code worker}, {@code submit},
 * {@code local-cluster}, {@code shuffle-service} and {@code plugins}. The top layer: it starts the
 * roles and depends on them; nothing depends on it.
 */
package io.ember.core.cli;
