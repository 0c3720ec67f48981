package io.ember.core.plugin;

import static java.util.Objects.requireNonNull;

import io.ember.api.config.InvalidSettingException;
import io.ember.api.plugin.PolicyKind;
import io.ember.api.scheduler.SchedulerFactory;
import io.ember.api.scheduler.SchedulingPolicy;
import io.ember.core.concurrent.EventLoop;
import io.ember.core.config.ConfigException;
import io.ember.core.config.EmberConfig;
import io.ember.core.config.EmberKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies changes to the selected scheduler's own file ({@code conf/scheduler-<name>.properties})
 * while a driver or master runs, so an operator can change pool weights or queue shares without a
 * restart.
 *
 * <p>Every {@code ember.scheduler.reloadInterval} the file is read. A change is applied once the
 * file has stayed the same for one further check (an editor that writes in several steps is not
 * caught half-way): the whole configuration is checked again with the files as they are now, the
 * policy is created anew from its settings, and the new policy is handed to {@code apply}. When the
 * configuration has a problem, or the factory refuses the settings, the problem is logged with its
 * key, file and line, the policy in force stays, and the file is not tried again until it changes.
 * Settings from sources above the files (environment, {@code -D}, application settings) keep
 * overriding the file, as at start.
 *
 * <p>Threading: checks run on one daemon thread, {@code ember-scheduler-reload}; {@code apply} is
 * called there and must hand the policy over to whoever owns the queue. {@link #close()} is
 * idempotent.
 */
public final class SchedulerReloader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SchedulerReloader.class);

    private final Path file;
    private final String displayPath;
    private final EmberConfig config;
    private final SchedulerFactory factory;
    private final Consumer<SchedulingPolicy> apply;
    private EventLoop timer;

    // ---- owned by the checking thread
    private byte[] inForce;
    private byte[] candidate;

    /**
     * @param file the scheduler's file (it may not exist yet)
     * @param config the configuration the policy in force was created from
     * @param factory the selected scheduler's factory
     * @param apply receives each new policy
     */
    SchedulerReloader(Path file, EmberConfig config, SchedulerFactory factory, Consumer<SchedulingPolicy> apply) {
        this.file = requireNonNull(file, "file is null");
        this.config = requireNonNull(config, "config is null");
        this.factory = requireNonNull(factory, "factory is null");
        this.apply = requireNonNull(apply, "apply is null");
        Path dir = file.getParent() == null ? null : file.getParent().getFileName();
        this.displayPath = dir == null ? file.toString() : dir + "/" + file.getFileName();
        this.inForce = read();
    }

    /**
     * Starts watching the selected scheduler's file, unless there is no conf directory or
     * {@code ember.scheduler.reloadInterval} is 0.
     *
     * @param confDir the process's conf directory, when it has one
     * @param config the configuration the policy in force was created from
     * @param factory the selected scheduler's factory
     * @param apply receives each new policy, on the watcher's thread
     */
    public static Optional<SchedulerReloader> start(Optional<Path> confDir, EmberConfig config,
                                                    SchedulerFactory factory, Consumer<SchedulingPolicy> apply) {
        Duration interval = config.get(EmberKeys.SCHEDULER_RELOAD_INTERVAL);
        if (confDir.isEmpty() || interval.isZero()) {
            return Optional.empty();
        }
        SchedulerReloader reloader = new SchedulerReloader(
                confDir.get().resolve(PolicyKind.SCHEDULER.fileName(factory.name())), config, factory, apply);
        reloader.startChecking(interval);
        return Optional.of(reloader);
    }

    private void startChecking(Duration interval) {
        timer = EventLoop.start("ember-scheduler-reload");
        timer.scheduleWithFixedDelay(this::checkQuietly, interval, interval);
    }

    private void checkQuietly() {
        try {
            check();
        } catch (RuntimeException e) {
            LOG.error("Checking {} for changes failed", displayPath, e);
        }
    }

    /**
     * One check: notes a change, or applies one that has stayed the same since the last check.
     *
     * @return whether a new policy was applied
     */
    boolean check() {
        byte[] now = read();
        if (Arrays.equals(now, inForce)) {
            candidate = null;
            return false;
        }
        if (!Arrays.equals(now, candidate)) {
            candidate = now;   // changed since the last check: wait until it settles
            return false;
        }
        candidate = null;
        inForce = now;         // tried once, applied or not: only a further change is tried again
        return reload();
    }

    private boolean reload() {
        SchedulingPolicy policy;
        try {
            EmberConfig current = config.reread();
            policy = factory.create(current.policy(PolicyKind.SCHEDULER, factory.name()));
        } catch (ConfigException e) {
            LOG.warn("{} changed, but the configuration now has {} problem(s), so the {} scheduler keeps its "
                    + "previous settings:\n{}", displayPath, e.problems().size(), factory.name(), e.getMessage());
            return false;
        } catch (InvalidSettingException e) {
            LOG.warn("{} changed, but the {} scheduler refuses it, so it keeps its previous settings: {}",
                    displayPath, factory.name(), e.getMessage());
            return false;
        } catch (IllegalArgumentException e) {
            LOG.warn("{} changed, but the {} scheduler refuses it, so it keeps its previous settings: {}",
                    displayPath, factory.name(), e.getMessage());
            return false;
        }
        apply.accept(policy);
        LOG.info("{} changed; the {} scheduler now follows it (from the next free core on)", displayPath,
                factory.name());
        return true;
    }

    /** The file's bytes; empty when it does not exist (the defaults then apply). */
    private byte[] read() {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new byte[0];
        } catch (IOException e) {
            LOG.warn("Cannot read {} to check it for changes: {}", displayPath, e.toString());
            return inForce;
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow(Duration.ZERO);
        }
    }
}
