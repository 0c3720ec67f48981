/**
 * An executor's memory as one budget: {@link io.ember.core.memory.ExecutorMemory} shares it between
 * execution (tasks' sort and aggregation buffers) and storage (cached blocks) by the rules in
 * {@code docs/memory.md}; {@link io.ember.core.memory.TaskMemory} is one task's part of it, and a
 * {@link io.ember.core.memory.MemoryConsumer} a buffer that asks before it grows and spills when
 * refused. A building block: it depends on nothing else in Ember.
 */
package io.ember.core.memory;
