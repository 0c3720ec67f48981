package io.ember.core.storage;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.RandomAccess;
import java.util.Set;

/**
 * Estimates how much heap an object graph takes, for the {@link BlockManager}'s bound. An estimate,
 * not a measurement: it assumes 64-bit HotSpot's layout (12-byte object headers, 16-byte array
 * headers, 8-byte alignment, 4-byte references below a 32 GB heap, else 8), and then:
 * <ul>
 *   <li>an object's shallow size comes from its fields' types, over its class hierarchy (worked out
 *       once per class and kept);
 *   <li>its reference fields are followed when the class's package is open to this code (the
 *       application's classes always are); the JDK's classes are not, so strings, big numbers,
 *       collections and maps are estimated from what their public methods say (length, size and
 *       elements), and other JDK objects count their own fields only;
 *   <li>arrays, collections and maps of more than {@value #SAMPLE_ABOVE} elements are estimated from
 *       {@value #SAMPLES} of them, extrapolated;
 *   <li>classes, class loaders, threads and enum constants are shared by everyone and count nothing;
 *   <li>each object counts once per estimate (an identity set), and an estimate stops after
 *       {@value #OBJECT_BUDGET} objects, so a huge or odd graph costs bounded time (and is then
 *       under-estimated).
 * </ul>
 *
 * <p>Thread-safe: the per-class layouts are kept in a {@link ClassValue}; each estimate has its own
 * state.
 */
public final class SizeEstimator {

    /** Objects visited per estimate at most. */
    static final int OBJECT_BUDGET = 20_000;
    /** Arrays, collections and maps longer than this are sampled. */
    static final int SAMPLE_ABOVE = 400;
    /** Elements sampled from a long array, collection or map. */
    static final int SAMPLES = 100;

    private static final long ALIGNMENT = 8;
    private static final long COMPRESSED_REFERENCES_BELOW = 32L << 30;
    private static final Field[] NO_FIELDS = new Field[0];

    private enum Kind { SHARED, FIXED, FIELDS, PRIMITIVE_ARRAY, REFERENCE_ARRAY, STRING, BIG_INTEGER, BIG_DECIMAL,
        COLLECTION, MAP }

    /** What is known about a class: how to size its instances. */
    private record Shape(Kind kind, long bytes, int elementBytes, Field[] references) {}

