package io.ember.core.serialization;

import static java.util.Objects.requireNonNull;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.fory.ThreadLocalFory;
import org.apache.fory.ThreadSafeFory;
import org.apache.fory.config.CompatibleMode;
import org.apache.fory.config.Language;
import org.apache.fory.memory.MemoryBuffer;
import org.apache.fory.memory.MemoryUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serializes the records a shuffle moves: fast with Fory (2.4x Kryo, 4-5x Java serialization per
 * record, see {@code RecordSerializerBenchmark}), with Java serialization for any record Fory cannot
 * write, such as an object graph with a cycle (Fory runs without reference tracking, which is what
 * makes it fast for the flat records shuffles carry).
 *
 * <p>Stream format: each record is a tag byte ({@code 0} Fory, {@code 1} Java serialization), its
 * length as an unsigned varint, and its bytes. Streams of records concatenate: a block is the
 * records of many {@link Encoder#write} calls, written one after another.
 *
 * <p>Classes resolve through the application's class loader. Classes the {@link PayloadFilter}
 * refuses by name (gadget families, the operator's {@code !} patterns) are refused by both
 * serializers; Java-serialized records go through the whole filter.
 *
 * <p>Thread-safe: {@link #newEncoder()} and {@link #read} may be called from any thread; each
 * encoder and iterator is then used by one thread.
 */
public final class RecordSerializer {

    private static final Logger LOG = LoggerFactory.getLogger(RecordSerializer.class);
    static final byte FORY = 0;
    static final byte JAVA = 1;
    /** A record longer than this is refused when read: a damaged length, not a record. */
    static final int MAX_RECORD_BYTES = Integer.MAX_VALUE - 64;

    /** The serializer {@code ember.serializer} names: {@code fory} (the default) or {@code java}. */
    public static final String FORY_NAME = "fory";
    public static final String JAVA_NAME = "java";

    private final ThreadSafeFory fory;
    private final boolean javaOnly;
    private final JavaSerializer java;
    private final ClassLoader loader;
    /** Classes Fory failed to write; their records go straight to Java serialization. */
    private final Set<Class<?>> javaClasses = ConcurrentHashMap.newKeySet();

    /**
     * @param loader resolves the application's classes
     * @param filter refuses gadget classes, by name for Fory and wholly for Java serialization
     */
    public RecordSerializer(ClassLoader loader, PayloadFilter filter) {
        this(FORY_NAME, loader, filter);
    }

    /**
     * @param name {@value #FORY_NAME} (Fory, Java serialization for what it cannot write) or
     *     {@value #JAVA_NAME} (Java serialization for every record), as {@code ember.serializer} says
     * @param loader resolves the application's classes
     * @param filter refuses gadget classes, by name for Fory and wholly for Java serialization
     * @throws IllegalArgumentException for another name
     */
    public RecordSerializer(String name, ClassLoader loader, PayloadFilter filter) {
        requireNonNull(name, "name is null");
        if (!name.equals(FORY_NAME) && !name.equals(JAVA_NAME)) {
            throw new IllegalArgumentException("unknown record serializer '" + name + "'; expected " + FORY_NAME
                    + " or " + JAVA_NAME);
        }
        this.javaOnly = name.equals(JAVA_NAME);
        this.loader = requireNonNull(loader, "loader is null");
        requireNonNull(filter, "filter is null");
        this.java = new JavaSerializer(filter);
        this.fory = new ThreadLocalFory(builder -> builder
                .withLanguage(Language.JAVA)
                .requireClassRegistration(false)
                .suppressClassRegistrationWarnings(true)
                .withRefTracking(false)
                .withMaxDepth(PayloadFilter.MAX_DEPTH)
                .withCompatibleMode(CompatibleMode.SCHEMA_CONSISTENT)
                .withClassLoader(loader)
                .withTypeChecker((resolver, className) -> !filter.refusesClassName(className))
                .build());
    }

    /** A new encoder, for one thread. */
    public Encoder newEncoder() {
        return new Encoder();
    }

    /**
     * The records of a stream, read lazily until its end, for one thread.
     *
     * @throws UncheckedIOException from the iterator when the stream cannot be read or is damaged
     */
    public Iterator<Object> read(InputStream in) {
        return new Decoder(new DataInputStream(requireNonNull(in, "in is null")));
    }

    /**
     * Turns records into bytes: {@link #write} appends one record; {@link #array()} up to
     * {@link #size()} is what was written since the last {@link #reset()}. Not thread-safe.
     */
    public final class Encoder {
        private final MemoryBuffer scratch = MemoryUtils.buffer(256);
        private byte[] out = new byte[256];
        private int size;

        private Encoder() {
        }

        /**
         * Appends one record.
         *
         * @throws JavaSerializer.NotSerializablePayloadException when neither serializer can write it
         */
        public void write(Object record) {
            if (!javaOnly && (record == null || !javaClasses.contains(record.getClass()))) {
                scratch.writerIndex(0);
                try {
                    fory.serialize(scratch, record);
                    append(FORY, scratch.getHeapMemory(), scratch.writerIndex());
                    return;
                } catch (RuntimeException e) {
                    if (javaClasses.add(record.getClass())) {
                        LOG.info("Records of {} are written with Java serialization: the fast serializer cannot "
                                + "write them ({})", record.getClass().getName(), e.toString());
                    }
                }
            }
            byte[] bytes = java.serialize(record);
            append(JAVA, bytes, bytes.length);
        }

        private void append(byte tag, byte[] bytes, int length) {
            ensure(1 + 5 + length);
            out[size++] = tag;
            int value = length;
            while ((value & ~0x7f) != 0) {
                out[size++] = (byte) ((value & 0x7f) | 0x80);
                value >>>= 7;
            }
            out[size++] = (byte) value;
            System.arraycopy(bytes, 0, out, size, length);
            size += length;
        }

        private void ensure(int more) {
            if (out.length - size < more) {
                out = Arrays.copyOf(out, Math.max(out.length * 2, size + more));
            }
        }

        /** The bytes written since the last reset (valid up to {@link #size()}). */
        public byte[] array() {
            return out;
        }

        /** How many bytes were written since the last reset. */
        public int size() {
            return size;
        }

        /** Starts again from an empty output. */
        public void reset() {
            size = 0;
        }
    }

    private final class Decoder implements Iterator<Object> {
        private final DataInputStream in;
        private byte[] record = new byte[256];
        private int tag = -2;   // -2: not read ahead yet; -1: end of stream

        Decoder(DataInputStream in) {
            this.in = in;
        }

        @Override
        public boolean hasNext() {
            if (tag == -2) {
                try {
                    tag = in.read();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read a record stream", e);
                }
            }
            return tag != -1;
        }

        @Override
        public Object next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            int current = tag;
            tag = -2;
            try {
                int length = readLength();
                if (record.length < length) {
                    record = new byte[Math.max(length, record.length * 2)];
                }
                in.readFully(record, 0, length);
                return switch (current) {
                    case FORY -> fory.deserialize(MemoryUtils.wrap(record, 0, length));
                    case JAVA -> java.deserialize(Arrays.copyOf(record, length), loader);
                    default -> throw new IOException("damaged record stream: unknown record tag " + current);
                };
            } catch (EOFException e) {
                throw new UncheckedIOException(new IOException("damaged record stream: it ends inside a record", e));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private int readLength() throws IOException {
            int value = 0;
            for (int shift = 0; shift < 35; shift += 7) {
                int b = in.readUnsignedByte();
                value |= (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    if (value < 0 || value > MAX_RECORD_BYTES) {
                        throw new IOException("damaged record stream: record length " + Integer.toUnsignedString(value));
                    }
                    return value;
                }
            }
            throw new IOException("damaged record stream: record length longer than 5 bytes");
        }
    }

    @Override
    public String toString() {
        return javaOnly ? "RecordSerializer[java]"
                : "RecordSerializer[fory, java fallback for " + javaClasses.size() + " class(es)]";
    }

    /** For tests: whether records of a class now go to Java serialization. */
    boolean writesWithJava(Class<?> type) {
        return javaOnly || javaClasses.contains(type);
    }

}
