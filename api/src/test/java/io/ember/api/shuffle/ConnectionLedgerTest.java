package io.ember.api.shuffle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

final class ConnectionLedgerTest {

    @Test
    void refusesConnectionsBeyondTheCapWithoutAuthentication() {
        ConnectionLedger<String> ledger = new ConnectionLedger<>(2, false);

        assertTrue(ledger.admit("a", c -> true).admitted());
        assertTrue(ledger.admit("b", c -> true).admitted());
        ConnectionLedger.Admission<String> third = ledger.admit("c", c -> true);

        assertFalse(third.admitted());
        assertNull(third.evicted());
        assertEquals(new ConnectionLedger.Counts(1, 0, 0), ledger.counts());
        ledger.released("a");
        assertTrue(ledger.admit("c", c -> true).admitted(), "the place a closed connection left");
        assertEquals(2, ledger.open());
    }

    @Test
    void withAuthenticationANewConnectionTakesThePlaceOfTheOldestEvictableUnauthenticatedOne() {
        ConnectionLedger<String> ledger = new ConnectionLedger<>(3, true);
        CompletableFuture<Void> clientTimer = admitWaiting(ledger, "client");
        ledger.authenticated("client");
        CompletableFuture<Void> unregisteredTimer = admitWaiting(ledger, "not-yet-registered");
        CompletableFuture<Void> strangerTimer = admitWaiting(ledger, "stranger");

        ConnectionLedger.Admission<String> admission = ledger.admit("new", c -> !c.equals("not-yet-registered"));

        assertTrue(admission.admitted());
        assertEquals("stranger", admission.evicted(), "not the client, which authenticated, nor one not closable yet");
        assertTrue(strangerTimer.isCancelled());
        assertTrue(clientTimer.isCancelled(), "cancelled when it authenticated");
        assertFalse(unregisteredTimer.isCancelled());
        assertEquals(new ConnectionLedger.Counts(0, 1, 0), ledger.counts());
        assertEquals(3, ledger.open());
    }

    @Test
    void aConnectionThatDoesNotAuthenticateInTimeExpiresOnceAndOneNotClosableYetIsLookedAtAgain() {
        ConnectionLedger<String> ledger = new ConnectionLedger<>(3, true);
        admitWaiting(ledger, "slow");
        CompletableFuture<Void> again = new CompletableFuture<>();

        assertEquals(ConnectionLedger.Expiry.AGAIN, ledger.expire("slow", c -> false, () -> again));
        assertEquals(ConnectionLedger.Expiry.CLOSE, ledger.expire("slow", c -> true, () -> again));
        assertEquals(ConnectionLedger.Expiry.NONE, ledger.expire("slow", c -> true, () -> again));
        assertEquals(new ConnectionLedger.Counts(0, 0, 1), ledger.counts());

        admitWaiting(ledger, "quick");
        ledger.authenticated("quick");
        assertEquals(ConnectionLedger.Expiry.NONE, ledger.expire("quick", c -> true, () -> again));
    }

    @Test
    void aConnectionClosedBeforeItsClockStartsCancelsItsTimer() {
        ConnectionLedger<String> ledger = new ConnectionLedger<>(3, true);
        ledger.admit("gone", c -> true);
        ledger.released("gone");
        CompletableFuture<Void> timer = new CompletableFuture<>();

        assertFalse(ledger.awaitAuthentication("gone", timer));

        assertTrue(timer.isCancelled());
        assertEquals(0, ledger.open());
    }

    @Test
    void refusesACapBelowOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ConnectionLedger<>(0, true));
        assertEquals("maxConnections must be >= 1: 0", e.getMessage());
    }

    private static CompletableFuture<Void> admitWaiting(ConnectionLedger<String> ledger, String connection) {
        assertTrue(ledger.admit(connection, c -> true).admitted());
        CompletableFuture<Void> timer = new CompletableFuture<>();
        assertTrue(ledger.awaitAuthentication(connection, timer));
        return timer;
    }
}
