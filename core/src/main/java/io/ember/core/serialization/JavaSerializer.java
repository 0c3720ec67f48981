package io.ember.core.serialization;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;

/**
 * Java serialization of task payloads: stage code, results and errors. Deserialization resolves
 * classes through a given class loader (the application's, on an executor) and always passes the
 * {@link PayloadFilter}.
 *
 * <p>Thread-safe and stateless apart from its filter.
 */
public final class JavaSerializer {

    private final PayloadFilter filter;

    public JavaSerializer(PayloadFilter filter) {
        this.filter = requireNonNull(filter, "filter is null");
    }

    /**
     * Serializes an object graph.
     *
     * @throws NotSerializablePayloadException naming the class that is not serializable
     */
    public byte[] serialize(Object value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (NotSerializableException e) {
            throw new NotSerializablePayloadException(e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("could not serialize " + describe(value) + ": " + e.getMessage(), e);
        }
        return bytes.toByteArray();
    }

    /**
     * Deserializes what {@link #serialize} wrote, resolving classes through {@code loader}.
     *
     * @throws PayloadRejectedException when the filter refused a class or a limit, or the bytes are
     *     not a serialized object
     * @throws ClassNotFoundPayloadException when a class is unknown to {@code loader}
     */
    public Object deserialize(byte[] payload, ClassLoader loader) {
        requireNonNull(payload, "payload is null");
        return deserialize(new ByteArrayInputStream(payload), loader);
    }

    /** As {@link #deserialize(byte[], ClassLoader)}, reading from a stream (which is not closed). */
    public Object deserialize(InputStream payload, ClassLoader loader) {
        requireNonNull(payload, "payload is null");
        requireNonNull(loader, "loader is null");
        try {
            LoaderInputStream in = new LoaderInputStream(payload, loader);
            in.setObjectInputFilter(filter.filter());
            return in.readObject();
        } catch (InvalidClassException e) {
            throw new PayloadRejectedException("a task payload was refused: " + e.getMessage(), e);
        } catch (ClassNotFoundException e) {
            throw new ClassNotFoundPayloadException("a task payload names class " + e.getMessage()
                    + ", which the application's class path does not have", e);
        } catch (IOException | RuntimeException e) {
            throw new PayloadRejectedException("a task payload could not be read: " + e, e);
        }
    }

    private static String describe(Object value) {
        return value == null ? "null" : value.getClass().getName();
    }

    /** Resolves classes through the given loader (the application's), falling back to the platform's for primitives. */
    private static final class LoaderInputStream extends ObjectInputStream {

        private final ClassLoader loader;

        LoaderInputStream(InputStream in, ClassLoader loader) throws IOException {
            super(in);
            this.loader = loader;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            try {
                return Class.forName(desc.getName(), false, loader);
            } catch (ClassNotFoundException e) {
                return super.resolveClass(desc);   // primitive types
            }
        }

        @Override
        @SuppressWarnings("deprecation")
        protected Class<?> resolveProxyClass(String[] interfaces) throws IOException, ClassNotFoundException {
            Class<?>[] resolved = new Class<?>[interfaces.length];
            for (int i = 0; i < interfaces.length; i++) {
                resolved[i] = Class.forName(interfaces[i], false, loader);
            }
            return Proxy.getProxyClass(loader, resolved);
        }
    }

    /** A value in the graph is not serializable; the message names its class. */
    public static final class NotSerializablePayloadException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotSerializablePayloadException(String className) {
            super("not serializable: " + className + " (a function, or something it captures, must implement "
                    + "java.io.Serializable)");
        }
    }

    /** The filter refused the payload, or it was malformed. */
    public static final class PayloadRejectedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PayloadRejectedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The payload names a class the loader does not have. */
    public static final class ClassNotFoundPayloadException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ClassNotFoundPayloadException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
