package io.ember.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.coordination.CoordinationException;
import io.ember.core.coordination.LeaderInfo;
import io.ember.core.coordination.ZooKeeperClients;
import io.ember.core.coordination.ZooKeeperSettings;
import io.ember.core.driver.EmberContext;
import io.ember.core.rpc.RpcChannels;
import io.ember.core.rpc.proto.ApplicationSpec;
import io.ember.core.testing.Eventually;
import io.ember.core.testing.WebClient;
import io.ember.core.web.WebCredentials;
import io.grpc.Status;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.MetricFamily;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A cluster whose every process has {@code ember.auth.secret}: the master (a process, the secret in
 * its environment), a worker, its executors, the driver and ZooKeeper's ACLs, and the web servers of
 * the master and the worker. One cluster and one running application serve every test here; none of
 * them changes what the others see.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class SecuredClusterTest {

    private static final String SECRET = "the-cluster-secret-of-this-test";
    private static final String WRONG_SECRET = "a-secret-of-some-other-cluster";

    /** Static: one cluster for the class, stopped (with the application) after the last test. */
    @RegisterExtension
    static final ProcessClusterExtension cluster = ProcessClusterExtension.withMasters(1).withWorkers(1, 2)
            .withSecret(SECRET).withWebUis();

    private LeaderInfo leader;
    private EmberContext application;

    @BeforeAll
    void startAnApplication() {
        leader = cluster.awaitLeaderAbove(0);
        application = cluster.startApplication(cluster.applicationSettings("secured", 2));
    }

    @Test
    void anApplicationsExecutorsRegisterWhenEveryProcessCarriesTheSecret() {
        assertEquals(2, application.awaitExecutors(2, Duration.ofSeconds(60)).size());
        cluster.awaitRegisteredPids(application.applicationId(), 2);
        assertTrue(cluster.describe(leader.address()).getApplicationsList().stream().map(ApplicationSpec::getAppId)
                .anyMatch(application.applicationId()::equals));
    }

    @Test
    void aCallerWithoutTheSecretOrWithAWrongOneIsRefusedAndTheMasterStillServes() {
        try (RpcChannels anonymous = new RpcChannels("anonymous", Optional.empty());
             RpcChannels impostor = new RpcChannels("impostor", Optional.of(WRONG_SECRET))) {
            StatusRuntimeException unsigned = assertThrows(StatusRuntimeException.class,
                    () -> ProcessClusterExtension.describe(leader.address(), anonymous));
            assertEquals(Status.Code.UNAUTHENTICATED, unsigned.getStatus().getCode(), unsigned.toString());
            StatusRuntimeException wrong = assertThrows(StatusRuntimeException.class,
                    () -> ProcessClusterExtension.describe(leader.address(), impostor));
            assertEquals(Status.Code.UNAUTHENTICATED, wrong.getStatus().getCode(), wrong.toString());
        }

        assertTrue(cluster.describe(leader.address()).getApplicationsList().stream().map(ApplicationSpec::getAppId)
                .anyMatch(application.applicationId()::equals), "the master still serves the cluster's own callers");
    }

    @Test
    void theWebServersRefuseRequestsWithoutTheDerivedCredentialsAndServeThemWith() {
        WebCredentials credentials = WebCredentials.derivedFrom(SECRET);
        String masterUrl = cluster.masterUiUrl(leader.address());
        String workerUrl = cluster.worker("worker-1").uiUrl();
        List<String> urls = List.of(masterUrl + "/", masterUrl + "/api/v1/workers", masterUrl + "/metrics",
                workerUrl + "/", workerUrl + "/api/v1/executors", workerUrl + "/metrics");

        for (String url : urls) {
            assertEquals(401, WebClient.get(url).status(), url);
            assertEquals(401, WebClient.get(url, "Authorization",
                    WebCredentials.derivedFrom(WRONG_SECRET).authorizationHeader()).status(), url);
            // Eventually: a master that lost ZooKeeper for a moment (a loaded machine) answers 503 meanwhile.
            Eventually.await(url + " with Basic credentials",
                    () -> WebClient.get(url, "Authorization", credentials.authorizationHeader()).status() == 200);
            Eventually.await(url + " with the bearer token",
                    () -> WebClient.get(url, "Authorization", "Bearer " + credentials.password()).status() == 200);
        }
        assertEquals(leader.uiUrl(), masterUrl, "the leader record names its web UI");
    }

    @Test
    void theMastersMetricsCountTheCallsItRefused() {
        String metrics = cluster.masterUiUrl(leader.address()) + "/metrics";
        String authorization = WebCredentials.derivedFrom(SECRET).authorizationHeader();
        double before = refused(WebClient.scrape(metrics, "Authorization", authorization));

        try (RpcChannels anonymous = new RpcChannels("anonymous-caller", Optional.empty())) {
            assertThrows(StatusRuntimeException.class, () -> ProcessClusterExtension.describe(leader.address(),
                    anonymous));
        }

        assertEquals(before + 1, refused(WebClient.scrape(metrics, "Authorization", authorization)));
    }

    private static double refused(Map<String, MetricFamily> metrics) {
        return metrics.containsKey("ember_master_rpc_errors_total")
                && metrics.get("ember_master_rpc_errors_total").toString().contains("UNAUTHENTICATED")
                ? WebClient.value(metrics, "ember_master_rpc_errors_total", "code", "UNAUTHENTICATED") : 0;
    }

    @Test
    void aZooKeeperClientWithoutTheDigestCannotReadTheApplication() {
        String appId = application.applicationId();
        try (CuratorFramework stranger = ZooKeeperClients.connect(ZooKeeperSettings.of(cluster.zookeeperConnect()));
             CuratorFramework impostor = ZooKeeperClients.connect(
                     ZooKeeperSettings.of(cluster.zookeeperConnect()).withSecret(WRONG_SECRET))) {
            for (CuratorFramework client : new CuratorFramework[] {stranger, impostor}) {
                assertThrows(KeeperException.NoAuthException.class,
                        () -> client.getData().forPath(cluster.paths().app(appId)));
                assertThrows(KeeperException.NoAuthException.class,
                        () -> client.getChildren().forPath(cluster.paths().executors(appId)));
                assertThrows(KeeperException.NoAuthException.class,
                        () -> client.getData().forPath(cluster.paths().leader()));
            }
        }
    }

    @Test
    void aDriverWithAWrongSecretOrNoneCannotStartAndSaysWhy() {
        Map<String, String> wrong = cluster.applicationSettings("impostor", 1);
        wrong.put("ember.auth.secret", WRONG_SECRET);
        Map<String, String> none = cluster.applicationSettings("stranger", 1);
        none.remove("ember.auth.secret");

        for (Map<String, String> settings : List.of(wrong, none)) {
            CoordinationException refused = assertThrows(CoordinationException.class,
                    () -> cluster.startApplication(settings));

            // With a wrong secret the driver's check of the cluster's ACLs says so first, naming the root.
            String expected = settings == none ? ": not allowed (is ember.auth.secret the same as the cluster's?)"
                    : ": not allowed to read the ACL of /ember/" + ProcessClusterExtension.CLUSTER + " (is "
                            + "ember.auth.secret the same as the cluster's? If it is, ";
            assertTrue(refused.getMessage().startsWith("cannot read cluster " + ProcessClusterExtension.CLUSTER
                    + " in ZooKeeper at " + cluster.zookeeperConnect() + expected), refused.getMessage());
        }
        assertEquals(1, cluster.describe(leader.address()).getApplicationsCount(), "only the cluster's own application");
    }
}
