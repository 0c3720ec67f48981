package io.ember.core.dataset;

import io.ember.core.serialization.JavaSerializer;
import io.ember.core.serialization.PayloadFilter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;

/** A value kept as its serialized bytes, so that each use gets a fresh copy (an aggregation's zero). */
final class SerializedValue {

    /** Immutable and thread-safe: one for every read, not one per read (a read runs per key in a task). */
    private static final JavaSerializer SERIALIZER = new JavaSerializer(PayloadFilter.standard());

    private SerializedValue() {
    }

    static byte[] of(Serializable value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("the value cannot be serialized: " + e.getMessage(), e);
        }
        return bytes.toByteArray();
    }

    /** A fresh copy, resolved with the task's class loader and checked by the payload filter. */
    @SuppressWarnings("unchecked")
    static <T> T read(byte[] bytes) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return (T) SERIALIZER.deserialize(bytes,
                loader != null ? loader : SerializedValue.class.getClassLoader());
    }
}
