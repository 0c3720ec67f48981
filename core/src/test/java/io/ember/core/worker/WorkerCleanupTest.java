package io.ember.core.worker;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.testing.Eventually;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker that was down while an application ended finds its work directory at start and removes
 * it, against ZooKeeper's record of live applications; a live application's directory stays.
 */
final class WorkerCleanupTest {

    private static final String ENDED = "app-20260101000000-0001";
    private static final String LIVE = "app-20260101000000-0002";

    @TempDir
    Path dir;

    private TestingCluster cluster;

    @BeforeEach
    void startCluster() {
        cluster = new TestingCluster(dir, Optional.empty());
    }

    @AfterEach
    void stopCluster() {
        cluster.close();
    }

    @Test
    void aWorkerRemovesAtStartWhatAnApplicationThatEndedWhileItWasDownLeft() throws Exception {
        cluster.storeApplication(LIVE);
        Path ended = leftover(ENDED);
        Path live = leftover(LIVE);

        cluster.startWorker(Map.of("ember.worker.cleanup.grace", "1h"));

        Eventually.await("the ended application's directory is removed", () -> !Files.exists(ended));
        assertTrue(Files.isDirectory(live), "the live application's directory stays");
    }

    @Test
    void aWorkerThatKeepsWorkDirectoriesRemovesNothing() throws Exception {
        Path ended = leftover(ENDED);
        Path marker = leftover("app-20260101000000-0003");

        cluster.startWorker(Map.of("ember.worker.keepWorkDirs", "true", "ember.worker.cleanup.grace", "0s"));
        // a worker that sweeps, started after the first, tells when a sweep would have happened
        Path otherWork = dir.resolve("other-work");
        Files.createDirectories(otherWork);
        Files.move(marker, otherWork.resolve(marker.getFileName()));
        cluster.startWorker(Map.of("ember.worker.workDir", otherWork.toString(), "ember.worker.cleanup.grace", "0s"));
        Eventually.await("the sweeping worker removed its leftover",
                () -> !Files.exists(otherWork.resolve(marker.getFileName())));

        assertTrue(Files.isDirectory(ended), "the worker that keeps work directories kept it");
    }

    /** An executor's directory of {@code appId} with its logs, last changed two hours ago. */
    private Path leftover(String appId) throws IOException {
        Path appDir = cluster.workDir().resolve(appId);
        Path executor = Files.createDirectories(appDir.resolve("0"));
        FileTime then = FileTime.from(Instant.now().minus(Duration.ofHours(2)));
        for (String log : new String[] {"stdout", "stderr"}) {
            Files.writeString(executor.resolve(log), "a line\n");
            Files.setLastModifiedTime(executor.resolve(log), then);
        }
        Files.setLastModifiedTime(executor, then);
        Files.setLastModifiedTime(appDir, then);
        return appDir;
    }
}
