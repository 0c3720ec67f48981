package io.ember.core.worker.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.core.web.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A worker's REST resources have exactly the fields {@code docs/monitoring.md} documents. */
final class WorkerApiTest {

    private static List<String> fields(Object resource) {
        JsonNode json = Json.mapper().valueToTree(resource);
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void eachResourceHasTheDocumentedFields() {
        assertEquals(List.of("id", "host", "rpcPort", "cores", "coresUsed", "memoryMb", "memoryUsedMb", "executors",
                "shufflePort", "shuffleServiceEmbedded", "masterId", "masterAddress", "masterUrl", "uiUrl", "workDir"),
                fields(new WorkerApi.Worker("w1", "10.0.0.7", 7078, 4, 1, 4096, 128, 1, 7337, true, "m1",
                        "10.0.0.5:7077", "http://10.0.0.5:8080", "http://10.0.0.7:8081", "/var/ember/work")));
        assertEquals(List.of("id", "appId", "cores", "memoryMb", "state", "pid", "startTime", "endTime", "exitCode",
                "hasLogs"), fields(new WorkerApi.Executor("0", "app-1", 1, 128, "RUNNING", 4242, 1_000, 0, 0, true)));
    }
}
