package io.ember.core.status;

import io.ember.core.status.StatusViews.PoolView;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a running driver can say about its application beyond the events: its scheduler pools now
 * and its allocation policy's figures (target, decisions). An ended application's (history) has
 * none.
 *
 * <p>Implementations are called on web server threads and must be thread-safe.
 */
public interface LiveFigures {

    /** Nothing to say. */
    LiveFigures NONE = new LiveFigures() {
        @Override
        public List<PoolView> pools() {
            return List.of();
        }

        @Override
        public SortedMap<String, Long> allocation() {
            return new TreeMap<>();
        }
    };

    /** The scheduler pools and what runs in them now. */
    List<PoolView> pools();

    /** The allocation policy's figures now, by name (e.g. {@code allocation.target}). */
    SortedMap<String, Long> allocation();
}
