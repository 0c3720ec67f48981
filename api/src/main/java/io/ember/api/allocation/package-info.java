/**
 * The executor allocation SPI: an {@link io.ember.api.allocation.AllocationPolicy} per application
 * turns scheduler events and time into requests on an
 * {@link io.ember.api.allocation.ExecutorAllocationClient}.
 */
package io.ember.api.allocation;
