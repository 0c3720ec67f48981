package io.ember.core.coordination;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.testing.Eventually;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ClusterViewTest {

    private static final ClusterPaths PATHS = new ClusterPaths("viewed");

    @TempDir
    Path baseDir;

    private EmbeddedZooKeeper server;
    private TestingClients clients;
    private LeaderElection leader;

    @BeforeEach
    void startServerAndLeader() {
        server = EmbeddedZooKeeper.start(baseDir);
        clients = new TestingClients(server.connectString());
        leader = clients.track(new LeaderElection(clients.open(), PATHS, "m1", "127.0.0.1:7077",
                new RecordingListener()));
        leader.start();
        Eventually.await(leader::isLeader, "the master leads");
    }

    @AfterEach
    void stopEverything() {
        clients.close();
        server.close();
    }

    private ClusterView view(Recorder recorder) {
        ClusterView view = clients.track(new ClusterView(clients.open(), PATHS));
        if (recorder != null) {
            view.subscribe(recorder);
        }
        view.start();
        view.awaitInitialized(Duration.ofSeconds(10));
        return view;
    }

    @Test
    void seesAWorkerComeAndGoWithItsSession() {
        Recorder recorder = new Recorder();
        ClusterView view = view(recorder);
        CuratorFramework worker = clients.open();
        new Registrations(worker, PATHS).registerWorker("w1", "cores=8".getBytes(UTF_8));
        Eventually.await(() -> view.snapshot().workers().containsKey("w1"), "the worker appears");
        assertArrayEquals("cores=8".getBytes(UTF_8), view.snapshot().workers().get("w1"));

        worker.close();
        Eventually.await(() -> view.snapshot().workers().isEmpty(), "the worker vanishes with its session");
        Eventually.await(() -> recorder.events.size() == 3, "the listener is told");
        assertEquals(List.of("initialized", "workerAdded w1 cores=8", "workerRemoved w1"), recorder.events);
    }

    @Test
    void itsSnapshotHoldsWorkersApplicationsExecutorsAndLiveDrivers() {
        ClusterView view = view(null);
        new Registrations(clients.open(), PATHS).registerWorker("w1", "a".getBytes(UTF_8));
        new Registrations(clients.open(), PATHS).registerWorker("w2", "b".getBytes(UTF_8));
        Registrations.putApplication(leader, "app-1", "spec-1".getBytes(UTF_8));
        Registrations.putApplication(leader, "app-2", "spec-2".getBytes(UTF_8));
        CuratorFramework driver = clients.open();
        new Registrations(driver, PATHS).registerDriver("app-1");
        new Registrations(clients.open(), PATHS).registerExecutor("app-1", "1", "e1".getBytes(UTF_8));
        new Registrations(clients.open(), PATHS).registerExecutor("app-1", "2", "e2".getBytes(UTF_8));

        Eventually.await(() -> view.snapshot().executorsOf("app-1").size() == 2
                && view.snapshot().liveDrivers().size() == 1 && view.snapshot().workers().size() == 2
                && view.snapshot().apps().size() == 2, "everything is seen");
        ClusterSnapshot snapshot = view.snapshot();
        assertEquals(List.of("w1", "w2"), List.copyOf(snapshot.workers().keySet()));
        assertEquals(List.of("app-1", "app-2"), List.copyOf(snapshot.apps().keySet()));
        assertArrayEquals("spec-2".getBytes(UTF_8), snapshot.apps().get("app-2"));
        assertEquals(Set.of("app-1"), snapshot.liveDrivers());
        assertEquals(List.of("1", "2"), List.copyOf(snapshot.executorsOf("app-1").keySet()));
        assertArrayEquals("e2".getBytes(UTF_8), snapshot.executorsOf("app-1").get("2"));
        assertEquals(Map.of(), snapshot.executorsOf("app-2"));
        assertThrows(UnsupportedOperationException.class, () -> snapshot.workers().remove("w1"));

        driver.close();
        Eventually.await(() -> view.snapshot().liveDrivers().isEmpty(), "the driver is gone");
        assertEquals(2, view.snapshot().executorsOf("app-1").size(), "executors live in their own sessions");
        assertTrue(view.snapshot().apps().containsKey("app-1"), "the application stays until the leader removes it");

        Registrations.removeApplication(leader, "app-1");
        Eventually.await(() -> !view.snapshot().apps().containsKey("app-1")
                && view.snapshot().executors().isEmpty(), "the application and its executors are gone");
    }

    @Test
    void theInitialLoadReportsWhatExistedThenSaysSo() {
        new Registrations(clients.open(), PATHS).registerWorker("w1", "a".getBytes(UTF_8));
        Registrations.putApplication(leader, "app-1", "s".getBytes(UTF_8));
        new Registrations(clients.open(), PATHS).registerDriver("app-1");
        new Registrations(clients.open(), PATHS).registerExecutor("app-1", "1", "e".getBytes(UTF_8));

        Recorder recorder = new Recorder();
        ClusterView view = view(recorder);
        assertTrue(view.isInitialized());
        assertEquals(Set.of("workerAdded w1 a", "applicationAdded app-1 s", "driverAdded app-1",
                "executorAdded app-1 1 e"), Set.copyOf(recorder.events.subList(0, 4)));
        assertTrue(recorder.events.indexOf("applicationAdded app-1 s") < recorder.events.indexOf("driverAdded app-1"),
                "a parent before its children: " + recorder.events);
        assertEquals("initialized", recorder.events.get(4));
        assertEquals(5, recorder.events.size());
    }

    @Test
    void aSubscriberStartsFromItsSnapshotAndMissesNothingAfter() {
        ClusterView view = view(null);
        new Registrations(clients.open(), PATHS).registerWorker("w1", "a".getBytes(UTF_8));
        Eventually.await(() -> view.snapshot().workers().containsKey("w1"), "w1 is seen");

        Recorder recorder = new Recorder();
        ClusterSnapshot start = view.subscribe(recorder);
        assertEquals(Set.of("w1"), start.workers().keySet());
        // One change at a time: ZooKeeper watches coalesce changes made faster than they are read.
        Registrations.putApplication(leader, "app-1", "v1".getBytes(UTF_8));
        Eventually.await(() -> recorder.events.size() == 1, "the application is seen");
        Registrations.putApplication(leader, "app-1", "v2".getBytes(UTF_8));
        Eventually.await(() -> recorder.events.size() == 2, "its new spec is seen");
        new Registrations(clients.open(), PATHS).registerWorker("w2", "b".getBytes(UTF_8));
        Eventually.await(() -> recorder.events.size() == 3, "three changes delivered");
        assertEquals(List.of("applicationAdded app-1 v1", "applicationUpdated app-1 v2", "workerAdded w2 b"),
                recorder.events);

        view.unsubscribe(recorder);
        new Registrations(clients.open(), PATHS).registerWorker("w3", "c".getBytes(UTF_8));
        Eventually.await(() -> view.snapshot().workers().size() == 3, "w3 is seen");
        assertEquals(3, recorder.events.size());
    }

    @Test
    void hasAClearLifecycle() {
        ClusterView view = new ClusterView(clients.open(), PATHS);
        assertFalse(view.isInitialized());
        view.start();
        assertThrows(IllegalStateException.class, view::start);
        view.close();
        view.close();
        CoordinationException e = assertThrows(CoordinationException.class,
                () -> view.awaitInitialized(Duration.ofMillis(100)));
        assertTrue(e.getMessage().startsWith("the state of cluster viewed was not loaded"), e.getMessage());
    }

    /** Records the changes as short strings, in order. */
    private static final class Recorder implements ClusterView.Listener {

        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void workerAdded(String workerId, byte[] spec) {
            events.add("workerAdded " + workerId + " " + new String(spec, UTF_8));
        }

        @Override
        public void workerUpdated(String workerId, byte[] spec) {
            events.add("workerUpdated " + workerId + " " + new String(spec, UTF_8));
        }

        @Override
        public void workerRemoved(String workerId) {
            events.add("workerRemoved " + workerId);
        }

        @Override
        public void applicationAdded(String appId, byte[] spec) {
            events.add("applicationAdded " + appId + " " + new String(spec, UTF_8));
        }

        @Override
        public void applicationUpdated(String appId, byte[] spec) {
            events.add("applicationUpdated " + appId + " " + new String(spec, UTF_8));
        }

        @Override
        public void applicationRemoved(String appId) {
            events.add("applicationRemoved " + appId);
        }

        @Override
        public void driverAdded(String appId) {
            events.add("driverAdded " + appId);
        }

        @Override
        public void driverRemoved(String appId) {
            events.add("driverRemoved " + appId);
        }

        @Override
        public void executorAdded(String appId, String executorId, byte[] spec) {
            events.add("executorAdded " + appId + " " + executorId + " " + new String(spec, UTF_8));
        }

        @Override
        public void executorRemoved(String appId, String executorId) {
            events.add("executorRemoved " + appId + " " + executorId);
        }

        @Override
        public void initialized() {
            events.add("initialized");
        }
    }
}
