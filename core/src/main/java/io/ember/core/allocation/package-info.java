/** The {@code static} executor allocation policy, built into core: a fixed number of executors. */
package io.ember.core.allocation;
