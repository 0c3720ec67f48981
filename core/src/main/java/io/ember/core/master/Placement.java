package io.ember.core.master;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/**
 * Where the next executor of an application goes ({@code ember.master.placement}).
 */
public enum Placement {
    /** The worker with the most free cores; ties go to the one running fewest of the app's executors, then by id. */
    SPREAD(Comparator.comparingInt(WorkerResources::freeCores).reversed()),
    /** The worker with the fewest free cores that still fits; ties by id. Fills workers one at a time. */
    PACK(Comparator.comparingInt(WorkerResources::freeCores));

    private final Comparator<WorkerResources> preference;

    Placement(Comparator<WorkerResources> preference) {
        this.preference = preference;
    }

    public static Placement of(String setting) {
        return valueOf(setting.toUpperCase(Locale.ROOT));
    }

    /** The worker that should host one more executor of {@code app}, if any fits. */
    Optional<WorkerResources> choose(Collection<WorkerResources> workers, ApplicationRecord app) {
        Comparator<WorkerResources> order = preference
                .thenComparingInt(w -> w.executorsOf(app.appId()))
                .thenComparing(WorkerResources::id);
        return workers.stream()
                .filter(w -> w.fits(app.coresPerExecutor(), app.memoryPerExecutor()))
                .min(order);
    }
}
