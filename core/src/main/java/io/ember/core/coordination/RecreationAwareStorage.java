package io.ember.core.coordination;

import java.util.Optional;
import java.util.stream.Stream;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCacheStorage;
import org.apache.zookeeper.data.Stat;

/**
 * {@link CuratorCacheStorage} that makes a {@code CuratorCache} report a node that was deleted and
 * created again while the client was disconnected.
 *
 * <p>After a reconnection CuratorCache re-reads every node and reports a change only when the
 * node's data version differs from the cached one. A node deleted and created again has version 0
 * both times (a leader record of a new epoch, a worker restarted under the same id), so the change
 * would go unreported and the cache would keep the old data for good. This storage hands back, for
 * such a node, the previous entry with a version that differs, so that the change is reported as
 * {@code NODE_CHANGED}; the two entries' creation zxids tell the listener it was a new node.
 */
final class RecreationAwareStorage implements CuratorCacheStorage {

    private final CuratorCacheStorage delegate = CuratorCacheStorage.standard();

    /** Whether the two entries are two different nodes at one path (one deleted, one created). */
    static boolean isRecreation(ChildData before, ChildData after) {
        return before != null && after != null && before.getStat() != null && after.getStat() != null
                && before.getStat().getCzxid() != after.getStat().getCzxid();
    }

    @Override
    public Optional<ChildData> put(ChildData data) {
        Optional<ChildData> previous = delegate.put(data);
        if (previous.isPresent() && isRecreation(previous.get(), data)
                && previous.get().getStat().getVersion() == data.getStat().getVersion()) {
            Stat old = previous.get().getStat();
            Stat reported = new Stat(old.getCzxid(), old.getMzxid(), old.getCtime(), old.getMtime(),
                    data.getStat().getVersion() - 1, old.getCversion(), old.getAversion(), old.getEphemeralOwner(),
                    old.getDataLength(), old.getNumChildren(), old.getPzxid());
            return Optional.of(new ChildData(previous.get().getPath(), reported, previous.get().getData()));
        }
        return previous;
    }

    @Override
    public Optional<ChildData> remove(String path) {
        return delegate.remove(path);
    }

    @Override
    public void clear() {
        delegate.clear();
    }

    @Override
    public Optional<ChildData> get(String path) {
        return delegate.get(path);
    }

    @Override
    public int size() {
        return delegate.size();
    }

    @Override
    public Stream<ChildData> stream() {
        return delegate.stream();
    }
}
