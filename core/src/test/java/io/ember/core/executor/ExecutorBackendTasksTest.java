package io.ember.core.executor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.ember.core.coordination.ClusterPaths;
import io.ember.core.coordination.EmbeddedZooKeeper;
import io.ember.core.coordination.ZooKeeperClients;
import io.ember.core.coordination.ZooKeeperSettings;
import io.ember.core.executor.TestingStages.BlockUntilReleased;
import io.ember.core.executor.TestingStages.Greet;
import io.ember.core.executor.TestingStages.Probe;
import io.ember.core.executor.TestingStages.ReturnBytes;
import io.ember.core.executor.TestingStages.SumCached;
import io.ember.core.rpc.proto.DriverMessage;
import io.ember.core.rpc.proto.Heartbeat;
import io.ember.core.rpc.proto.LaunchTasks;
import io.ember.core.rpc.proto.TaskDescription;
import io.ember.core.rpc.proto.TaskState;
import io.ember.core.rpc.proto.TaskUpdate;
import io.ember.core.serialization.JavaSerializer;
import io.ember.core.serialization.PayloadFilter;
import io.ember.core.task.StageCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Executors in this JVM running tasks a fake driver (on real sockets) sends them. */
final class ExecutorBackendTasksTest {

    private static final String CLUSTER = "tasks";
    private static final String APP = "app-1";
    private static final JavaSerializer SERIALIZER = new JavaSerializer(PayloadFilter.standard());
    private static final String GREETER = "ember.testjar.Greeter";

    @TempDir
    Path dir;

    private EmbeddedZooKeeper zooKeeper;
    private CuratorFramework admin;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void startZooKeeper() throws Exception {
        zooKeeper = EmbeddedZooKeeper.start(dir.resolve("zookeeper"));
        admin = ZooKeeperClients.connect(ZooKeeperSettings.of(zooKeeper.connectString()));
        admin.create().creatingParentsIfNeeded().forPath(new ClusterPaths(CLUSTER).app(APP));
    }

