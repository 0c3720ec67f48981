package io.ember.core.cli;

import io.ember.api.config.InvalidSettingException;
import io.ember.core.concurrent.Threads;
import io.ember.core.config.ConfigException;
import io.ember.core.coordination.CoordinationException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/**
 * Runs a long-lived service (master, worker, local cluster) in the foreground until the JVM is told
 * to stop (SIGTERM, Ctrl-C), then closes it gracefully. Start-up failures that are the operator's to
 * fix (bad configuration, ZooKeeper unreachable, port taken) become one line on standard error and
 * exit code 1, without a stack trace.
 */
final class ServiceRunner {

    private ServiceRunner() {
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable cause = t; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }

    static int run(PrintWriter err, String what, Supplier<AutoCloseable> starter) {
        AutoCloseable service;
        try {
            service = starter.get();
        } catch (ConfigException e) {
            PluginsCommand.printProblems(err, "Cannot start the " + what + ": the configuration is invalid", e.problems());
            return 1;
        } catch (CoordinationException | UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            err.println("Cannot start the " + what + ": " + e.getMessage());
            err.flush();
            return 1;
        } catch (RuntimeException e) {
            // A plugin refusing its settings arrives wrapped by Guice; show the plugin's own message.
            InvalidSettingException invalid = find(e, InvalidSettingException.class);
            if (invalid == null) {
                throw e;
            }
            err.println("Cannot start the " + what + ": " + invalid.getMessage());
            err.flush();
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = Threads.newThread("ember-shutdown", () -> {
            try {
                service.close();
            } catch (Exception e) {
                err.println("Stopping the " + what + " failed: " + e);
                err.flush();
            } finally {
                stopped.countDown();
            }
        }, false);
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
