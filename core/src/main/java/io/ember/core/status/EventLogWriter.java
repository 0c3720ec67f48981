package io.ember.core.status;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.ember.core.web.Json;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes an application's {@link StatusEvent}s to its event log, one JSON line each, for the
 * history server: in {@code <dir>/<applicationId>/}, files {@code events-000001.jsonl.gz},
 * {@code events-000002.jsonl.gz}, … (gzip, each a whole gzip stream; {@code .jsonl} when not
 * compressed), a new file once the current one holds {@code rollBytes} (as written to disk), and
 * a marker file {@value #IN_PROGRESS} while the application runs, deleted after its last event.
 *
 * <p>Lines reach the disk at least once a second, and at once when a job or a stage ends, so a
 * running application's log is readable (up to its last flush) and a driver that dies loses at
 * most a second of events. A write that fails turns the log off with one WARN line: the
 * application runs on without it.
 *
 * <p>Thread-safe (every method holds this object's lock); meant for the listener bus's thread and
 * the driver endpoint's.
 */
public final class EventLogWriter implements Consumer<StatusEvent>, AutoCloseable {

    /** The marker of an application still running (or one whose driver died). */
    public static final String IN_PROGRESS = "IN_PROGRESS";

    private static final Logger LOG = LoggerFactory.getLogger(EventLogWriter.class);
    private static final long FLUSH_MILLIS = 1_000;

    private final Path directory;
    private final boolean compress;
    private final long rollBytes;
    private final Clock clock;
    private CountingStream counted;
    private OutputStream out;
    private int fileNumber;
    private long lastFlush;
    private boolean broken;
    private boolean closed;

    private EventLogWriter(Path directory, boolean compress, long rollBytes, Clock clock) {
        this.directory = directory;
        this.compress = compress;
        this.rollBytes = rollBytes;
        this.clock = clock;
    }

    /**
     * Creates the application's log directory (refusing one that exists: two applications never
     * share a log) and its first file.
     *
     * @throws IOException when the directory or the file cannot be made
     */
    public static EventLogWriter open(Path logDir, String applicationId, boolean compress, long rollBytes,
                                      Clock clock) throws IOException {
        requireNonNull(logDir, "logDir is null");
        requireNonNull(applicationId, "applicationId is null");
        requireNonNull(clock, "clock is null");
        if (rollBytes <= 0) {
            throw new IllegalArgumentException("rollBytes must be > 0: " + rollBytes);
        }
        Files.createDirectories(logDir);
        Path directory = Files.createDirectory(logDir.resolve(applicationId));
        Files.createFile(directory.resolve(IN_PROGRESS));
        EventLogWriter writer = new EventLogWriter(directory, compress, rollBytes, clock);
        writer.roll();
        return writer;
    }

    /** The application's log directory. */
    public Path directory() {
        return directory;
    }

    /** The name of the {@code number}-th file of a log, counting from 1. */
    static String fileName(int number, boolean compressed) {
        return String.format(Locale.ROOT, "events-%06d.jsonl%s", number, compressed ? ".gz" : "");
    }

    @Override
    public synchronized void accept(StatusEvent event) {
        if (broken || closed) {
            return;
        }
        try {
            out.write((Json.line(event) + "\n").getBytes(UTF_8));
            long now = clock.millis();
            boolean milestone = event instanceof StatusEvent.JobEnded || event instanceof StatusEvent.StageCompleted
                    || event instanceof StatusEvent.ApplicationEnded;
            if (milestone || now - lastFlush >= FLUSH_MILLIS) {
                out.flush();
                lastFlush = now;
            }
            if (counted.count >= rollBytes) {
                out.close();
                roll();
            }
        } catch (IOException e) {
            broken = true;
            LOG.warn("The event log in {} stopped: {}; the application runs on without it", directory,
                    e.getMessage());
        }
    }

    private void roll() throws IOException {
        fileNumber++;
        counted = new CountingStream(Files.newOutputStream(directory.resolve(fileName(fileNumber, compress))));
        out = compress ? new GZIPOutputStream(counted, 64 * 1024, true) : new BufferedOutputStream(counted, 64 * 1024);
        lastFlush = clock.millis();
    }

    /** Closes the current file and, once the application's last event is in, removes the in-progress marker. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.close();
            if (!broken) {
                Files.deleteIfExists(directory.resolve(IN_PROGRESS));
            }
        } catch (IOException e) {
            LOG.warn("Cannot finish the event log in {}: {}", directory, e.getMessage());
        }
    }

    /** Counts the bytes that reach the file. */
    private static final class CountingStream extends FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