    @AfterEach
    void stopEverything() {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception e) {
                // cleaning up: keep going
            }
        }
        admin.close();
        zooKeeper.close();
    }

    private TestingDriver driver() {
        TestingDriver driver = TestingDriver.start(APP, 50, Optional.empty());
        toClose.add(driver);
        return driver;
    }

    private ExecutorBackend executor(TestingDriver driver, Path workDirectory) {
        ExecutorArguments arguments = new ExecutorArguments(APP, "1", "worker-1", driver.address(), 2, "127.0.0.1",
                zooKeeper.connectString(), CLUSTER, Duration.ofSeconds(4), Map.of());
        ExecutorBackend executor = ExecutorBackend.start(arguments, Optional.empty(), workDirectory);
        toClose.add(executor);
        driver.awaitRegistration("1");
        return executor;
    }

    private static DriverMessage launch(int stageId, StageCode code, long firstTask, int count) {
        LaunchTasks.Builder launch = LaunchTasks.newBuilder();
        if (code != null) {
            launch.addStages(io.ember.core.rpc.proto.StageCode.newBuilder()
                    .setStageId(stageId)
                    .setCode(ByteString.copyFrom(SERIALIZER.serialize(code))));
        }
        for (int i = 0; i < count; i++) {
            launch.addTasks(TaskDescription.newBuilder().setTaskId(firstTask + i).setStageId(stageId).setPartition(i));
        }
        return DriverMessage.newBuilder().setLaunchTasks(launch).build();
    }

    private static Object result(TaskUpdate update) {
        assertEquals(TaskState.TASK_FINISHED, update.getState(), update.toString());
        return SERIALIZER.deserialize(update.getResult().toByteArray(), ExecutorBackendTasksTest.class.getClassLoader());
    }

    /** Compiles a class that is on no class path of this JVM into a JAR. */
    private byte[] greeterJar() throws IOException {
        Path sources = Files.createDirectories(dir.resolve("src/ember/testjar"));
        Path source = Files.writeString(sources.resolve("Greeter.java"), """
                package ember.testjar;
                public final class Greeter {
                    public static String greet() {
                        return "hello from a JAR";
                    }
                }
                """);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertNotNull(compiler, "a JDK's compiler");
        assertEquals(0, compiler.run(null, null, null, "-d", classes.toString(), source.toString()));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes)) {
            jar.putNextEntry(new JarEntry("ember/testjar/Greeter.class"));
            jar.write(Files.readAllBytes(classes.resolve("ember/testjar/Greeter.class")));
            jar.closeEntry();
        }
        return bytes.toByteArray();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void fetchesTheApplicationsJarAndRunsATaskThatUsesIt() throws Exception {
        assertThrows(ClassNotFoundException.class, () -> Class.forName(GREETER));
        byte[] jar = greeterJar();
        TestingDriver driver = driver();
        driver.serveJar("app.jar", jar, sha256(jar));
        Path work = Files.createDirectories(dir.resolve("work"));
        executor(driver, work);

        driver.send("1", launch(1, new Greet(GREETER), 10, 1));

        assertEquals("hello from a JAR", result(driver.awaitTaskUpdate(10)));
        assertArrayEquals(jar, Files.readAllBytes(work.resolve("jars/app.jar")));
    }

    @Test
    void stopsWhenAJarDoesNotMatchWhatTheDriverAnnounced() throws Exception {
        byte[] jar = greeterJar();
        TestingDriver driver = driver();
        driver.serveJar("app.jar", jar, sha256(new byte[] {1, 2, 3}));
        Path work = Files.createDirectories(dir.resolve("work"));
        ExecutorBackend executor = executor(driver, work);

        assertEquals(ExecutorBackend.EXIT_FAILURE, executor.exitCode().get(30, TimeUnit.SECONDS));
        assertFalse(Files.exists(work.resolve("jars/app.jar")));
    }

    @Test
    void sendsALargeResultThroughUploadResult() {
        TestingDriver driver = driver();
        driver.maxDirectResultBytes(1024);
        executor(driver, dir);
        int size = 3 * DriverResultUploader.CHUNK_BYTES + 5;

        driver.send("1", launch(1, new ReturnBytes(size), 10, 2));

        TaskUpdate small = driver.awaitTaskUpdate(10);
        assertEquals(TaskState.TASK_FINISHED, small.getState(), small.toString());
        byte[] uploaded = driver.upload(10).orElseThrow();
        assertEquals(uploaded.length, small.getUploadedResultBytes());
        assertEquals(Optional.of("1"), driver.uploader(10));
        assertArrayEquals((byte[]) new ReturnBytes(size).runTask(0, null),
                (byte[]) SERIALIZER.deserialize(uploaded, getClass().getClassLoader()));
        assertTrue(driver.awaitTaskUpdate(11).getUploadedResultBytes() > size);
    }

    @Test
    void heartbeatsCarryTheActiveTasksAndTheStorageUsed() {
        TestingDriver driver = driver();
        ExecutorBackend executor = executor(driver, dir);
        Probe probe = TestingStages.newProbe();

        driver.send("1", launch(1, new BlockUntilReleased(probe.id), 10, 3));

        Poll.until(() -> lastHeartbeat(driver).getActiveTasks() == 3, () -> "a heartbeat with 3 active tasks: "
                + lastHeartbeat(driver));
        assertEquals(3, executor.activeTasks());
        probe.release.countDown();
        driver.awaitTaskUpdate(12);
        driver.send("1", launch(2, new SumCached(7, 1000), 20, 1));
        assertEquals(499_500L, result(driver.awaitTaskUpdate(20)));
        Poll.until(() -> lastHeartbeat(driver).getActiveTasks() == 0 && lastHeartbeat(driver).getStorageUsedBytes() > 0,
                () -> "a heartbeat with no active task and a cached block: " + lastHeartbeat(driver));
        assertEquals(1, driver.blockUpdates().size());
        assertEquals(driver.blockUpdates().get(0).getSizeBytes(), lastHeartbeat(driver).getStorageUsedBytes());
    }

    @Test
    void stoppingKillsTheRunningTasks() throws Exception {
        TestingDriver driver = driver();
        ExecutorBackend executor = executor(driver, dir);
        Probe probe = TestingStages.newProbe();
        driver.send("1", launch(1, new BlockUntilReleased(probe.id), 10, 2));
        Poll.until(() -> probe.started.get() == 2, () -> "two tasks running");

        executor.close();

        assertEquals(2, probe.interrupted.get());
        assertEquals(ExecutorBackend.EXIT_CLEAN, executor.exitCode().get(30, TimeUnit.SECONDS));
    }

    private static Heartbeat lastHeartbeat(TestingDriver driver) {
        List<Heartbeat> heartbeats = driver.heartbeats("1");
        return heartbeats.isEmpty() ? Heartbeat.getDefaultInstance()
                : heartbeats.get(heartbeats.size() - 1);
    }
}
