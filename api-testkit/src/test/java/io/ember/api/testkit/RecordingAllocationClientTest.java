package io.ember.api.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.testkit.RecordingAllocationClient.Kill;
import io.ember.api.testkit.RecordingAllocationClient.Total;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

final class RecordingAllocationClientTest {

    private final RecordingAllocationClient client = new RecordingAllocationClient();

    @Test
    void recordsEveryCallInOrder() {
        assertTrue(client.requestTotalExecutors(3));
        assertTrue(client.killExecutors(List.of("e2", "e1"), 1));
        assertTrue(client.requestTotalExecutors(4));

        assertEquals(List.of(new Total(3), new Kill(List.of("e2", "e1"), 1), new Total(4)), client.requests());
    }

    @Test
    void separatesTotalsKillsAndKilledExecutors() {
        client.requestTotalExecutors(3);
        client.killExecutors(List.of("e1"), 2);
        client.requestTotalExecutors(5);
        client.killExecutors(List.of("e3", "e2"), 3);

        assertEquals(List.of(3, 5), client.requestedTotals());
        assertEquals(List.of(new Kill(List.of("e1"), 2), new Kill(List.of("e3", "e2"), 3)), client.kills());
        assertEquals(List.of("e1", "e3", "e2"), client.killed());
    }

    @Test
    void requestedTotalIsTheTotalOfTheLastAcceptedCallKillsIncluded() {
        assertEquals(0, client.requestedTotal());
        client.requestTotalExecutors(3);
        assertEquals(3, client.requestedTotal());
        client.killExecutors(List.of("e1"), 2);
        assertEquals(2, client.requestedTotal());
    }

    @Test
    void whileUnreachableRefusesAndRecordsCallsApart() {
        client.requestTotalExecutors(2);
        client.reachable(false);

        assertFalse(client.requestTotalExecutors(5));
        assertFalse(client.killExecutors(List.of("e1"), 1));

        assertEquals(List.of(new Total(2)), client.requests());
        assertEquals(List.of(new Total(5), new Kill(List.of("e1"), 1)), client.refused());
        assertEquals(2, client.requestedTotal());
        assertEquals(List.of(), client.killed());

        client.reachable(true);
        assertTrue(client.requestTotalExecutors(5));
        assertEquals(List.of(2, 5), client.requestedTotals());
    }

    @Test
    void reportsTheExecutorsTheTestSaysItHoldsWhateverWasKilled() {
        assertEquals(Set.of(), client.executorIds());
        client.hold("e1", "e2");
        client.killExecutors(List.of("e1"), 1);

        assertEquals(Set.of("e1", "e2"), client.executorIds());
    }

    @Test
    void keepsAKillsExecutorsAsTheyWereWhenCalled() {
        List<String> ids = new ArrayList<>(List.of("e1"));
        client.killExecutors(ids, 0);
        ids.add("e2");

        assertEquals(List.of("e1"), client.killed());
    }

    @Test
    void printsRequestsAsTheyReadInATest() {
        client.requestTotalExecutors(3);
        client.killExecutors(List.of("e1", "e2"), 1);

        assertEquals("[total 3, kill [e1, e2] total 1]", client.requests().toString());
    }

    @Test
    void refusesNullExecutorIds() {
        assertThrows(NullPointerException.class, () -> client.killExecutors(null, 0));
    }
}
