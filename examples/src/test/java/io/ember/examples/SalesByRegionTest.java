package io.ember.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.core.dataset.Pair;
import io.ember.core.driver.EmberContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link SalesByRegion} on {@code local[2]}: the joined totals are those of a plain loop over the same data. */
final class SalesByRegionTest {

    private final EmberContext ember = EmberContext.builder().isolated().master("local[2]").appName("sales-test")
            .build();

    @AfterEach
    void close() {
        ember.close();
    }

    @Test
    void totalsEachRegionAsAPlainLoopDoes() {
        int customers = 37;
        int orders = 5_000;

        Map<Integer, Pair<Long, Long>> totals = SalesByRegion.totals(ember, customers, orders);

        assertEquals(expected(customers, orders), totals);
    }

    @Test
    void printsARegionPerLineAndTheSum() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SalesByRegion.print(Map.of(0, new Pair<>(2L, 30L), 1, new Pair<>(1L, 12L)), 3,
                new PrintStream(bytes, true, StandardCharsets.UTF_8));

        assertEquals("region 0: 2 orders, 30 in sales\nregion 1: 1 orders, 12 in sales\n"
                + "3 orders joined with their customers: 42 in sales\n", bytes.toString(StandardCharsets.UTF_8)
                .replace(System.lineSeparator(), "\n"));
    }

    /** The totals by the data's definition, without Ember. */
    static Map<Integer, Pair<Long, Long>> expected(int customers, int orders) {
        long[] count = new long[SalesByRegion.REGIONS];
        long[] sales = new long[SalesByRegion.REGIONS];
        for (long order = 0; order < orders; order++) {
            int region = (int) ((7 * order) % customers % SalesByRegion.REGIONS);
            count[region]++;
            sales[region] += order % 100 + 1;
        }
        Map<Integer, Pair<Long, Long>> expected = new TreeMap<>();
        for (int region = 0; region < SalesByRegion.REGIONS; region++) {
            if (count[region] > 0) {
                expected.put(region, new Pair<>(count[region], sales[region]));
            }
        }
        return expected;
    }
}
