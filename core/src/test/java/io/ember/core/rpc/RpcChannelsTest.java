package io.ember.core.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ember.core.rpc.proto.ClusterDescription;
import io.ember.core.rpc.proto.DescribeClusterRequest;
import io.ember.core.rpc.proto.MasterServiceGrpc;
import io.grpc.Channel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class RpcChannelsTest {

    private final RpcChannels channels = new RpcChannels("test-client", Optional.empty());
    private RpcServer server;

    @AfterEach
    void cleanUp() {
        channels.close();
        if (server != null) {
            server.close();
        }
    }

    @Test
    void sharesOneChannelPerAddress() {
        assertSame(channels.channel("127.0.0.1:7077"), channels.channel("127.0.0.1:7077"));
        assertNotSame(channels.channel("127.0.0.1:7077"), channels.channel("127.0.0.1:7078"));
    }

    @Test
    void opensANewChannelAfterEviction() {
        Channel first = channels.channel("127.0.0.1:7077");
        channels.evict("127.0.0.1:7077");
        channels.evict("127.0.0.1:7077");
        assertNotSame(first, channels.channel("127.0.0.1:7077"));
    }

    @Test
    void anEvictedChannelToALiveServerIsReplacedByOneThatWorks() {
        server = RpcServer.start("test", "127.0.0.1", 0, List.of(new TestingMasterService()), Optional.empty());
        describe();
        channels.evict(server.address());
        assertEquals(TestingMasterService.CLUSTER, describe());
    }

    @Test
    void refusesAddressesThatAreNotHostAndPort() {
        for (String address : List.of("", "127.0.0.1", ":7077", "host:port", "127.0.0.1:0", "127.0.0.1:99999")) {
            assertThrows(IllegalArgumentException.class, () -> channels.channel(address), address);
        }
    }

    @Test
    void acceptsBracketedIpv6() throws IOException {
        assertEquals("[::1]:7077", channels.channel("[::1]:7077").authority());

        assumeTrue(canListenOnIpv6Loopback(), "this machine has no IPv6 loopback to call a server on");
        server = RpcServer.start("test", "::1", 0, List.of(new TestingMasterService()), Optional.empty());
        assertTrue(server.address().startsWith("[::1]:"), server.address());
        assertEquals(TestingMasterService.CLUSTER, describe());
    }

    @Test
    void refusesChannelsOnceClosedAndClosesTwiceQuietly() {
        channels.channel("127.0.0.1:7077");
        channels.close();
        channels.close();
        assertThrows(IllegalStateException.class, () -> channels.channel("127.0.0.1:7077"));
    }

    private static boolean canListenOnIpv6Loopback() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private ClusterDescription describe() {
        return MasterServiceGrpc.newBlockingStub(channels.channel(server.address()))
                .describeCluster(DescribeClusterRequest.getDefaultInstance());
    }
}
