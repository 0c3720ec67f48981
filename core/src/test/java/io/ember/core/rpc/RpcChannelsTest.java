package io.ember.core.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ember.core.rpc.proto.ClusterDescription;
import io.ember.core.rpc.proto.DescribeClusterRequest;
import io.ember.core.rpc.proto.MasterServiceGrpc;
import io.grpc.Channel;
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
    void acceptsBracketedIpv6() {
        channels.channel("[::1]:7077");
    }

    @Test
    void refusesChannelsOnceClosedAndClosesTwiceQuietly() {
        channels.channel("127.0.0.1:7077");
        channels.close();
        channels.close();
        assertThrows(IllegalStateException.class, () -> channels.channel("127.0.0.1:7077"));
    }

    private ClusterDescription describe() {
        return MasterServiceGrpc.newBlockingStub(channels.channel(server.address()))
                .describeCluster(DescribeClusterRequest.getDefaultInstance());
    }
}
