package io.ember.core.coordination;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.concurrent.EventLoop;
import io.ember.core.testing.Eventually;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class LeaderElectionTest {

    private static final ClusterPaths PATHS = new ClusterPaths("election");

    @TempDir
    Path baseDir;

    private EmbeddedZooKeeper server;
    private TestingClients clients;
    private final List<Candidate> candidates = new ArrayList<>();

    /** One master: its own client, election and listener. */
    private record Candidate(String id, CuratorFramework client, LeaderElection election, RecordingListener events) {
    }

    @BeforeEach
    void startServer() {
        server = EmbeddedZooKeeper.start(baseDir);
        clients = new TestingClients(server.connectString());
    }

    @AfterEach
    void stopEverything() {
        // Last in line first: each participant watches the one before it, so none is woken (and
        // starts a check Curator would log as an error) while it is being closed.
        List<String> line = latchOrder();
        candidates.stream()
                .sorted(Comparator.comparingInt((Candidate c) -> line.indexOf(c.id())).reversed())
                .forEach(candidate -> candidate.election().close());
        clients.close();
        server.close();
    }

    private Candidate candidate(String id) {
        return candidate(id, true);
    }

    private Candidate candidate(String id, boolean watchEpoch) {
        CuratorFramework client = clients.open();
        RecordingListener events = new RecordingListener();
        LeaderElection election = new LeaderElection(client, PATHS, id, "127.0.0.1:" + (7000 + candidates.size()),
                events);
        if (!watchEpoch) {
            election.withoutEpochWatch();
        }
        Candidate candidate = new Candidate(id, client, election, events);
        candidates.add(candidate);
        election.start();
        return candidate;
    }

    /** The one that leads, once its listener has been told. */
    private Candidate awaitLeaderAmong(List<Candidate> among) {
        Eventually.await(() -> among.stream().anyMatch(LeaderElectionTest::toldItLeads), "one of them leads");
        return among.stream().filter(LeaderElectionTest::toldItLeads).findFirst().orElseThrow();
    }

    private static boolean toldItLeads(Candidate candidate) {
        return candidate.election().isLeader() && candidate.events().leadershipNanos != 0
                && candidate.events().lastEpoch() == candidate.election().epoch();
    }

    /** The masters' ids in the latch's order (first: the leader). */
    private List<String> latchOrder() {
        try {
            CuratorFramework admin = clients.open();
            List<String> nodes = admin.getChildren().forPath(PATHS.masterLatch()).stream()
                    .sorted(Comparator.comparing(node -> node.substring(node.lastIndexOf('-') + 1)))
                    .toList();
            List<String> ids = new ArrayList<>();
            for (String node : nodes) {
                ids.add(new String(admin.getData().forPath(PATHS.masterLatch() + "/" + node), UTF_8));
            }
            return ids;
        } catch (Exception e) {
            return List.of();
        }
    }

    private LeaderTracker tracker() {
        LeaderTracker tracker = clients.track(new LeaderTracker(clients.open(), PATHS));
        tracker.start();
        return tracker;
    }

    @Test
    void exactlyOneOfThreeLeadsAndPublishesItsRecord() {
        List<Candidate> three = List.of(candidate("m1"), candidate("m2"), candidate("m3"));
        Candidate leader = awaitLeaderAmong(three);

        assertEquals(1, three.stream().filter(c -> c.election().isLeader()).count());
        assertEquals(1, leader.election().epoch());
        assertEquals(List.of("leader 1"), leader.events().events);
        for (Candidate other : three) {
            if (other != leader) {
                assertEquals(-1, other.election().epoch());
                assertEquals(List.of(), other.events().events);
            }
        }
        LeaderTracker tracker = tracker();
        LeaderInfo info = tracker.awaitLeader(Duration.ofSeconds(10));
        assertEquals(new LeaderInfo(leader.id(), "127.0.0.1:" + (7000 + three.indexOf(leader)), 1), info);
        assertEquals(1, tracker.highestEpochSeen());
    }

    @Test
    void gracefulCloseHandsOverToAStandbyWithTheNextEpoch() {
        List<Candidate> two = List.of(candidate("m1"), candidate("m2"));
        Candidate first = awaitLeaderAmong(two);
        Candidate second = two.get(0) == first ? two.get(1) : two.get(0);
        LeaderTracker tracker = tracker();
        tracker.awaitLeader(Duration.ofSeconds(10));

        long closeNanos = System.nanoTime();
        first.election().close();
        Eventually.await(() -> second.events().leadershipNanos != 0, "the standby is told it leads");
        System.out.printf("handover took %d ms (graceful close to the standby's onLeadership)%n",
                (second.events().leadershipNanos - closeNanos) / 1_000_000);

        assertEquals(2, second.election().epoch());
        assertEquals(List.of("leader 1", "lost: election closed"), first.events().events);
        assertFalse(first.election().isLeader());
        assertEquals(-1, first.election().epoch());
        Eventually.await(() -> tracker.highestEpochSeen() == 2, "the tracker sees epoch 2");
        assertEquals(second.id(), tracker.current().orElseThrow().masterId());
        first.election().close(); // idempotent
    }

    @Test
    void epochsIncreaseWithEveryTakeover() {
        List<Candidate> three = List.of(candidate("m1"), candidate("m2"), candidate("m3"));
        List<Long> epochs = new ArrayList<>();
        List<Candidate> remaining = new ArrayList<>(three);
        for (int round = 0; round < 3; round++) {
            Candidate leader = awaitLeaderAmong(remaining);
            epochs.add(leader.election().epoch());
            leader.election().close();
            remaining.remove(leader);
        }
        assertEquals(List.of(1L, 2L, 3L), epochs);
    }

    @Test
    void aStandbyTakesOverWhenTheLeadersClientIsClosedHard() {
        List<Candidate> two = List.of(candidate("m1"), candidate("m2"));
        Candidate first = awaitLeaderAmong(two);
        Candidate second = two.get(0) == first ? two.get(1) : two.get(0);

        long closeNanos = System.nanoTime();
        first.client().close(); // the process is gone: its session ends, the election is never closed
        Eventually.await(() -> second.events().leadershipNanos != 0, "the standby is told it leads");
        System.out.printf("takeover after the leader's client closed took %d ms%n",
                (second.events().leadershipNanos - closeNanos) / 1_000_000);
        assertEquals(2, second.election().epoch());
    }

    @Test
    void aDeposedLeaderStepsDownAsSoonAsASuccessorHasANewEpoch() throws Exception {
        List<Candidate> two = List.of(candidate("m1"), candidate("m2"));
        Candidate first = awaitLeaderAmong(two);
        Candidate second = two.get(0) == first ? two.get(1) : two.get(0);

        // An operator (or a bug) deletes the leader's latch node: the standby takes over while the
        // old leader's latch, which watches nothing, still believes it leads. The epoch tells it.
        CuratorFramework admin = clients.open();
        long deleteNanos = System.nanoTime();
        admin.delete().forPath(latchNodeOf(admin, first.id()));
        Eventually.await(() -> first.events().lost(), "the deposed leader is told");
        System.out.printf("deposed leader stepped down %d ms after its latch node was deleted%n",
                (first.events().lostNanos - deleteNanos) / 1_000_000);
        Eventually.await(() -> second.events().lastEpoch() == 2, "the standby leads with epoch 2");
        assertEquals(List.of("leader 1", "lost: epoch 1 was superseded: another master leads cluster election"),
                first.events().events);
        assertFalse(first.election().isLeader());
        Eventually.await(() -> latchParticipants(admin) == 2, "the deposed master rejoined the election");
        assertTrue(second.election().isLeader());
    }

    @Test
    void aDeposedLeaderCannotWriteEvenBeforeItNotices() throws Exception {
        // Without the epoch watch the deposed leader never notices on its own: only fencing stops it.
        List<Candidate> two = List.of(candidate("m1", false), candidate("m2", false));
        Candidate first = awaitLeaderAmong(two);
        Candidate second = two.get(0) == first ? two.get(1) : two.get(0);
        Registrations.putApplication(first.election(), "app-1", "v1".getBytes(UTF_8));

        // An operator (or a bug) deletes the leader's latch node: the standby takes over, but the
        // old leader's latch watches nothing and still believes it leads.
        CuratorFramework admin = clients.open();
        String firstLatchNode = latchNodeOf(admin, first.id());
        admin.delete().forPath(firstLatchNode);
        Eventually.await(() -> second.election().isLeader(), "the standby leads");
        assertEquals(2, second.election().epoch());
        assertTrue(first.election().isLeader(), "the deposed leader has not noticed");

        NotLeaderException refused = assertThrows(NotLeaderException.class,
                () -> Registrations.putApplication(first.election(), "app-1", "stale".getBytes(UTF_8)));
        assertEquals("master " + first.id() + " is no longer the leader: epoch 1 was superseded: another master "
                + "leads cluster election", refused.getMessage());
        assertArrayEquals("v1".getBytes(UTF_8), admin.getData().forPath(PATHS.app("app-1")), "nothing was written");
        assertFalse(first.election().isLeader(), "the refusal made it step down");
        Eventually.await(() -> first.events().lost(), "the deposed leader's listener is told");
        Eventually.await(() -> latchParticipants(admin) == 2, "the deposed master rejoined the election");
        assertTrue(second.election().isLeader());

        Registrations.putApplication(second.election(), "app-1", "v2".getBytes(UTF_8));
        assertArrayEquals("v2".getBytes(UTF_8), admin.getData().forPath(PATHS.app("app-1")));
    }

    @Test
    void aLeaderWhoseRecordSomeoneDeletesStepsDownBeforeAnotherTakesOverWithAHigherEpoch() throws Exception {
        List<Candidate> two = List.of(candidate("m1"), candidate("m2"));
        Candidate first = awaitLeaderAmong(two);
        Candidate second = two.get(0) == first ? two.get(1) : two.get(0);
        LeaderTracker tracker = tracker();
        tracker.awaitLeader(Duration.ofSeconds(10));

        CuratorFramework admin = clients.open();
        long deleteNanos = System.nanoTime();
        admin.delete().forPath(PATHS.leader()); // an operator (or anyone with the secret), by hand
        Eventually.await(() -> first.events().lost(), "the leader is told");
        System.out.printf("the leader stepped down %d ms after its record was deleted%n",
                (first.events().lostNanos - deleteNanos) / 1_000_000);
        assertEquals(List.of("leader 1", "lost: its leader record /ember/election/master/leader was deleted by "
                + "someone else"), first.events().events);
        assertFalse(first.election().isLeader());

        Eventually.await(() -> second.events().lastEpoch() == 2, "the standby leads with epoch 2");
        assertTrue(first.events().lostNanos < second.events().leadershipNanos,
                "the old leader stopped before the new one started");
        Eventually.await(() -> tracker.current().map(LeaderInfo::masterId).orElse("").equals(second.id()),
                "the standby's record is published");
        assertEquals(2, tracker.current().orElseThrow().epoch());
        Eventually.await(() -> latchParticipants(admin) == 2, "the old leader rejoined the election");
        assertFalse(first.election().isLeader());
        assertEquals(List.of(), second.events().events.stream().filter(e -> e.startsWith("lost")).toList());
    }

    /**
     * Had the old leader not noticed, its writes would still fail: what fences them is the epoch
     * the new leader set, checked in the same transaction as each write.
     */
    @Test
    void theOldLeadersWritesAreFencedEvenIfItNeverNoticedItsRecordWasDeleted() throws Exception {
        List<Candidate> two = List.of(candidate("m1"), candidate("m2"));
        Candidate first = awaitLeaderAmong(two);
        Candidate second = two.get(0) == first ? two.get(1) : two.get(0);
        LeaderTerm firstTerm = new LeaderTerm(1, 0, 0); // epoch 1: master/epoch created, version 0
        List<String> deposed = new CopyOnWriteArrayList<>();
        EventLoop work = EventLoop.start("stale-writer");
        try {
            LeaderFence staleWriter = new LeaderFence(first.client(), PATHS, first.id(), work, new LeaderFence.Leader() {
                @Override
                public boolean isCurrent(LeaderTerm term) {
                    return true; // never notices anything by itself
                }

                @Override
                public void deposed(LeaderTerm term, String reason) {
                    deposed.add(reason);
                }
            });
            first.client().createContainers(PATHS.apps());
            staleWriter.write(firstTerm, first.client().transactionOp().create().forPath(PATHS.app("before")));

            clients.open().delete().forPath(PATHS.leader());
            Eventually.await(() -> second.events().lastEpoch() == 2, "the standby leads with epoch 2");

            CuratorFramework writer = first.client();
            NotLeaderException refused = assertThrows(NotLeaderException.class,
                    () -> staleWriter.write(firstTerm, writer.transactionOp().create().forPath(PATHS.app("after"))));
            assertEquals("master " + first.id() + " is no longer the leader: epoch 1 was superseded: another master "
                    + "leads cluster election", refused.getMessage());
            assertNull(writer.checkExists().forPath(PATHS.app("after")), "nothing was written");
            assertEquals(1, deposed.size());
        } finally {
            work.shutdownNow(Duration.ofSeconds(2));
        }
    }

    @Test
    void aLeaderWhoseRecordSomeoneOverwritesStepsDownAndTheNextLeaderPublishesItsOwn() throws Exception {
        List<Candidate> two = List.of(candidate("m1"), candidate("m2"));
        Candidate first = awaitLeaderAmong(two);
        Candidate second = two.get(0) == first ? two.get(1) : two.get(0);
        LeaderTracker tracker = tracker();
        tracker.awaitLeader(Duration.ofSeconds(10));

        clients.open().setData().forPath(PATHS.leader(), new LeaderInfo("intruder", "10.0.0.66:7077", 1).encode());
        Eventually.await(() -> first.events().lost(), "the leader is told");
        assertEquals(List.of("leader 1", "lost: its leader record /ember/election/master/leader was changed by "
                + "someone else (it now names master intruder at 10.0.0.66:7077, epoch 1)"), first.events().events);
        assertFalse(first.election().isLeader());

        Eventually.await(() -> second.events().lastEpoch() == 2, "the standby leads with epoch 2");
        Eventually.await(() -> tracker.current().map(LeaderInfo::masterId).orElse("").equals(second.id()),
                "the standby's record replaced the intruder's");
    }

    @Test
    void aLoneLeaderWhoseRecordIsDeletedLeadsAgainWithTheNextEpoch() throws Exception {
        Candidate only = awaitLeaderAmong(List.of(candidate("m1")));
        CuratorFramework admin = clients.open();

        admin.delete().forPath(PATHS.leader());
        Eventually.await(() -> only.events().lastEpoch() == 2, "it leads again");
        assertEquals(List.of("leader 1", "lost: its leader record /ember/election/master/leader was deleted by "
                + "someone else", "leader 2"), only.events().events);
        Eventually.await(() -> exists(admin, PATHS.leader()), "its record is back");
        assertEquals(new LeaderInfo("m1", "127.0.0.1:7000", 2), LeaderInfo.decode(admin.getData().forPath(PATHS.leader())));
    }

    @Test
    void aStandbysFencedWriteIsRefusedAtOnce() {
        List<Candidate> two = List.of(candidate("m1"), candidate("m2"));
        Candidate first = awaitLeaderAmong(two);
        Candidate second = two.get(0) == first ? two.get(1) : two.get(0);
        NotLeaderException refused = assertThrows(NotLeaderException.class,
                () -> Registrations.putApplication(second.election(), "app", new byte[0]));
        assertEquals("master " + second.id() + " is not the leader of cluster election", refused.getMessage());
    }

    @Test
    void theLeaderStoresAndRemovesApplicationsThroughTheFence() throws Exception {
        Candidate leader = awaitLeaderAmong(List.of(candidate("m1")));
        CuratorFramework admin = clients.open();

        Registrations.putApplication(leader.election(), "app-1", "v1".getBytes(UTF_8));
        assertArrayEquals("v1".getBytes(UTF_8), admin.getData().forPath(PATHS.app("app-1")));
        Registrations.putApplication(leader.election(), "app-1", "v2".getBytes(UTF_8));
        assertArrayEquals("v2".getBytes(UTF_8), admin.getData().forPath(PATHS.app("app-1")));

        CuratorFramework driverClient = clients.open();
        CuratorFramework executorClient = clients.open();
        new Registrations(driverClient, PATHS).registerDriver("app-1");
        Registration executor = new Registrations(executorClient, PATHS).registerExecutor("app-1", "e1", new byte[0]);

        assertTrue(Registrations.removeApplication(leader.election(), "app-1"));
        assertNull(admin.checkExists().forPath(PATHS.app("app-1")));
        assertFalse(Registrations.removeApplication(leader.election(), "app-1"));
        executor.close(); // its node went with the application: nothing to do, no error
    }

    @Test
    void refusesASecondStartAndClosesIdempotently() {
        Candidate candidate = awaitLeaderAmong(List.of(candidate("m1")));
        IllegalStateException again = assertThrows(IllegalStateException.class, () -> candidate.election().start());
        assertEquals("the leader election of master m1 was already started", again.getMessage());
        candidate.election().close();
        candidate.election().close();
        assertFalse(candidate.election().isLeader());
        assertThrows(IllegalStateException.class, () -> candidate.election().start());

        LeaderElection neverStarted = new LeaderElection(candidate.client(), PATHS, "m2", "h:1", new RecordingListener());
        neverStarted.close();
        neverStarted.close();
    }

    @Test
    void checksItsArguments() {
        CuratorFramework client = clients.open();
        RecordingListener listener = new RecordingListener();
        assertThrows(NullPointerException.class, () -> new LeaderElection(null, PATHS, "m", "h:1", listener));
        assertThrows(NullPointerException.class, () -> new LeaderElection(client, null, "m", "h:1", listener));
        assertThrows(NullPointerException.class, () -> new LeaderElection(client, PATHS, "m", "h:1", null));
        assertThrows(IllegalArgumentException.class, () -> new LeaderElection(client, PATHS, "m", "no-port", listener));
        assertThrows(IllegalArgumentException.class, () -> new LeaderElection(client, PATHS, "a b", "h:1", listener));
    }

    private static String latchNodeOf(CuratorFramework admin, String masterId) throws Exception {
        for (String child : admin.getChildren().forPath(PATHS.masterLatch())) {
            String path = PATHS.masterLatch() + "/" + child;
            if (new String(admin.getData().forPath(path), UTF_8).equals(masterId)) {
                return path;
            }
        }
        throw new AssertionError("no latch node of " + masterId);
    }

    private static boolean exists(CuratorFramework admin, String path) {
        try {
            return admin.checkExists().forPath(path) != null;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static int latchParticipants(CuratorFramework admin) {
        try {
            return admin.getChildren().forPath(PATHS.masterLatch()).size();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
