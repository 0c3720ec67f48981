/**
 * The {@code sort} shuffle: {@link io.ember.shuffle.sort.SortShufflePlugin} offers
 * {@link io.ember.shuffle.sort.SortShuffleManagerFactory}, configured by
 * {@link io.ember.shuffle.sort.SortShuffleSettings}.
 */
package io.ember.shuffle.sort;
