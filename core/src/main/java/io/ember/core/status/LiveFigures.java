package io.ember.core.status;

import io.ember.core.status.StatusViews.PoolView;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a running driver can say about its application beyond the events: its scheduler pools now,
 * and when it last heard from each executor. An ended application's (history) has none.
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
    };

    /** The scheduler pools and what runs in them now. */
    List<PoolView> pools();

    /** The leader master's web UI, when the application runs on a cluster whose leader serves one. */
    default Optional<String> masterUiUrl() {
        return Optional.empty();
    }

    /** When the driver last heard from an executor (a heartbeat or any message), by its clock. */
    default OptionalLong lastHeardMillis(String executorId) {
        return OptionalLong.empty();
    }
}
