package io.ember.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

final class ConfigExceptionTest {

    @Test
    void listsEveryProblemOnItsOwnLine() {
        ConfigException e = new ConfigException(List.of(
                new ConfigProblem("ember.task.cpus", "conf/ember.properties:4", "'0' is not allowed"),
                new ConfigProblem("", "conf/scheduler-x.properties", "is for no policy")));
        assertEquals("""
                2 configuration problems:
                  - ember.task.cpus (conf/ember.properties:4): '0' is not allowed
                  - conf/scheduler-x.properties: is for no policy""", e.getMessage());
        assertEquals(2, e.problems().size());
    }

    @Test
    void countsASingleProblemInTheSingular() {
        ConfigException e = new ConfigException(List.of(new ConfigProblem("k", "default", "m")));
        assertEquals("1 configuration problem:\n  - k (default): m", e.getMessage());
    }

    @Test
    void refusesToBeThrownWithoutProblems() {
        assertThrows(IllegalArgumentException.class, () -> new ConfigException(List.of()));
    }
}
