package io.ember.core.driver.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.rpc.proto.ApplicationSpec;
import io.ember.core.rpc.proto.KillExecutorsRequest;
import io.ember.core.rpc.proto.RegisterApplicationRequest;
import io.ember.core.rpc.proto.RegisterApplicationResponse;
import io.ember.core.rpc.proto.RequestTotalExecutorsRequest;
import io.ember.core.rpc.proto.UnregisterApplicationRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The driver's messages to the master carry every field of its own types, as the master reads them. */
final class ApplicationMessagesTest {

    private static final Map<String, String> SETTINGS = new LinkedHashMap<>();

    static {
        SETTINGS.put("ember.cluster", "c1");
        SETTINGS.put("ember.zookeeper.sessionTimeout", "4s");
        SETTINGS.put("ember.executor.heartbeatInterval", "200ms");
    }

    private static final ApplicationDescriptor APP = new ApplicationDescriptor("app-7", "report", "etl", 2,
            512L << 20, "10.0.0.9:5000", SETTINGS, 5, 12, "http://10.0.0.9:4040");

    @Test
    void anApplicationCarriesEveryField() {
        ApplicationSpec spec = ApplicationMessages.application(APP);

        assertEquals(ApplicationSpec.newBuilder().setAppId("app-7").setName("report").setQueue("etl")
                .setCoresPerExecutor(2).setMemoryPerExecutorBytes(512L << 20).setDriverAddress("10.0.0.9:5000")
                .putAllExecutorSettings(SETTINGS).setMaxLaunchFailures(5).setMaxExecutorFailures(12)
                .setUiUrl("http://10.0.0.9:4040").build(), spec);
        assertEquals(List.copyOf(SETTINGS.keySet()), List.copyOf(spec.getExecutorSettingsMap().keySet()),
                "the settings keep the driver's order");
    }

    @Test
    void aNewApplicationHasNoIdOnTheWire() {
        ApplicationSpec spec = ApplicationMessages.application(ApplicationDescriptor.unregistered("report", "etl", 2,
                512L << 20, "10.0.0.9:5000", Map.of()));

        assertEquals("", spec.getAppId());
        assertEquals(ApplicationSpec.newBuilder().setName("report").setQueue("etl").setCoresPerExecutor(2)
                .setMemoryPerExecutorBytes(512L << 20).setDriverAddress("10.0.0.9:5000").build(), spec);
    }

    @Test
    void aRegistrationCarriesTheApplicationTheExecutorsItWantsAndTheLowestIdOfTheNext() {
        RegisterApplicationRequest request = ApplicationMessages.registration(APP, 3, 8);

        assertEquals(ApplicationMessages.application(APP), request.getApp());
        assertEquals(3, request.getRequestedExecutors());
        assertEquals(8, request.getExecutorIdsFrom());
    }

    @Test
    void theAnswerToARegistrationIsReadAsItCame() {
        assertEquals(new MasterGateway.Registered("app-7", 4), ApplicationMessages.registered(
                RegisterApplicationResponse.newBuilder().setAppId("app-7").setEpoch(4).build()));
        assertEquals(new MasterGateway.Registered("", 0),
                ApplicationMessages.registered(RegisterApplicationResponse.getDefaultInstance()));
    }

    @Test
    void aKillAlwaysCarriesTheNewTotal() {
        KillExecutorsRequest request = ApplicationMessages.killRequest("app-7", List.of("e1", "e2"), 0);

        assertEquals("app-7", request.getAppId());
        assertEquals(List.of("e1", "e2"), request.getExecutorIdsList());
        assertTrue(request.hasTotal(), "a total of 0 is sent, not left to the master's default");
        assertEquals(0, request.getTotal());
    }

    @Test
    void totalAndUnregistrationNameTheApplication() {
        assertEquals(RequestTotalExecutorsRequest.newBuilder().setAppId("app-7").setTotal(5).build(),
                ApplicationMessages.totalRequest("app-7", 5));
        assertEquals(UnregisterApplicationRequest.newBuilder().setAppId("app-7").build(),
                ApplicationMessages.unregistration("app-7"));
    }
}
