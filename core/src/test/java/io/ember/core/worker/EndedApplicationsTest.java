package io.ember.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.api.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

final class EndedApplicationsTest {

    private static final Duration GRACE = Duration.ofHours(1);

    private final ManualClock clock = new ManualClock(Instant.parse("2026-06-01T12:00:00Z"));
    private final EndedApplications ended = new EndedApplications(GRACE, clock);

    @Test
    void anApplicationEndsAfterItWasAbsentForTheGrace() {
        assertEquals(Set.of(), ended.endedAmong(List.of("a", "b"), Set.of("b"), app -> Optional.empty()));
        clock.advance(GRACE.minusSeconds(1));
        assertEquals(Set.of(), ended.endedAmong(List.of("a", "b"), Set.of("b"), app -> Optional.empty()));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Set.of("a"), ended.endedAmong(List.of("a", "b"), Set.of("b"), app -> Optional.empty()));
    }

    @Test
    void anApplicationSeenLiveAgainStartsOver() {
        ended.endedAmong(List.of("a"), Set.of(), app -> Optional.empty());
        clock.advance(Duration.ofMinutes(50));
        ended.endedAmong(List.of("a"), Set.of("a"), app -> Optional.empty());
        clock.advance(Duration.ofMinutes(50));

        assertEquals(Set.of(), ended.endedAmong(List.of("a"), Set.of(), app -> Optional.empty()),
                "absent for 50 minutes since it was last seen live");
    }

    @Test
    void anOlderSignOfLifeCountsAtTheFirstLook() {
        Map<String, Instant> changed = Map.of("old", clock.instant().minus(Duration.ofHours(2)),
                "recent", clock.instant().minus(Duration.ofMinutes(2)));

        assertEquals(Set.of("old"), ended.endedAmong(changed.keySet(), Set.of(),
                app -> Optional.ofNullable(changed.get(app))));
    }

    @Test
    void aCandidateThatWentAwayIsForgotten() {
        ended.endedAmong(List.of("a"), Set.of(), app -> Optional.empty());
        clock.advance(GRACE);
        ended.endedAmong(List.of(), Set.of(), app -> Optional.empty());

        assertEquals(Set.of(), ended.endedAmong(List.of("a"), Set.of(), app -> Optional.empty()),
                "it counts from when it was seen again");
    }
}
