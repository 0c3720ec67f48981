package io.ember.distribution.multihost;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The lines the SalesByRegion example prints for given sizes, computed from the data's definition without Ember. */
final class SalesByRegionAnswer {

    private SalesByRegionAnswer() {
    }

    static List<String> lines(int customers, int orders) {
        long[] count = new long[5];
        long[] sales = new long[5];
        long total = 0;
        for (long order = 0; order < orders; order++) {
            int region = (int) ((7 * order) % customers % 5);
            count[region]++;
            sales[region] += order % 100 + 1;
            total += order % 100 + 1;
        }
        List<String> lines = new ArrayList<>();
        for (int region = 0; region < 5; region++) {
            if (count[region] > 0) {
                lines.add(String.format(Locale.ROOT, "region %d: %,d orders, %,d in sales", region, count[region],
                        sales[region]));
            }
        }
        lines.add(String.format(Locale.ROOT, "%,d orders joined with their customers: %,d in sales", orders, total));
        return lines;
    }
}
