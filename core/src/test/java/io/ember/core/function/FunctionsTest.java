package io.ember.core.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.serialization.JavaSerializer;
import io.ember.core.serialization.PayloadFilter;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

final class FunctionsTest {

    private final JavaSerializer serializer = new JavaSerializer(PayloadFilter.standard());

    @SuppressWarnings("unchecked")
    private <T extends Serializable> T roundTrip(T function) {
        return (T) serializer.deserialize(serializer.serialize(function), getClass().getClassLoader());
    }

    @Test
    void lambdasOfEveryFunctionSurviveSerializationWithWhatTheyCapture() throws Exception {
        int offset = 10;
        List<String> sink = new ArrayList<>();

        assertEquals(11, roundTrip((MapFunction<Integer, Integer>) x -> x + offset).call(1));
        assertEquals(List.of(1, 1), toList(roundTrip((FlatMapFunction<Integer, Integer>) x -> List.of(x, x).iterator())
                .call(1)));
        assertTrue(roundTrip((FilterFunction<Integer>) x -> x > offset).call(11));
        assertFalse(roundTrip((FilterFunction<Integer>) x -> x > offset).call(10));
        assertEquals(7, roundTrip((ReduceFunction<Integer>) Integer::sum).call(3, 4));
        assertEquals(List.of(2), toList(roundTrip((PartitionFunction<Integer, Integer>) records -> List.of(
                records.next() + 1).iterator()).call(List.of(1).iterator())));
        assertEquals(List.of("3:a"), toList(roundTrip((IndexedPartitionFunction<String, String>) (partition, records)
                -> List.of(partition + ":" + records.next()).iterator()).call(3, List.of("a").iterator())));
        ForeachFunction<String> add = sink::add;   // captures a local list: fine to run, serializable too
        add.call("x");
        ForeachPartitionFunction<String> drain = records -> records.forEachRemaining(sink::add);
        drain.call(List.of("y", "z").iterator());
        assertEquals(List.of("x", "y", "z"), sink);
    }

    @Test
    void functionsMayThrowCheckedExceptions() {
        MapFunction<String, Integer> parse = value -> {
            throw new IOException("cannot read " + value);
        };

        IOException failure = assertThrows(IOException.class, () -> parse.call("x"));

        assertEquals("cannot read x", failure.getMessage());
    }

    private static <T> List<T> toList(Iterator<T> iterator) {
        List<T> list = new ArrayList<>();
        iterator.forEachRemaining(list::add);
        return list;
    }
}
