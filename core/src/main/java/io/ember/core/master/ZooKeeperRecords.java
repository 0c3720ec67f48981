package io.ember.core.master;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.InvalidProtocolBufferException;
import io.ember.api.cluster.WorkerInfo;
import io.ember.core.coordination.ClusterSnapshot;
import io.ember.core.coordination.LeaderElection;
import io.ember.core.coordination.Registrations;
import io.ember.core.rpc.proto.StoredApplication;
import io.ember.core.rpc.proto.StoredExecutor;
import io.ember.core.rpc.proto.StoredWorker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's side of the cluster's ZooKeeper records. Their format stays protobuf
 * ({@code StoredWorker}, {@code StoredApplication}, {@code StoredExecutor} in {@code control.proto}):
 * workers and executors write theirs and earlier masters wrote the applications', so this class is the
 * one place the master reads them into its own types and writes an application's record, fenced by the
 * leader's epoch.
 *
 * <p>Threading: called on the master's event loop.
 */
final class ZooKeeperRecords implements ApplicationStore {

    /** Logs as the term did before its parts were split out: operators and ExecutorStartTimeline know that name. */
    private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

    private final LeaderElection election;

    ZooKeeperRecords(LeaderElection election) {
        this.election = requireNonNull(election, "election is null");
    }

    @Override
    public void put(ApplicationDescription app, int requestedExecutors, long registrationOrder,
                    long registeredAtMillis) {
        Registrations.putApplication(election, app.appId(), StoredApplication.newBuilder()
                .setSpec(MasterMessages.application(app))
                .setRequestedExecutors(requestedExecutors)
                .setRegistrationOrder(registrationOrder)
                .setRegisteredAtMillis(registeredAtMillis)
                .build()
                .toByteArray());
    }

    @Override
    public void remove(String appId) {
        Registrations.removeApplication(election, appId);
    }

    @Override
    public long nextApplicationNumber() {
        return Registrations.applicationNumber(election);
    }

    @Override
    public void putNextApplicationNumber(long next) {
        Registrations.putApplicationNumber(election, next);
    }

    /** Reads a snapshot; a record that cannot be read is logged and left out. */
    static RecoveredCluster read(ClusterSnapshot snapshot) {
        List<WorkerInfo> workers = new ArrayList<>();
        for (Map.Entry<String, byte[]> worker : snapshot.workers().entrySet()) {
            decode(() -> StoredWorker.parseFrom(worker.getValue()), "worker " + worker.getKey())
                    .map(stored -> MasterMessages.worker(stored.getSpec()))
                    .ifPresent(workers::add);
        }
        List<RecoveredCluster.Application> apps = new ArrayList<>();
        for (Map.Entry<String, byte[]> app : snapshot.apps().entrySet()) {
            decode(() -> StoredApplication.parseFrom(app.getValue()), "application " + app.getKey())
                    .map(stored -> new RecoveredCluster.Application(app.getKey(),
                            MasterMessages.application(stored.getSpec()), stored.getRequestedExecutors(),
                            stored.getRegistrationOrder(), stored.getRegisteredAtMillis()))
                    .ifPresent(apps::add);
        }
        List<ExecutorRecord> executors = new ArrayList<>();
        for (Map.Entry<String, Map<String, byte[]>> app : snapshot.executors().entrySet()) {
            for (Map.Entry<String, byte[]> executor : app.getValue().entrySet()) {
                decode(() -> StoredExecutor.parseFrom(executor.getValue()),
                        "executor " + app.getKey() + "/" + executor.getKey())
                        .map(stored -> MasterMessages.executor(stored.getSpec()))
                        .ifPresent(executors::add);
            }
        }
        return new RecoveredCluster(workers, apps, executors, snapshot.liveDrivers());
    }

    private interface Parser<T> {
        T parse() throws InvalidProtocolBufferException;
    }

    private static <T> Optional<T> decode(Parser<T> parser, String what) {
        try {
            return Optional.of(parser.parse());
        } catch (InvalidProtocolBufferException e) {
            LOG.warn("Ignoring the unreadable ZooKeeper record of {}: {}", what, e.getMessage());
            return Optional.empty();
        }
    }
}
