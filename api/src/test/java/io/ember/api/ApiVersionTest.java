package io.ember.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

final class ApiVersionTest {

    @Test
    void currentVersionComesFromTheBuild() {
        assertEquals(new ApiVersion(1, 5), ApiVersion.current());
    }

    @Test
    void hostsTheSameMajorWithAnOlderOrEqualMinor() {
        ApiVersion host = new ApiVersion(1, 3);
        assertTrue(host.canHost(new ApiVersion(1, 0)));
        assertTrue(host.canHost(new ApiVersion(1, 3)));
        assertFalse(host.canHost(new ApiVersion(1, 4)), "a plugin built for a newer minor may call what the host lacks");
        assertFalse(host.canHost(new ApiVersion(2, 0)));
        assertFalse(host.canHost(new ApiVersion(0, 9)));
    }

    @Test
    void parsesMajorDotMinorAndRejectsAnythingElse() {
        assertEquals(new ApiVersion(2, 15), ApiVersion.parse(" 2.15 "));
        for (String bad : new String[] {"", "1", "1.0.0", "v1.0", "1.x", "-1.0"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ApiVersion.parse(bad));
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> ApiVersion.parse(null));
    }

    @Test
    void ordersByMajorThenMinor() {
        assertTrue(new ApiVersion(1, 9).compareTo(new ApiVersion(2, 0)) < 0);
        assertTrue(new ApiVersion(1, 10).compareTo(new ApiVersion(1, 9)) > 0);
        assertEquals("1.10", new ApiVersion(1, 10).toString());
    }
}