    private final int referenceBytes;
    private final int objectHeaderBytes;
    private final int arrayHeaderBytes;
    private final ClassValue<Shape> shapes = new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> type) {
            return shapeOf(type);
        }
    };

    /** An estimator for this JVM: compressed references when its heap is below 32 GB. */
    public SizeEstimator() {
        this(Runtime.getRuntime().maxMemory() < COMPRESSED_REFERENCES_BELOW);
    }

    SizeEstimator(boolean compressedReferences) {
        this.referenceBytes = compressedReferences ? 4 : 8;
        this.objectHeaderBytes = 12;   // mark word + compressed class pointer, HotSpot's default
        this.arrayHeaderBytes = 16;    // the same + the length
    }

    /** The estimated bytes of {@code root} and everything it reaches; 0 for {@code null}. */
    public long estimate(Object root) {
        if (root == null) {
            return 0;
        }
        Walk walk = new Walk();
        walk.push(root, 1.0);
        double total = 0;
        try {
            while (walk.size > 0 && walk.visited < OBJECT_BUDGET) {
                walk.visited++;
                int top = --walk.size;
                Object next = walk.objects[top];
                double weight = walk.weights[top];
                walk.objects[top] = null;
                total += weight * visit(next, weight, walk);
            }
        } catch (RuntimeException e) {
            // A collection changed under us, or a class refused to be read: keep what was counted.
        }
        return Math.round(total);
    }

    /** The bytes of an array of {@code length} references (how a block holds its records). */
    long referenceArrayBytes(long length) {
        return align(arrayHeaderBytes + length * referenceBytes);
    }

    int referenceBytes() {
        return referenceBytes;
    }

    /** The shallow size of {@code value}, pushing what it references. */
    private long visit(Object value, double weight, Walk walk) {
        Shape shape = shapes.get(value.getClass());
        switch (shape.kind()) {
            case SHARED:
                return 0;
            case FIXED:
                return shape.bytes();
            case FIELDS:
                for (Field field : shape.references()) {
                    try {
                        walk.push(field.get(value), weight);
                    } catch (IllegalAccessException e) {
                        // counted as a reference slot only
                    }
                }
                return shape.bytes();
            case PRIMITIVE_ARRAY:
                return align(arrayHeaderBytes + (long) Array.getLength(value) * shape.elementBytes());
            case REFERENCE_ARRAY:
                Object[] array = (Object[]) value;
                if (array.length <= SAMPLE_ABOVE) {
                    for (Object element : array) {
                        walk.push(element, weight);
                    }
                } else {
                    double scaled = weight * array.length / SAMPLES;
                    for (int i = 0; i < SAMPLES; i++) {
                        walk.push(array[(int) ((long) i * array.length / SAMPLES)], scaled);
                    }
                }
                return referenceArrayBytes(array.length);
            case STRING:
                String string = (String) value;
                return shape.bytes() + align(arrayHeaderBytes + (long) string.length() * (isLatin1(string) ? 1 : 2));
            case BIG_INTEGER:
                return shape.bytes() + bigIntegerMagnitude((BigInteger) value);
            case BIG_DECIMAL:
                BigDecimal decimal = (BigDecimal) value;
                BigInteger unscaled = decimal.precision() > 18 ? decimal.unscaledValue() : null;
                return shape.bytes() + (unscaled == null ? 0 : shapes.get(BigInteger.class).bytes()
                        + bigIntegerMagnitude(unscaled));
            case COLLECTION:
                Collection<?> collection = (Collection<?>) value;
                int size = collection.size();
                pushSampled(collection.iterator(), size, weight, walk);
                return shape.bytes() + containerBytes(collection, size);
            case MAP:
                Map<?, ?> map = (Map<?, ?>) value;
                int entries = map.size();
                pushSampled(map.keySet().iterator(), entries, weight, walk);
                pushSampled(map.values().iterator(), entries, weight, walk);
                return shape.bytes() + hashTableBytes(entries);
            default:
                throw new AssertionError(shape.kind());
        }
    }

    private void pushSampled(Iterator<?> elements, int size, double weight, Walk walk) {
        int limit = size <= SAMPLE_ABOVE ? size : SAMPLES;
        double scaled = size <= SAMPLE_ABOVE ? weight : weight * size / SAMPLES;
        for (int i = 0; i < limit && elements.hasNext(); i++) {
            walk.push(elements.next(), scaled);
        }
    }

    /** What a JDK collection spends besides its own fields and its elements: an array, or a node per element. */
    private long containerBytes(Collection<?> collection, int size) {
        if (collection instanceof RandomAccess || collection instanceof ArrayDeque
                || collection instanceof PriorityQueue) {
            return referenceArrayBytes(size);
        }
        if (collection instanceof Set) {
            return hashTableBytes(size) + shapes.get(HashMap.class).bytes();
        }
        return size * align(objectHeaderBytes + 3L * referenceBytes);   // a linked node each
    }

    /** A hash table of {@code entries}: a node each (hash, key, value, next) and a table of 4/3 slots each. */
    private long hashTableBytes(int entries) {
        long node = align(objectHeaderBytes + 4 + 3L * referenceBytes);
        return entries * node + (entries == 0 ? 0 : referenceArrayBytes(entries + entries / 3));
    }

    private long bigIntegerMagnitude(BigInteger value) {
        return align(arrayHeaderBytes + 4L * (value.bitLength() / 32 + 1));
    }

    private static boolean isLatin1(String string) {
        for (int i = 0, n = string.length(); i < n; i++) {
            if (string.charAt(i) > 0xFF) {
                return false;
            }
        }
        return true;
    }

    private Shape shapeOf(Class<?> type) {
        if (type.isArray()) {
            Class<?> component = type.getComponentType();
            return component.isPrimitive()
                    ? new Shape(Kind.PRIMITIVE_ARRAY, 0, primitiveBytes(component), NO_FIELDS)
                    : new Shape(Kind.REFERENCE_ARRAY, 0, referenceBytes, NO_FIELDS);
        }
        if (isShared(type)) {
            return new Shape(Kind.SHARED, 0, 0, NO_FIELDS);
        }
        try {
            long shallow = shallowBytes(type);
            if (type == String.class) {
                return new Shape(Kind.STRING, shallow, 0, NO_FIELDS);
            }
            if (type == BigInteger.class) {
                return new Shape(Kind.BIG_INTEGER, shallow, 0, NO_FIELDS);
            }
            if (type == BigDecimal.class) {
                return new Shape(Kind.BIG_DECIMAL, shallow, 0, NO_FIELDS);
            }
            if (!isOpenHierarchy(type)) {
                if (Collection.class.isAssignableFrom(type)) {
                    return new Shape(Kind.COLLECTION, shallow, 0, NO_FIELDS);
                }
                if (Map.class.isAssignableFrom(type)) {
                    return new Shape(Kind.MAP, shallow, 0, NO_FIELDS);
                }
            }
            Field[] references = readableReferences(type);
            return references.length == 0
                    ? new Shape(Kind.FIXED, shallow, 0, NO_FIELDS)
                    : new Shape(Kind.FIELDS, shallow, 0, references);
        } catch (RuntimeException | LinkageError e) {
            // A field's type cannot be loaded, say: count a bare object.
            return new Shape(Kind.FIXED, align(objectHeaderBytes), 0, NO_FIELDS);
        }
    }

    private static boolean isShared(Class<?> type) {
        return type == Class.class || Enum.class.isAssignableFrom(type) || ClassLoader.class.isAssignableFrom(type)
                || Thread.class.isAssignableFrom(type) || type == Module.class;
    }

    private long shallowBytes(Class<?> type) {
        long fields = 0;
        for (Class<?> level = type; level != null; level = level.getSuperclass()) {
            for (Field field : level.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers())) {
                    Class<?> fieldType = field.getType();
                    fields += fieldType.isPrimitive() ? primitiveBytes(fieldType) : referenceBytes;
                }
            }
        }
        return align(objectHeaderBytes + fields);
    }

    /** Whether every class of the hierarchy (but Object) lets this code read its fields. */
    private static boolean isOpenHierarchy(Class<?> type) {
        Module self = SizeEstimator.class.getModule();
        for (Class<?> level = type; level != null && level != Object.class; level = level.getSuperclass()) {
            if (!level.getModule().isOpen(level.getPackageName(), self)) {
                return false;
            }
        }
        return true;
    }

    private static Field[] readableReferences(Class<?> type) {
        List<Field> readable = new ArrayList<>();
        for (Class<?> level = type; level != null && level != Object.class; level = level.getSuperclass()) {
            for (Field field : level.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers()) && !field.getType().isPrimitive()
                        && field.trySetAccessible()) {
                    readable.add(field);
                }
            }
        }
        return readable.toArray(NO_FIELDS);
    }

    private static int primitiveBytes(Class<?> type) {
        if (type == long.class || type == double.class) {
            return 8;
        }
        if (type == int.class || type == float.class) {
            return 4;
        }
        if (type == short.class || type == char.class) {
            return 2;
        }
        return 1;   // byte, boolean
    }

    private static long align(long bytes) {
        return (bytes + ALIGNMENT - 1) & -ALIGNMENT;
    }

    /** One estimate's state: the objects still to visit (with their weights) and those already seen. */
    private static final class Walk {
        final IdentityHashMap<Object, Boolean> seen = new IdentityHashMap<>();
        Object[] objects = new Object[32];
        double[] weights = new double[32];
        int size;
        int visited;

        void push(Object value, double weight) {
            if (value == null || seen.put(value, Boolean.TRUE) != null) {
                return;
            }
            if (size == objects.length) {
                objects = Arrays.copyOf(objects, size * 2);
                weights = Arrays.copyOf(weights, size * 2);
            }
            objects[size] = value;
            weights[size] = weight;
            size++;
        }
    }
}
