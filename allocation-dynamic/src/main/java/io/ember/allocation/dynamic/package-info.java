/**
 * The {@code dynamic} executor allocation policy: {@link io.ember.allocation.dynamic.DynamicAllocationPlugin}
 * offers {@link io.ember.allocation.dynamic.DynamicAllocationFactory}, configured by
 * {@link io.ember.allocation.dynamic.DynamicAllocationSettings}.
 */
package io.ember.allocation.dynamic;
