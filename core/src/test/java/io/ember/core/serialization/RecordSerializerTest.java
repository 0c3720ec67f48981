package io.ember.core.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.dataset.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

final class RecordSerializerTest {

    private final RecordSerializer serializer = new RecordSerializer(getClass().getClassLoader(),
            PayloadFilter.standard());

    record Sale(String region, long cents, List<String> tags) implements Serializable {
    }

    enum Color { RED, GREEN }

    /** A node whose graph may have a cycle: Fory, without reference tracking, cannot write that. */
    static final class Node implements Serializable {
        private static final long serialVersionUID = 1L;
        Node next;
        final int value;

        Node(int value) {
            this.value = value;
        }
    }

    private byte[] write(List<?> records) {
        RecordSerializer.Encoder encoder = serializer.newEncoder();
        for (Object record : records) {
            encoder.write(record);
        }
        return Arrays.copyOf(encoder.array(), encoder.size());
    }

    private List<Object> read(byte[] stream) {
        List<Object> records = new ArrayList<>();
        serializer.read(new ByteArrayInputStream(stream)).forEachRemaining(records::add);
        return records;
    }

    @Test
    void roundTripsTheRecordsShufflesCarry() {
        Map<String, Integer> map = new TreeMap<>(Map.of("a", 1, "b", 2));
        List<Object> records = Arrays.asList(new Pair<>("word", 3L), new Pair<>(7L, 1L), "text", 42L, 1.5, null,
                new Sale("eu", 1999, List.of("x", "y")), Color.GREEN, map, List.of(1, 2, 3), new BigDecimal("12.50"),
                new Pair<>(new Pair<>("nested", 1), new int[] {1, 2}).key());

        List<Object> back = read(write(records));

        assertEquals(records, back);
        assertSame(Color.GREEN, back.get(7));
    }

    @Test
    void streamsConcatenateRecordByRecord() {
        RecordSerializer.Encoder encoder = serializer.newEncoder();
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        for (int i = 0; i < 1_000; i++) {
            encoder.reset();
            encoder.write(new Pair<>("k" + (i % 17), (long) i));
            block.write(encoder.array(), 0, encoder.size());   // as a map task hands each record to the writer
        }

        List<Object> back = read(block.toByteArray());

        assertEquals(1_000, back.size());
        assertEquals(new Pair<>("k" + (998 % 17), 998L), back.get(998));
    }

    @Test
    void writesAGraphWithACycleWithJavaSerializationAndReadsItBack() {
        Node a = new Node(1);
        Node b = new Node(2);
        a.next = b;
        b.next = a;

        List<Object> back = read(write(List.of(new Pair<>("before", 1L), a, new Pair<>("after", 2L))));

        assertTrue(serializer.writesWithJava(Node.class));
        Node readA = (Node) back.get(1);
        assertEquals(2, readA.next.value);
        assertSame(readA, readA.next.next, "the cycle is intact");
        assertEquals(new Pair<>("after", 2L), back.get(2));
    }

    @Test
    void readsDeepButFiniteGraphsThatFitTheDepthLimit() {
        Node head = null;
        for (int i = 0; i < 500; i++) {
            Node node = new Node(i);
            node.next = head;
            head = node;
        }

        Node back = (Node) read(write(List.of(head))).get(0);

        int depth = 0;
        for (Node n = back; n != null; n = n.next) {
            depth++;
        }
        assertEquals(500, depth);
        assertFalse(serializer.writesWithJava(Node.class), "a chain without a cycle goes through Fory");
    }

    @Test
    void refusesAGadgetClassByNameInBothSerializers() {
        PayloadFilter filter = PayloadFilter.withOperatorPatterns("!io.ember.core.serialization.RecordSerializerTest$Sale");
        RecordSerializer strict = new RecordSerializer(getClass().getClassLoader(), filter);
        RecordSerializer.Encoder encoder = serializer.newEncoder();
        encoder.write(new Sale("eu", 1, List.of()));

        Iterator<Object> records = strict.read(new ByteArrayInputStream(Arrays.copyOf(encoder.array(), encoder.size())));

        assertThrows(RuntimeException.class, records::next, "a refused class is never instantiated");
        assertTrue(filter.refusesClassName("org.apache.commons.collections.functors.InvokerTransformer"));
        assertFalse(filter.refusesClassName("org.apache.commons.collections.functors.sub.Other"),
                "'.*' covers one package, as in the JDK's filter syntax");
    }

    @Test
    void aDamagedStreamIsAnErrorNotARecord() {
        byte[] stream = write(List.of(new Pair<>("word", 3L), new Pair<>("other", 4L)));

        byte[] truncated = Arrays.copyOf(stream, stream.length - 3);
        Iterator<Object> records = serializer.read(new ByteArrayInputStream(truncated));
        assertEquals(new Pair<>("word", 3L), records.next());
        UncheckedIOException e = assertThrows(UncheckedIOException.class, records::next);
        assertTrue(e.getMessage().contains("ends inside a record"), e.getMessage());

        byte[] badTag = stream.clone();
        badTag[0] = 9;
        UncheckedIOException tag = assertThrows(UncheckedIOException.class,
                () -> serializer.read(new ByteArrayInputStream(badTag)).next());
        assertTrue(tag.getMessage().contains("unknown record tag 9"), tag.getMessage());

        byte[] hugeLength = {0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x0f};
        UncheckedIOException length = assertThrows(UncheckedIOException.class,
                () -> serializer.read(new ByteArrayInputStream(hugeLength)).next());
        assertTrue(length.getMessage().contains("record length"), length.getMessage());
    }

    @Test
    void theJavaSerializerWritesEveryRecordWithJavaSerialization() {
        RecordSerializer javaOnly = new RecordSerializer("java", getClass().getClassLoader(), PayloadFilter.standard());
        RecordSerializer.Encoder encoder = javaOnly.newEncoder();
        encoder.write(new Pair<>("word", 3L));

        assertEquals(RecordSerializer.JAVA, encoder.array()[0], "tagged as Java serialization");
        assertEquals(new Pair<>("word", 3L), javaOnly.read(new ByteArrayInputStream(
                Arrays.copyOf(encoder.array(), encoder.size()))).next());
        assertEquals(new Pair<>("word", 3L), serializer.read(new ByteArrayInputStream(
                Arrays.copyOf(encoder.array(), encoder.size()))).next(), "either reads both");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RecordSerializer("kryo", getClass().getClassLoader(), PayloadFilter.standard()));
        assertTrue(e.getMessage().contains("unknown record serializer 'kryo'; expected fory or java"), e.getMessage());
    }

    @Test
    void anEmptyStreamHasNoRecords() {
        assertFalse(serializer.read(new ByteArrayInputStream(new byte[0])).hasNext());
        assertArrayEquals(new byte[0], write(List.of()));
    }
}
