package io.ember.core.master.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.core.web.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The master's REST resources have exactly the fields {@code docs/monitoring.md} documents, in JSON
 * through the shared mapper, and read back into the records ({@code ember status} does).
 */
final class MasterApiTest {

    private static final MasterApi.Executor EXECUTOR = new MasterApi.Executor("0", "w1", "10.0.0.7", 1, 128, "RUNNING");
    private static final MasterApi.Application APPLICATION = new MasterApi.Application("app-1", "WordCount", "a",
            "RUNNING", 1, 1, 128, 1, List.of(EXECUTOR), 1_000, 0, 5, "", "http://10.0.0.9:4040");

    private static List<String> fields(Object resource) {
        JsonNode json = Json.mapper().valueToTree(resource);
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void eachResourceHasTheDocumentedFields() {
        assertEquals(List.of("masterId", "state", "epoch", "cluster", "address", "zooKeeper", "leaderId",
                "leaderAddress", "leaderUrl", "uiUrl"), fields(new MasterApi.Master("m1", "LEADER", 3, "prod",
                "10.0.0.5:7077", "zk:2181", "m1", "10.0.0.5:7077", "http://10.0.0.5:8080", "http://10.0.0.5:8080")));
        assertEquals(List.of("id", "host", "rpcPort", "state", "cores", "coresUsed", "memoryMb", "memoryUsedMb",
                "shufflePort", "executors", "lastContact", "uiUrl"), fields(new MasterApi.Worker("w1", "10.0.0.7", 7078,
                "ALIVE", 4, 1, 4096, 128, 7337, 1, 1_000, "")));
        assertEquals(List.of("id", "name", "queue", "state", "coresGranted", "coresPerExecutor", "memoryPerExecutorMb",
                "executorsRequested", "executors", "submissionTime", "endTime", "durationMillis", "endReason",
                "uiUrl"), fields(APPLICATION));
        assertEquals(List.of("id", "workerId", "host", "cores", "memoryMb", "state"), fields(EXECUTOR));
        assertEquals(List.of("name", "mode", "weight", "minShare", "maxShare", "coresHeld", "coresPending",
                "applications"), fields(new MasterApi.Queue("a", "fair", 1, 0, null, 1, 0, 1)));
    }

    @Test
    void anApplicationReadsBackAsItWasWritten() throws Exception {
        assertEquals(APPLICATION, Json.mapper().readValue(Json.write(APPLICATION), MasterApi.Application.class));
    }
}
