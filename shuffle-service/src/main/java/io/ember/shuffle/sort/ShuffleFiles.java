package io.ember.shuffle.sort;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;

/**
 * Where an executor's map output lives on disk, the one rule the writer, the executor's own server
 * and the external shuffle service all follow.
 *
 * <p>The output of map task {@code mapId} of shuffle {@code shuffleId} is two files in one of the
 * executor's local directories (chosen by {@code mapId}, so the writes of many tasks spread over
 * the disks):
 * <pre>
 *   &lt;localDir&gt;/shuffle-&lt;shuffleId&gt;/&lt;mapId&gt;.data    the blocks, reduce partition 0 first
 *   &lt;localDir&gt;/shuffle-&lt;shuffleId&gt;/&lt;mapId&gt;.index   where each block starts, and its checksum ({@link ShuffleIndex})
 * </pre>
 * The index is moved into place last, so a reader that finds it finds the whole output.
 *
 * <p>Immutable and thread-safe.
 */
final class ShuffleFiles {

    private final List<Path> localDirs;

    /** @param localDirs the executor's local directories, in a fixed order (the order it registered) */
    ShuffleFiles(List<Path> localDirs) {
        this.localDirs = List.copyOf(requireNonNull(localDirs, "localDirs is null"));
        if (this.localDirs.isEmpty()) {
            throw new IllegalArgumentException("no local directory");
        }
    }

    List<Path> localDirs() {
        return localDirs;
    }

    /** The directory of a shuffle's files in the local directory that holds {@code mapId}'s output. */
    Path shuffleDir(int shuffleId, long mapId) {
        checkIds(shuffleId, mapId);
        return localDirs.get((int) (mapId % localDirs.size())).resolve("shuffle-" + shuffleId);
    }

    /** The data file of one map task's output. */
    Path dataFile(int shuffleId, long mapId) {
        return shuffleDir(shuffleId, mapId).resolve(mapId + ".data");
    }

    /** The index file of one map task's output. */
    Path indexFile(int shuffleId, long mapId) {
        return shuffleDir(shuffleId, mapId).resolve(mapId + ".index");
    }

    /** Every directory that may hold files of a shuffle (one per local directory). */
    List<Path> shuffleDirs(int shuffleId) {
        if (shuffleId < 0) {
            throw new IllegalArgumentException("shuffleId must be >= 0: " + shuffleId);
        }
        return localDirs.stream().map(dir -> dir.resolve("shuffle-" + shuffleId)).toList();
    }

    private static void checkIds(int shuffleId, long mapId) {
        if (shuffleId < 0 || mapId < 0) {
            throw new IllegalArgumentException("shuffle and map ids must be >= 0: " + shuffleId + ", " + mapId);
        }
    }
}
