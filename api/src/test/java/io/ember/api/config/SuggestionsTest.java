package io.ember.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class SuggestionsTest {

    @Test
    void suggestsTheClosestCandidateIgnoringCase() {
        assertEquals(Optional.of("ember.task.cpus"),
                Suggestions.closest("Ember.Task.Cpu", List.of("ember.executor.cores", "ember.task.cpus")));
    }

    @Test
    void suggestsNothingWhenNoCandidateIsClose() {
        assertEquals(Optional.empty(), Suggestions.closest("zookeeper", List.of("ember.task.cpus", "fifo")));
    }

    @Test
    void suggestsNothingFromNoCandidates() {
        assertEquals(Optional.empty(), Suggestions.closest("fair", List.of()));
    }

    @Test
    void toleratesTwoEditsEvenInShortNames() {
        assertEquals(Optional.of("fifo"), Suggestions.closest("fxfx", List.of("fifo")));
        assertEquals(Optional.empty(), Suggestions.closest("xyz", List.of("fair")));
    }

    @Test
    void countsSwappedNeighboursAsOneEdit() {
        assertEquals(Optional.of("fair"), Suggestions.closest("fiar", List.of("fifo", "fair")));
        assertEquals(1, Suggestions.distance("fiar", "fair"));
    }

    @Test
    void comparesAPatternCandidateWithThePlaceholderFilledFromTheTypedName() {
        assertEquals(Optional.of("pool.<name>.weight"),
                Suggestions.closest("pool.reports.wieght", List.of("pool.<name>.mode", "pool.<name>.weight")));
    }

    @Test
    void measuresLevenshteinDistance() {
        assertEquals(0, Suggestions.distance("abc", "abc"));
        assertEquals(3, Suggestions.distance("", "abc"));
        assertEquals(3, Suggestions.distance("kitten", "sitting"));
    }
}
