package io.ember.core.web;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How the pages write times, durations and sizes for people: {@code 2026-01-05 14:03:07} (in the
 * server's time zone), {@code 850 ms}, {@code 12.3 s}, {@code 4 min 5 s}, {@code 2 h 7 min},
 * {@code 512 MiB}, {@code 1.5 GiB}. The REST API gives the exact numbers; these are for reading.
 */
public final class Formats {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    private Formats() {
    }

    /** A moment, to the second, in the server's time zone; {@code -} for none (0 ms). */
    public static String time(long epochMillis) {
        return epochMillis <= 0 ? "-" : TIME.format(Instant.ofEpochMilli(epochMillis));
    }

    /** A duration in its two largest units. */
    public static String duration(long millis) {
        if (millis < 0) {
            return "-";
        }
        if (millis < 1_000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1_000.0);
        }
        Duration duration = Duration.ofMillis(millis);
        if (millis < 3_600_000) {
            return duration.toMinutes() + " min " + duration.toSecondsPart() + " s";
        }
        if (millis < 86_400_000) {
            return duration.toHours() + " h " + duration.toMinutesPart() + " min";
        }
        return duration.toDays() + " d " + duration.toHoursPart() + " h";
    }

    /** A size given in MiB: MiB below 1 GiB, GiB with one decimal above. */
    public static String mebibytes(long mb) {
        return mb < 1024 ? mb + " MiB" : String.format(Locale.ROOT, "%.1f GiB", mb / 1024.0);
    }

    /** A size in bytes: B, KiB, MiB or GiB, one decimal above a KiB. */
    public static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
