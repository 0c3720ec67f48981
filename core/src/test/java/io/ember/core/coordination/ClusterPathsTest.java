package io.ember.core.coordination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

final class ClusterPathsTest {

    private final ClusterPaths paths = new ClusterPaths("prod");

    @Test
    void laysOutTheClusterUnderEmber() {
        assertEquals("/ember/prod", paths.root());
        assertEquals("/ember/prod/master/latch", paths.masterLatch());
        assertEquals("/ember/prod/master/leader", paths.leader());
        assertEquals("/ember/prod/master/epoch", paths.epoch());
        assertEquals("/ember/prod/workers", paths.workers());
        assertEquals("/ember/prod/workers/w-1", paths.worker("w-1"));
        assertEquals("/ember/prod/apps", paths.apps());
        assertEquals("/ember/prod/apps/app-7", paths.app("app-7"));
        assertEquals("/ember/prod/apps/app-7/driver", paths.driver("app-7"));
        assertEquals("/ember/prod/apps/app-7/executors", paths.executors("app-7"));
        assertEquals("/ember/prod/apps/app-7/executors/3", paths.executor("app-7", "3"));
    }

    @Test
    void refusesIdsThatAreNotOnePathSegment() {
        assertEquals("worker id must not contain '/': 'a/b'",
                assertThrows(IllegalArgumentException.class, () -> paths.worker("a/b")).getMessage());
        assertEquals("application id must not be empty",
                assertThrows(IllegalArgumentException.class, () -> paths.app("")).getMessage());
        assertEquals("executor id must not be '..'",
                assertThrows(IllegalArgumentException.class, () -> paths.executor("a", "..")).getMessage());
        assertEquals("executor id must not be '.'",
                assertThrows(IllegalArgumentException.class, () -> paths.executor("a", ".")).getMessage());
        assertEquals("worker id must not contain the character U+0000: 'a\u0000'",
                assertThrows(IllegalArgumentException.class, () -> paths.worker("a\u0000")).getMessage());
        assertEquals("cluster must not contain '/': 'x/y'",
                assertThrows(IllegalArgumentException.class, () -> new ClusterPaths("x/y")).getMessage());
        assertThrows(NullPointerException.class, () -> new ClusterPaths(null));
    }

    @Test
    void allowsDotsInsideIds() {
        assertEquals("/ember/prod/workers/host.example.com:7078", paths.worker("host.example.com:7078"));
    }
}
