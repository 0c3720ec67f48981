package io.ember.shuffle.sort;

import static java.util.Objects.requireNonNull;

import io.ember.api.shuffle.ShuffleBlockId;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.Checksum;

/**
 * Reads a block of map output from this host's disk, as {@link SortShuffleWriter} wrote it, and
 * checks it against the checksum in its {@link ShuffleIndex}: the bytes it returns are exactly what
 * the map task wrote.
 *
 * <p>Stateless and thread-safe.
 */
final class LocalBlocks {

    private LocalBlocks() {
    }

    /**
     * The bytes of block {@code id}, checked.
     *
     * @throws IOException when the index or data file is missing or damaged, the block does not
     *     exist, or its bytes do not match its checksum; the message names the block and the file
     */
    static byte[] read(ShuffleFiles files, ShuffleBlockId id) throws IOException {
        requireNonNull(files, "files is null");
        requireNonNull(id, "id is null");
        ShuffleIndex index = ShuffleIndex.read(files.indexFile(id.shuffleId(), id.mapId()));
        Path data = files.dataFile(id.shuffleId(), id.mapId());
        if (id.reduceId() >= index.partitions()) {
            throw new IOException(id + " does not exist: " + data + " has " + index.partitions() + " partitions");
        }
        long length = index.length(id.reduceId());
        if (length > Integer.MAX_VALUE - 16) {
            throw new IOException(id + " in " + data + " is too large to read into memory: " + length + " bytes");
        }
        ByteBuffer block = ByteBuffer.allocate((int) length);
        try (FileChannel channel = FileChannel.open(data, StandardOpenOption.READ)) {
            if (channel.size() != index.dataLength()) {
                throw new IOException(id + ": " + data + " has " + channel.size() + " bytes; its index says "
                        + index.dataLength());
            }
            long position = index.offset(id.reduceId());
            while (block.hasRemaining()) {
                if (channel.read(block, position + block.position()) < 0) {
                    throw new EOFException(id + ": " + data + " ends early");
                }
            }
        }
        if (index.algorithm() != null) {
            Checksum checksum = index.algorithm().newChecksum();
            checksum.update(block.array(), 0, block.capacity());
            if (checksum.getValue() != index.checksum(id.reduceId())) {
                throw new IOException(id + " in " + data + " is corrupt: its " + index.algorithm().word() + " is "
                        + Long.toHexString(checksum.getValue()) + ", its index says "
                        + Long.toHexString(index.checksum(id.reduceId())));
            }
        }
        return block.array();
    }
}
