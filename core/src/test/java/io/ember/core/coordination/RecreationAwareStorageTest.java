package io.ember.core.coordination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;

final class RecreationAwareStorageTest {

    private static ChildData node(long czxid, int version, String data) {
        Stat stat = new Stat(czxid, czxid, 0, 0, version, 0, 0, 0, data.length(), 0, czxid);
        return new ChildData("/ember/c/workers/w1", stat, data.getBytes());
    }

    @Test
    void reportsANodeCreatedAgainAsChangedThoughItsVersionIsTheSame() {
        RecreationAwareStorage storage = new RecreationAwareStorage();
        ChildData before = node(10, 0, "old");
        ChildData after = node(20, 0, "new");
        storage.put(before);

        ChildData reported = storage.put(after).orElseThrow();
        assertNotEquals(after.getStat().getVersion(), reported.getStat().getVersion(), "CuratorCache sees a change");
        assertEquals(10, reported.getStat().getCzxid());
        assertEquals("old", new String(reported.getData()));
        assertTrue(RecreationAwareStorage.isRecreation(reported, after));
        assertEquals(after, storage.get(after.getPath()).orElseThrow());
    }

    @Test
    void leavesOrdinaryUpdatesAlone() {
        RecreationAwareStorage storage = new RecreationAwareStorage();
        ChildData before = node(10, 0, "old");
        storage.put(before);
        assertEquals(before, storage.put(node(10, 1, "new")).orElseThrow());
        assertEquals(node(10, 1, "new"), storage.put(node(10, 1, "new")).orElseThrow());
        assertFalse(RecreationAwareStorage.isRecreation(before, node(10, 1, "new")));
    }
}
