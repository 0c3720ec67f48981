package io.ember.examples;

import io.ember.core.dataset.Pair;
import io.ember.core.dataset.PairDataset;
import io.ember.core.driver.EmberContext;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Joins orders with the customers who placed them and totals the sales of each region: a
 * {@code join} of two shuffled datasets, then a {@code reduceByKey}.
 *
 * <p>The data is generated on the executors from its numbers alone, so the answer depends only on
 * the sizes: customer {@code c} lives in region {@code c % 5}; order {@code o} is placed by customer
 * {@code (7 * o) % customers} for {@code o % 100 + 1} (in whole units). Every order has its customer,
 * so the totals add up to the sum of all orders.
 *
 * <p>Usage: {@code SalesByRegion [customers [orders]]} (defaults {@value #DEFAULT_CUSTOMERS} and
 * {@value #DEFAULT_ORDERS}). Prints one line per region, then the job's summary.
 */
public final class SalesByRegion {

    static final int DEFAULT_CUSTOMERS = 10_000;
    static final int DEFAULT_ORDERS = 1_000_000;
    static final int REGIONS = 5;
    private static final int PARTITIONS = 8;

    private SalesByRegion() {
    }

    public static void main(String[] args) {
        if (args.length > 2) {
            throw new IllegalArgumentException("usage: SalesByRegion [customers [orders]]; got " + args.length
                    + " arguments");
        }
        int customers = args.length > 0 ? positive(args[0], "customers") : DEFAULT_CUSTOMERS;
        int orders = args.length > 1 ? positive(args[1], "orders") : DEFAULT_ORDERS;
        try (EmberContext ember = ExampleContexts.start("SalesByRegion")) {
            ExampleContexts.awaitExecutors(ember);
            print(totals(ember, customers, orders), orders, System.out);
            ember.lastJobSummary().ifPresent(System.out::println);
        }
    }

    /** Orders and sales by region, as {@code region -> (orders, total)}, computed on the executors. */
    static Map<Integer, Pair<Long, Long>> totals(EmberContext ember, int customers, int orders) {
        PairDataset<Long, Integer> regionOf = ember.range(0, customers, PARTITIONS)
                .mapToPair(customer -> new Pair<>(customer, (int) (customer % REGIONS)));
        PairDataset<Long, Long> amountOf = ember.range(0, orders, PARTITIONS)
                .mapToPair(order -> new Pair<>((7 * order) % customers, order % 100 + 1));
        return new TreeMap<>(amountOf.join(regionOf, PARTITIONS).dataset()
                .mapToPair(joined -> new Pair<>(joined.value().value(), new Pair<>(1L, joined.value().key())))
                .reduceByKey((a, b) -> new Pair<>(a.key() + b.key(), a.value() + b.value()), REGIONS)
                .collectAsMap());
    }

    static void print(Map<Integer, Pair<Long, Long>> totals, int orders, PrintStream out) {
        long sum = 0;
        for (Map.Entry<Integer, Pair<Long, Long>> region : new TreeMap<>(totals).entrySet()) {
            out.printf(Locale.ROOT, "region %d: %,d orders, %,d in sales%n", region.getKey(),
                    region.getValue().key(), region.getValue().value());
            sum += region.getValue().value();
        }
        out.printf(Locale.ROOT, "%,d orders joined with their customers: %,d in sales%n", orders, sum);
        out.flush();
    }

    private static int positive(String arg, String what) {
        try {
            int value = Integer.parseInt(arg.strip());
            if (value >= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // the message below says what is expected
        }
        throw new IllegalArgumentException(what + " must be a positive integer: '" + arg + "'");
    }
}
