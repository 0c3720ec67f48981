package io.ember.core.cli;

/**
 * Connects an {@link ApplicationStop} to whatever tells the process to stop: the JVM's shutdown and
 * signals for {@code bin/ember} ({@link JvmStopTrigger}), nothing for {@code ember submit} run
 * in-process by tests ({@link #NONE}).
 */
@FunctionalInterface
interface StopTrigger {

    /** Arms nothing: the JVM's own handling of signals stays. */
    StopTrigger NONE = stop -> () -> { };

    /**
     * Arranges for {@code stop} to run when the process is told to stop.
     *
     * @return undoes it, once the application's main method has returned
     */
    Armed arm(ApplicationStop stop);

    /** An armed trigger; {@link #close()} disarms it. */
    @FunctionalInterface
    interface Armed extends AutoCloseable {
        @Override
        void close();
    }
}
