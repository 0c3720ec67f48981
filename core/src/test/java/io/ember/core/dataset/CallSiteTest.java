package io.ember.core.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

final class CallSiteTest {

    @Test
    void namesTheFirstFrameOutsideTheSkippedClasses() {
        int line = callersLine() + 1;
        String description = CallSite.describe("count", CallSite.class.getName()::equals);

        assertEquals("count at CallSiteTest.java:" + line, description);
    }

    @Test
    void skipsEveryEmberCoreFrame() {
        String description = CallSite.describe("collect");

        assertTrue(description.startsWith("collect"), description);
        assertFalse(description.contains("CallSite"), description);   // this test is in io.ember.core, so skipped
    }

    private static int callersLine() {
        return StackWalker.getInstance().walk(frames -> frames.skip(1).findFirst()).orElseThrow().getLineNumber();
    }

    @Test
    void fallsBackToTheActionWhenEveryFrameIsSkipped() {
        assertEquals("take", CallSite.describe("take", className -> true));
    }
}
