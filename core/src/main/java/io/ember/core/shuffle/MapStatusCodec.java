package io.ember.core.shuffle;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * The map statuses of a shuffle as bytes for the wire: Java-serialized, then deflated (repeated
 * locations and the compact sizes of {@link BlockSizes} shrink well). Decoding accepts only the
 * types a status is made of.
 *
 * <p>Stateless; thread-safe.
 */
public final class MapStatusCodec {

    private static final ObjectInputFilter ONLY_STATUSES = ObjectInputFilter.Config.createFilter(
            "maxdepth=8;io.ember.core.shuffle.MapStatus;io.ember.core.shuffle.BlockSizes$*;"
                    + "io.ember.api.shuffle.BlockLocation;java.util.BitSet;java.lang.Record;java.lang.String;!*");

    private MapStatusCodec() {
    }

    /** The statuses, serialized and deflated. */
    public static byte[] encode(MapStatus[] statuses) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try (ObjectOutputStream out = new ObjectOutputStream(new DeflaterOutputStream(bytes, deflater, 64 * 1024))) {
            out.writeObject(statuses);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize map statuses: " + e.getMessage(), e);
        } finally {
            deflater.end();
        }
        return bytes.toByteArray();
    }

    /**
     * The statuses {@link #encode} wrote.
     *
     * @throws IOException when the bytes are not such statuses
     */
    public static MapStatus[] decode(byte[] bytes) throws IOException {
        try (ObjectInputStream in = new ObjectInputStream(new InflaterInputStream(new ByteArrayInputStream(bytes)))) {
            in.setObjectInputFilter(ONLY_STATUSES);
            return (MapStatus[]) in.readObject();
        } catch (ClassNotFoundException | ClassCastException | InvalidClassException e) {
            throw new IOException("the driver sent map statuses this executor cannot read: " + e, e);
        }
    }
}
