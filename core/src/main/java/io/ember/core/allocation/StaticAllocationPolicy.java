package io.ember.core.allocation;

import static java.util.Objects.requireNonNull;

import io.ember.api.allocation.AllocationContext;
import io.ember.api.allocation.AllocationPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks for {@link AllocationContext#configuredExecutors()} executors when the application starts
 * and never changes its request. Executors that are lost are replaced by the cluster, because the
 * request stands.
 *
 * <p>Confined to the driver's allocation thread, as the API promises.
 */
final class StaticAllocationPolicy implements AllocationPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(StaticAllocationPolicy.class);

    private final AllocationContext context;

    StaticAllocationPolicy(AllocationContext context) {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public void start() {
        int executors = context.configuredExecutors();
        LOG.info("Application {}: requesting a static {} executor(s) of {} core(s)",
                context.applicationId(), executors, context.coresPerExecutor());
        context.client().requestTotalExecutors(executors);
    }
}
