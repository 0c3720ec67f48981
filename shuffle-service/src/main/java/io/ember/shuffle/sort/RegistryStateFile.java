package io.ember.shuffle.sort;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The file in the shuffle service's state directory that remembers registered executors across a
 * restart.
 *
 * <p>Format (big-endian, strings as {@link DataOutputStream#writeUTF}): magic {@code "EMBR"},
 * version (int, 1), entry count (int), per entry the application id, the executor id, the
 * directory count (int) and the directories; then a CRC-32C of everything before it (long). It is
 * written to a temporary file, forced to disk and moved over the old one atomically, so a crash
 * leaves the old or the new state, never half of one.
 *
 * <p>Not thread-safe: its one user, {@link ExecutorRegistry}, calls it under its lock.
 */
final class RegistryStateFile {

    private static final int MAGIC = 0x454d4252;   // "EMBR"
    private static final int VERSION = 1;
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
     * The recorded executors: application id to executor id to directories; empty when there is no
     * file yet.
     *
     * @throws IOException when the file cannot be read or is damaged
     */
    Map<String, Map<String, List<Path>>> read() throws IOException {
        Map<String, Map<String, List<Path>>> apps = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return apps;
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
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                throw new IOException(file + " is not a shuffle service state file of version " + VERSION);
            }
            int entries = in.readInt();
            for (int i = 0; i < entries; i++) {
                String appId = in.readUTF();
                String executorId = in.readUTF();
                int count = in.readInt();
                if (count < 1 || count > MessageCodec.MAX_DIRS) {
                    throw new IOException(file + " is damaged: " + count + " directories for one executor");
                }
                List<Path> dirs = new ArrayList<>(count);
                for (int d = 0; d < count; d++) {
                    dirs.add(Path.of(in.readUTF()));
                }
                apps.computeIfAbsent(appId, a -> new LinkedHashMap<>()).put(executorId, List.copyOf(dirs));
            }
            if (in.available() != 0) {
                throw new IOException(file + " is damaged: bytes after the last entry");
            }
        } catch (RuntimeException e) {
            throw new IOException(file + " is damaged: " + e.getMessage(), e);
        }
        return apps;
    }

    /** Replaces the recorded executors, atomically. */
    void write(Map<String, Map<String, List<Path>>> apps) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(apps.values().stream().mapToInt(Map::size).sum());
            for (Map.Entry<String, Map<String, List<Path>>> app : apps.entrySet()) {
                for (Map.Entry<String, List<Path>> executor : app.getValue().entrySet()) {
                    out.writeUTF(app.getKey());
                    out.writeUTF(executor.getKey());
                    out.writeInt(executor.getValue().size());
                    for (Path dir : executor.getValue()) {
                        out.writeUTF(dir.toString());
                    }
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
