package io.ember.core.status;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import io.ember.core.web.Json;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads an application's event log (see {@link EventLogWriter}) back into {@link StatusEvent}s, in
 * the order they were written. A log still being written (or whose driver died) ends where its last
 * flush ended: a cut-off last line or gzip stream ends the reading quietly. Lines of events this
 * version does not know are skipped, so newer drivers' logs stay readable.
 */
public final class EventLogReader {

    private static final Pattern FILE = Pattern.compile("events-(\\d{6})\\.jsonl(\\.gz)?");
    private static final ObjectReader READER = Json.mapper().readerFor(StatusEvent.class)
            .without(DeserializationFeature.FAIL_ON_INVALID_SUBTYPE);

    private EventLogReader() {
    }

    /** The log's files in order. */
    static List<Path> files(Path directory) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> entries = Files.list(directory)) {
            entries.filter(p -> FILE.matcher(p.getFileName().toString()).matches()).sorted().forEach(files::add);
        }
        return files;
    }

    /** Whether the application of {@code directory} is still running (or its driver died before the end). */
    public static boolean inProgress(Path directory) {
        return Files.exists(directory.resolve(EventLogWriter.IN_PROGRESS));
    }

    /**
     * Hands every event of the log in {@code directory} to {@code sink}, in order.
     *
     * @return how many events were read
     * @throws IOException when a file cannot be read at all
     */
    public static long read(Path directory, Consumer<StatusEvent> sink) throws IOException {
        long events = 0;
        for (Path file : files(directory)) {
            Matcher name = FILE.matcher(file.getFileName().toString());
            boolean compressed = name.matches() && name.group(2) != null;
            try (InputStream raw = Files.newInputStream(file);
                 InputStream in = compressed ? new EndsAtCut(new GZIPInputStream(raw, 64 * 1024)) : raw;
                 BufferedReader lines = new BufferedReader(new InputStreamReader(in, UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    StatusEvent event = parse(line);
                    if (event != null) {
                        sink.accept(event);
                        events++;
                    }
                }
            } catch (ZipException e) {
                return events;   // a file damaged past its last flush: the log ends here
            }
        }
        return events;
    }

    /**
     * A gzip stream that ends where it was cut off: a running application's file has no trailer yet,
     * and what was flushed before the cut is read whole instead of lost with the exception.
     */
    private static final class EndsAtCut extends FilterInputStream {

        EndsAtCut(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (EOFException e) {
                return -1;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (EOFException e) {
                return -1;
            }
        }

        @Override
        public int available() throws IOException {
            try {
                return super.available();
            } catch (EOFException e) {
                return 0;
            }
        }
    }

    private static StatusEvent parse(String line) {
        try {
            return READER.readValue(line);
        } catch (JsonProcessingException e) {
            return null; // a line cut off at the end of a running log, or not an event
        }
    }
}
