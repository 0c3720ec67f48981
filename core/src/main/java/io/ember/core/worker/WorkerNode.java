package io.ember.core.worker;

import static java.util.Objects.requireNonNull;

import io.ember.api.cluster.WorkerInfo;
import io.ember.core.coordination.CoordinationException;
import io.ember.core.coordination.Registration;
import io.ember.core.coordination.Registrations;
import io.ember.core.rpc.proto.StoredWorker;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's ephemeral node in ZooKeeper, {@code /ember/<cluster>/workers/<id>}, holding its
 * record. The record's format stays protobuf ({@code StoredWorker}: the master reads it when it takes
 * over), so this class is the one place the worker writes it; the node's creation, re-creation and
 * removal are the {@link Registration}'s.
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 */
final class WorkerNode implements AutoCloseable {

    /** Logs as the worker did before its node was split out: its lines are the worker's. */
    private static final Logger log = LoggerFactory.getLogger(WorkerServer.class);

    private final String workerId;
    private final Registration registration;

    private WorkerNode(String workerId, Registration registration) {
        this.workerId = requireNonNull(workerId, "workerId is null");
        this.registration = requireNonNull(registration, "registration is null");
    }

    /**
     * Creates the worker's node with its record.
     *
     * @throws CoordinationException when another live worker holds the id, or ZooKeeper fails
     */
    static WorkerNode create(Registrations registrations, WorkerInfo worker) {
        return new WorkerNode(worker.workerId(), registrations.registerWorker(worker.workerId(), record(worker)));
    }

    /** The bytes the node holds. */
    static byte[] record(WorkerInfo worker) {
        return StoredWorker.newBuilder().setSpec(WorkerMessages.worker(worker)).build().toByteArray();
    }

    /**
     * After ZooKeeper expired the session that held the node, once the {@link Registration} has
     * created it again on the new session: unless the worker has {@code stopped}, runs
     * {@code renewed} (on Curator's connection-state thread, or the registration's retry timer).
     */
    void whenSessionRenewed(BooleanSupplier stopped, Runnable renewed) {
        requireNonNull(stopped, "stopped is null");
        requireNonNull(renewed, "renewed is null");
        registration.whenSessionRenewed(Runnable::run, () -> {
            if (stopped.getAsBoolean()) {
                return;
            }
            log.info("Worker {} registered again in ZooKeeper after its session expired", workerId);
            renewed.run();
        });
    }

    /** Deletes the node. Idempotent. */
    @Override
    public void close() {
        registration.close();
    }

    @Override
    public String toString() {
        return "WorkerNode[" + registration.path() + "]";
    }
}
