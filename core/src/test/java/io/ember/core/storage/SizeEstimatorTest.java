package io.ember.core.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class SizeEstimatorTest {

    private final SizeEstimator estimator = new SizeEstimator(true);

    /** A record of the application's kind: its fields are followed. */
    record Pair(String left, String right) {}

    /** A node of a user-made linked list. */
    static final class Node {
        final long value;
        Node next;

        Node(long value) {
            this.value = value;
        }
    }

    private static void assertAbout(long expected, long actual, double tolerance) {
        assertTrue(Math.abs(actual - expected) <= expected * tolerance,
                "expected about " + expected + " (+/- " + (int) (tolerance * 100) + "%), got " + actual);
    }

    @Test
    void aMillionLongsTakeEightMegabytes() {
        assertEquals(16 + 8_000_000, estimator.estimate(new long[1_000_000]));
        assertEquals(16 + 1_000, estimator.estimate(new byte[1_000]));
        assertEquals(16, estimator.estimate(new int[0]));
    }

    @Test
    void stringsGrowWithTheirLength() {
        long empty = estimator.estimate("");
        long thousand = estimator.estimate("x".repeat(1_000));
        long twoThousand = estimator.estimate("x".repeat(2_000));

        assertEquals(1_000, twoThousand - thousand);
        assertEquals(1_000, thousand - empty);
        assertEquals(2_000, estimator.estimate("\u20ac".repeat(1_000)) - empty, "two bytes a char beyond Latin-1");
    }

    @Test
    void boxedNumbersAndSmallObjectsTakeTheirHeaderAndFields() {
        assertEquals(16, estimator.estimate(42));
        assertEquals(24, estimator.estimate(42L));
        assertEquals(24, estimator.estimate(4.2d));
        assertEquals(0, estimator.estimate(null));
        assertTrue(estimator.estimate(BigInteger.ONE.shiftLeft(8_000)) > 1_000);
    }

    @Test
    void followsTheFieldsOfApplicationObjectsCountingSharedOnesOnce() {
        String text = "y".repeat(500);
        long one = estimator.estimate(text);

        long pair = estimator.estimate(new Pair(text, text));
        long distinct = estimator.estimate(new Pair(text, "z".repeat(500)));

        assertEquals(one + 24, pair, "a 24-byte record holding one string twice");
        assertEquals(2 * one + 24, distinct);
    }

    @Test
    void endsOnCyclesAndLongChains() {
        Node a = new Node(1);
        a.next = new Node(2);
        a.next.next = a;
        assertEquals(2 * 24, estimator.estimate(a));

        Node head = new Node(0);
        Node tail = head;
        for (int i = 1; i < 1_000_000; i++) {
            tail.next = new Node(i);
            tail = tail.next;
        }
        assertEquals(SizeEstimator.OBJECT_BUDGET * 24L, estimator.estimate(head), "stops at its budget");
    }

    @Test
    void estimatesLargeArraysAndCollectionsFromASample() {
        Long[] boxes = new Long[100_000];
        List<Long> list = new ArrayList<>();
        Map<Long, Long> map = new HashMap<>();
        for (int i = 0; i < boxes.length; i++) {
            boxes[i] = 1_000_000L + i;
            list.add(boxes[i]);
            map.put(boxes[i], boxes[i]);
        }

        assertAbout(16 + 100_000 * (4 + 24), estimator.estimate(boxes), 0.01);
        assertAbout(100_000 * (4 + 24), estimator.estimate(list), 0.01);
        // Each entry: a node (32), about 5 bytes of table, and its key and value (one Long here).
        long mapBytes = estimator.estimate(map);
        assertTrue(mapBytes > 100_000 * (32 + 24) && mapBytes < 100_000 * (32 + 6 + 2 * 24 + 8), "" + mapBytes);
    }

    @Test
    void countsSharedThingsAsNothing() {
        assertEquals(0, estimator.estimate(String.class));
        assertEquals(0, estimator.estimate(Thread.State.NEW));
        assertEquals(0, estimator.estimate(Thread.currentThread()));
    }

    @Test
    void usesEightByteReferencesOnLargeHeaps() {
        SizeEstimator large = new SizeEstimator(false);

        assertEquals(16 + 8 * 10, large.estimate(new Object[10]));
        assertEquals(16 + 4 * 10, estimator.estimate(new Object[10]));
    }
}
