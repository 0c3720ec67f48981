package io.ember.shuffle.sort;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The file in the shuffle service's state directory that remembers registered executors across a
 * restart.
 *
 * <p>Format (big-endian, strings as {@link DataOutputStream#writeUTF}): magic {@code "EMBR"},
 * version (int, 2), entry count (int), per entry the application id, the executor id and how many
 * directories the service created for it (int); then a CRC-32C of everything before it (long). No
 * path is recorded: the directories are where {@link ServiceDirectories} puts them, so a state file
 * cannot make the service serve or delete anything else. Version 1 recorded the directories each
 * executor named; such a file is read as {@link Recorded#olderEntries} only, never as paths. It is
 * written to a temporary file, forced to disk and moved over the old one atomically, so a crash
 * leaves the old or the new state, never half of one.
 *
 * <p>Not thread-safe: its one user, {@link ExecutorRegistry}, calls it under its lock.
 */
final class RegistryStateFile {

    private static final int MAGIC = 0x454d4252;   // "EMBR"
    private static final int VERSION = 2;
    /** The version that recorded paths taken from the executors' registrations. */
    private static final int PATHS_VERSION = 1;
    private static final String NAME = "registered-executors";

    private final Path file;
    private final Path temp;

    /** The state file in {@code stateDir}, which is created if missing. */
    RegistryStateFile(Path stateDir) throws IOException {
        requireNonNull(stateDir, "stateDir is null");
        Files.createDirectories(stateDir);
        this.file = stateDir.resolve(NAME);
        this.temp = stateDir.resolve(NAME + ".tmp");
    }

    /**
     * What a state file holds.
     *
     * @param apps application id to executor id to how many directories the service created for it
     * @param olderEntries how many registrations a file of version 1 recorded (with directories the
     *     executors named, which this version neither serves nor deletes); 0 for a current file
     */
    record Recorded(Map<String, Map<String, Integer>> apps, int olderEntries) {
    }

    /**
     * The recorded executors; nothing when there is no file yet.
     *
     * @throws IOException when the file cannot be read or is damaged
     */
    Recorded read() throws IOException {
        Map<String, Map<String, Integer>> apps = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return new Recorded(apps, 0);
        }
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < 16) {
            throw new IOException(file + " is damaged: " + bytes.length + " bytes");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 8);
        if (ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong() != crc.getValue()) {
            throw new IOException(file + " is damaged: its checksum does not match");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 0, bytes.length - 8))) {
            int magic = in.readInt();
            int version = in.readInt();
            if (magic != MAGIC || (version != VERSION && version != PATHS_VERSION)) {
                throw new IOException(file + " is not a shuffle service state file of version " + PATHS_VERSION
                        + " or " + VERSION);
            }
            int entries = in.readInt();
            if (entries < 0) {
                throw new IOException(file + " is damaged: " + entries + " entries");
            }
            for (int i = 0; i < entries; i++) {
                String appId = in.readUTF();
                String executorId = in.readUTF();
                int count = in.readInt();
                if (count < 1 || count > MessageCodec.MAX_DIRS) {
                    throw new IOException(file + " is damaged: " + count + " directories for one executor");
                }
                if (version == PATHS_VERSION) {
                    for (int d = 0; d < count; d++) {
                        in.readUTF();   // a path an executor named: never used
                    }
                    continue;
                }
                if (!ServiceDirectories.isId(appId) || !ServiceDirectories.isId(executorId)) {
                    throw new IOException(file + " is damaged: " + ExecutorRegistry.quote(appId) + "/"
                            + ExecutorRegistry.quote(executorId) + " is not a valid pair of ids");
                }
                apps.computeIfAbsent(appId, a -> new LinkedHashMap<>()).put(executorId, count);
            }
            if (in.available() != 0) {
                throw new IOException(file + " is damaged: bytes after the last entry");
            }
            return new Recorded(apps, version == PATHS_VERSION ? entries : 0);
        } catch (RuntimeException | EOFException | UTFDataFormatException e) {
            throw new IOException(file + " is damaged: " + e, e);
        }
    }

    /** Replaces the recorded executors, atomically. */
    void write(Map<String, Map<String, Integer>> apps) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(apps.values().stream().mapToInt(Map::size).sum());
            for (Map.Entry<String, Map<String, Integer>> app : apps.entrySet()) {
                for (Map.Entry<String, Integer> executor : app.getValue().entrySet()) {
                    out.writeUTF(app.getKey());
                    out.writeUTF(executor.getKey());
                    out.writeInt(executor.getValue());
                }
            }
            CRC32C crc = new CRC32C();
            crc.update(bytes.toByteArray());
            out.writeLong(crc.getValue());
        }
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes.toByteArray());
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public String toString() {
        return file.toString();
    }
}
