package io.ember.core.allocation;

import static java.util.Objects.requireNonNull;

import io.ember.api.allocation.AllocationContext;
import io.ember.api.allocation.AllocationPolicy;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks for {@link AllocationContext#configuredExecutors()} executors when the application starts
 * and keeps that request until the application changes it. Executors that are lost are replaced by
 * the cluster, because the request stands.
 *
 * <p>The application's own requests: {@link #requestTotalExecutors} sets the request (the latest
 * call wins), {@link #requestExecutors} adds to it, and {@link #killExecutors} kills the executors it
 * names and lowers the request by as many as the application held, so they are not replaced.
 *
 * <p>Confined to the driver's allocation thread, as the API promises.
 */
final class StaticAllocationPolicy implements AllocationPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(StaticAllocationPolicy.class);

    private final AllocationContext context;
    private int target;

    StaticAllocationPolicy(AllocationContext context) {
        this.context = requireNonNull(context, "context is null");
        this.target = context.configuredExecutors();
    }

    @Override
    public void start() {
        LOG.info("Application {}: requesting a static {} executor(s) of {} core(s)",
                context.applicationId(), target, context.coresPerExecutor());
        context.client().requestTotalExecutors(target);
    }

    @Override
    public boolean requestTotalExecutors(int total) {
        if (total < 0) {
            throw new IllegalArgumentException("total must be >= 0: " + total);
        }
        LOG.info("Application {} asked for {} executor(s) in total (previously {})", context.applicationId(), total,
                target);
        target = total;
        return context.client().requestTotalExecutors(total);
    }

    @Override
    public boolean requestExecutors(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0: " + count);
        }
        int total = (int) Math.min(Integer.MAX_VALUE, (long) target + count);
        LOG.info("Application {} asked for {} more executor(s): {} in total (previously {})", context.applicationId(),
                count, total, target);
        target = total;
        return context.client().requestTotalExecutors(total);
    }

    @Override
    public boolean killExecutors(Collection<String> executorIds) {
        Set<String> held = context.client().executorIds();
        List<String> known = executorIds.stream().distinct().filter(held::contains).toList();
        List<String> unknown = executorIds.stream().distinct().filter(id -> !held.contains(id)).toList();
        if (!unknown.isEmpty()) {
            LOG.info("Application {}: not killing {}: it holds no such executor(s)", context.applicationId(), unknown);
        }
        if (known.isEmpty()) {
            return false;
        }
        int total = Math.max(0, target - known.size());
        if (!context.client().killExecutors(known, total)) {
            LOG.warn("Application {}: could not reach the cluster manager to kill executor(s) {}; the request is "
                    + "sent when it is back", context.applicationId(), known);
        }
        LOG.info("Application {}: killing executor(s) {} at the application's request; {} executor(s) requested "
                + "(previously {})", context.applicationId(), known, total, target);
        target = total;
        return true;
    }
}
