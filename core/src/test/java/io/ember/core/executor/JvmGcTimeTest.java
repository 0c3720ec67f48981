package io.ember.core.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

final class JvmGcTimeTest {

    /** A collector that has spent {@code millis} collecting (-1: it does not say). */
    record Collector(String name, long millis) implements GarbageCollectorMXBean {
        @Override
        public long getCollectionCount() {
            return millis < 0 ? -1 : 1;
        }

        @Override
        public long getCollectionTime() {
            return millis;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean isValid() {
            return true;
        }

        @Override
        public String[] getMemoryPoolNames() {
            return new String[0];
        }

        @Override
        public ObjectName getObjectName() {
            return null;
        }
    }

    @Test
    void addsUpEveryCollectorsTimeAndCountsOneThatDoesNotSayAsNothing() {
        JvmGcTime time = new JvmGcTime(List.of(new Collector("young", 120), new Collector("old", 30),
                new Collector("concurrent", -1)));

        assertEquals(150, time.getAsLong());
    }

    @Test
    void readsThisJvmsCollectors() {
        List<GarbageCollectorMXBean> beans = ManagementFactory.getGarbageCollectorMXBeans();
        JvmGcTime time = new JvmGcTime();

        long before = total(beans);
        long read = time.getAsLong();
        long after = total(beans);

        assertFalse(beans.isEmpty(), "this JVM has collectors");
        assertTrue(before <= read && read <= after, before + " <= " + read + " <= " + after);
    }

    private static long total(List<GarbageCollectorMXBean> beans) {
        long total = 0;
        for (GarbageCollectorMXBean bean : beans) {
            total += Math.max(0, bean.getCollectionTime());
        }
        return total;
    }
}
