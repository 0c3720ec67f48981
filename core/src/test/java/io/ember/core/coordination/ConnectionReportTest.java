package io.ember.core.coordination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.testkit.ManualClock;
import io.ember.core.coordination.ConnectionReport.Level;
import io.ember.core.coordination.ConnectionReport.Line;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.state.ConnectionState;
import org.junit.jupiter.api.Test;

final class ConnectionReportTest {

    private final ManualClock clock = new ManualClock();
    private final ConnectionReport report = new ConnectionReport("zk:2181", Duration.ofSeconds(4), clock);
    private final List<Line> lines = new ArrayList<>();

    private void change(ConnectionState state) {
        report.changed(state).ifPresent(lines::add);
    }

    /** Ticks once a second for {@code seconds}, as the logger's timer does. */
    private void tickFor(int seconds) {
        for (int i = 0; i < seconds; i++) {
            clock.advance(Duration.ofSeconds(1));
            report.tick().ifPresent(lines::add);
        }
    }

    @Test
    void anOutageIsOneWarningASummaryEveryTenSecondsAndOneLineWithItsLengthAtTheEnd() {
        change(ConnectionState.CONNECTED);
        change(ConnectionState.SUSPENDED);
        tickFor(4);
        change(ConnectionState.LOST);
        tickFor(21);
        clock.advance(Duration.ofMillis(300));
        change(ConnectionState.RECONNECTED);

        assertEquals(List.of(Level.INFO, Level.WARN, Level.WARN, Level.WARN, Level.INFO),
                lines.stream().map(Line::level).toList(), lines.toString());
        assertEquals("Connected to ZooKeeper at zk:2181", lines.get(0).text());
        assertTrue(lines.get(1).text().startsWith("Lost the connection to ZooKeeper at zk:2181; work goes on"),
                lines.get(1).text());
        assertTrue(lines.get(2).text().startsWith("ZooKeeper at zk:2181 unreachable for 10s; this process's session "
                + "expired"), lines.get(2).text());
        assertTrue(lines.get(3).text().startsWith("ZooKeeper at zk:2181 unreachable for 20s"), lines.get(3).text());
        assertEquals("Reconnected to ZooKeeper at zk:2181 after 25.3s; the session had expired, so this process "
                + "registers again on a new one", lines.get(4).text());
        assertFalse(report.inOutage());
    }

    @Test
    void aShortDisconnectionThatKeepsTheSessionSaysSo() {
        change(ConnectionState.CONNECTED);
        change(ConnectionState.SUSPENDED);
        assertTrue(report.inOutage());
        tickFor(2);
        change(ConnectionState.RECONNECTED);

        assertEquals(3, lines.size(), lines.toString());
        assertEquals(new Line(Level.INFO, "Reconnected to ZooKeeper at zk:2181 after 2s; the session survived"),
                lines.get(2));
        tickFor(30);
        assertEquals(3, lines.size(), "no summary once the outage ended: " + lines);
    }

    @Test
    void anExpiryWithoutASuspensionFirstStartsTheOutageToo() {
        change(ConnectionState.CONNECTED);
        change(ConnectionState.LOST);
        change(ConnectionState.SUSPENDED);

        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(1).text().contains("session expired"), lines.get(1).text());
    }

    @Test
    void silentBeforeTheFirstConnection() {
        assertEquals(Optional.empty(), report.changed(ConnectionState.SUSPENDED));
        assertEquals(Optional.empty(), report.changed(ConnectionState.LOST));
        assertFalse(report.inOutage());
        tickFor(15);
        assertTrue(lines.isEmpty(), lines.toString());
    }
}
