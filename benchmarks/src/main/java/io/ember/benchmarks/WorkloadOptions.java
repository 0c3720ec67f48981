package io.ember.benchmarks;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A workload's command line: {@code [--runs N] [--warmup N] [--set key=value]...}. Warm-up runs are
 * printed but left out of the result. {@code --set} adds an Ember setting on top of the workload's
 * own (for example {@code --set ember.executor.javaOptions=-XX:TieredStopAtLevel=1}), to measure a
 * change before and after without editing code.
 *
 * @param runs the measured runs, at least 1
 * @param warmup the runs before them, at least 0
 * @param settings the {@code --set} settings, in order
 */
record WorkloadOptions(int runs, int warmup, Map<String, String> settings) {

    static final String USAGE = "[--runs N] [--warmup N] [--set key=value]...";

    WorkloadOptions {
        if (runs < 1) {
            throw new IllegalArgumentException("--runs must be >= 1: " + runs);
        }
        if (warmup < 0) {
            throw new IllegalArgumentException("--warmup must be >= 0: " + warmup);
        }
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(settings, "settings is null")));
    }

    WorkloadOptions(int runs, int warmup) {
        this(runs, warmup, Map.of());
    }

    /**
     * Reads the options ({@code --name value} or {@code --name=value}); those not given keep their
     * default.
     *
     * @throws IllegalArgumentException naming the unknown option or the bad value
     */
    static WorkloadOptions parse(String[] args, WorkloadOptions defaults) {
        int runs = defaults.runs();
        int warmup = defaults.warmup();
        Map<String, String> settings = new LinkedHashMap<>(defaults.settings());
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int equals = arg.indexOf('=');
            String name = arg.startsWith("--") && equals > 0 ? arg.substring(0, equals) : arg;
            String value;
            if (!name.equals(arg)) {
                value = arg.substring(equals + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException(arg + " needs a value; usage: " + USAGE);
            }
            switch (name) {
                case "--runs" -> runs = number(name, value);
                case "--warmup" -> warmup = number(name, value);
                case "--set" -> {
                    int split = value.indexOf('=');
                    if (split <= 0) {
                        throw new IllegalArgumentException("--set needs key=value: '" + value + "'");
                    }
                    settings.put(value.substring(0, split), value.substring(split + 1));
                }
                default -> throw new IllegalArgumentException("unknown option '" + arg + "'; usage: " + USAGE);
            }
        }
        return new WorkloadOptions(runs, warmup, settings);
    }

    /** Reads the arguments, or prints the problem and exits with code 2. */
    static WorkloadOptions parseOrExit(String workload, String[] args, WorkloadOptions defaults) {
        try {
            return parse(args, defaults);
        } catch (IllegalArgumentException e) {
            System.err.println(workload + ": " + e.getMessage());
            System.exit(2);
            throw e;   // not reached
        }
    }

    private static int number(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number: '" + value + "'");
        }
    }
}
