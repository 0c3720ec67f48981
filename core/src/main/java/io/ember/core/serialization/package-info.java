/** Java serialization of task payloads through a deserialization filter. */
package io.ember.core.serialization;
