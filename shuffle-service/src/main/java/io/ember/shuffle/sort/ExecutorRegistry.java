package io.ember.shuffle.sort;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executors a shuffle server serves: for each application and executor, the local directories
 * its map output is in.
 *
 * <p>Two kinds. The external service's registry ({@link #persistent}) creates every executor's
 * directories itself, below its own {@link ServiceDirectories} root, when it accepts a registration
 * ({@link #create}): no directory ever comes from a message. With a {@link RegistryStateFile} every
 * change is persisted before it is acknowledged, so a restarted service remembers it. An executor's
 * own server keeps an in-memory registry ({@link #inMemory}) of the one executor whose directories
 * its process chose ({@link #registerOwn}); it deletes nothing.
 *
 * <p>Thread-safe: every method locks the registry; a persist happens under the lock.
 */
final class ExecutorRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutorRegistry.class);
    private static final int MAX_NAME_LENGTH = 256;

    private final Optional<RegistryStateFile> stateFile;
    private final Optional<ServiceDirectories> directories;
    private final Map<String, Map<String, List<Path>>> apps;   // guarded by this

    private ExecutorRegistry(Optional<RegistryStateFile> stateFile, Optional<ServiceDirectories> directories,
                             Map<String, Map<String, List<Path>>> apps) {
        this.stateFile = stateFile;
        this.directories = directories;
        this.apps = apps;
    }

    /** A registry kept in memory only (an executor serving its own output). */
    static ExecutorRegistry inMemory() {
        return new ExecutorRegistry(Optional.empty(), Optional.empty(), new LinkedHashMap<>());
    }

    /**
     * The external service's registry: persisted in {@code stateDir}, starting with what was
     * recorded there, its executors' directories below {@code <stateDir>/data}. A state file of an
     * older version, which recorded directories the executors named, is forgotten with one WARN line:
     * those directories are neither served nor deleted.
     *
     * @throws UncheckedIOException when the state cannot be read or rewritten
     */
    static ExecutorRegistry persistent(Path stateDir) {
        ServiceDirectories directories = ServiceDirectories.of(stateDir);
        try {
            RegistryStateFile file = new RegistryStateFile(stateDir);
            RegistryStateFile.Recorded recorded = file.read();
            Map<String, Map<String, List<Path>>> apps = new LinkedHashMap<>();
            recorded.apps().forEach((appId, executors) -> executors.forEach((executorId, count) ->
                    apps.computeIfAbsent(appId, a -> new LinkedHashMap<>())
                            .put(executorId, directories.layout(appId, executorId, count))));
            if (recorded.olderEntries() > 0) {
                LOG.warn("Forgot the {} executor registration(s) in {}: an older version recorded them with directories "
                        + "the executors named, and this shuffle service serves and deletes only directories it "
                        + "created (below {}); their files are left where they are", recorded.olderEntries(), file,
                        directories.root());
                file.write(Map.of());
            }
            return new ExecutorRegistry(Optional.of(file), Optional.of(directories), apps);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the shuffle service state in " + stateDir + ": "
                    + e.getMessage(), e);
        }
    }

    /** Where the service creates its executors' directories; empty for an executor's own server. */
    Optional<ServiceDirectories> directories() {
        return directories;
    }

    /**
     * Creates an executor's directories below the service's root and records them, replacing an
     * earlier registration of the executor (whose directories are kept).
     *
     * @param count how many directories, 1 to {@link MessageCodec#MAX_DIRS}
     * @return the directories, in order, for the executor to write its output to
     * @throws RefusedRequestException when an id or the count is not acceptable, a directory cannot
     *     be created, or the state cannot be persisted
     * @throws IllegalStateException on an executor's own server, which creates nothing
     */
    synchronized List<Path> create(String appId, String executorId, int count) throws RefusedRequestException {
        ServiceDirectories dirs = directories.orElseThrow(
                () -> new IllegalStateException("an executor's own server creates no directories"));
        if (count < 1 || count > MessageCodec.MAX_DIRS) {
            throw new RefusedRequestException("an executor registers 1 to " + MessageCodec.MAX_DIRS
                    + " directories, not " + count);
        }
        List<Path> created;
        try {
            created = dirs.create(appId, executorId, count);
        } catch (IOException e) {
            throw new RefusedRequestException("cannot create the executor's directories: " + e.getMessage());
        }
        record(appId, executorId, created);
        return created;
    }

    /**
     * Records the directories of the executor whose own server this is: its process chose them, no
     * message named them.
     *
     * @throws RefusedRequestException when a name or the number of directories is not acceptable
     */
    synchronized void registerOwn(String appId, String executorId, List<Path> localDirs)
            throws RefusedRequestException {
        checkName("application", appId);
        checkName("executor", executorId);
        if (localDirs.isEmpty() || localDirs.size() > MessageCodec.MAX_DIRS) {
            throw new RefusedRequestException("an executor registers 1 to " + MessageCodec.MAX_DIRS
                    + " directories, not " + localDirs.size());
        }
        record(appId, executorId, List.copyOf(localDirs));
    }

    private void record(String appId, String executorId, List<Path> dirs) throws RefusedRequestException {
        Map<String, List<Path>> executors = apps.computeIfAbsent(appId, a -> new LinkedHashMap<>());
        List<Path> previous = executors.put(executorId, dirs);
        try {
            persist();
        } catch (IOException e) {
            if (previous == null) {
                executors.remove(executorId);
                if (executors.isEmpty()) {
                    apps.remove(appId);
                }
            } else {
                executors.put(executorId, previous);
            }
            throw new RefusedRequestException("cannot record the registration: " + e.getMessage());
        }
    }

    /**
     * The directories of a registered executor.
     *
     * @throws RefusedRequestException naming the unknown application or executor
     */
    synchronized List<Path> dirsOf(String appId, String executorId) throws RefusedRequestException {
        Map<String, List<Path>> executors = apps.get(appId);
        if (executors == null) {
            throw new RefusedRequestException("unknown application " + quote(appId));
        }
        List<Path> dirs = executors.get(executorId);
        if (dirs == null) {
            throw new RefusedRequestException("unknown executor " + quote(executorId) + " of application "
                    + quote(appId));
        }
        return dirs;
    }

    /**
     * Forgets an application's executors; the caller deletes their files.
     *
     * @return how many executors it had (0 when it was not known)
     * @throws UncheckedIOException when the state cannot be persisted (the application stays forgotten in memory)
     */
    synchronized int remove(String appId) {
        Map<String, List<Path>> executors = apps.remove(appId);
        if (executors == null) {
            return 0;
        }
        try {
            persist();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the removal of application " + quote(appId) + ": "
                    + e, e);
        }
        return executors.size();
    }

    /**
     * Deletes the files of one shuffle of every registered executor of an application (the
     * directories this registry created for them, nothing a request names). The directories are
     * looked up under the lock and deleted outside it, so fetches and registrations wait for no disk.
     *
     * @return how many executors' files were looked at
     * @throws RefusedRequestException when the application is not registered
     */
    int deleteShuffle(String appId, int shuffleId) throws RefusedRequestException {
        Map<String, List<Path>> executors;
        synchronized (this) {
            Map<String, List<Path>> registered = apps.get(appId);
            if (registered == null) {
                throw new RefusedRequestException("unknown application " + quote(appId));
            }
            executors = Map.copyOf(registered);
        }
        for (Map.Entry<String, List<Path>> executor : executors.entrySet()) {
            for (Path dir : new ShuffleFiles(executor.getValue()).shuffleDirs(shuffleId)) {
                try {
                    ShuffleDirs.delete(dir);
                } catch (IOException e) {
                    LOG.warn("Cannot delete the files of shuffle {} of executor {} in {}: {}", shuffleId,
                            quote(executor.getKey()), dir, e.getMessage());
                }
            }
        }
        return executors.size();
    }

    /** The applications it has registered executors of. */
    synchronized Set<String> applications() {
        return new TreeSet<>(apps.keySet());
    }

    /** How many executors are registered, over all applications. */
    synchronized int size() {
        return apps.values().stream().mapToInt(Map::size).sum();
    }

    private void persist() throws IOException {
        if (stateFile.isPresent()) {
            Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
            apps.forEach((appId, executors) -> executors.forEach((executorId, dirs) ->
                    counts.computeIfAbsent(appId, a -> new LinkedHashMap<>()).put(executorId, dirs.size())));
            stateFile.get().write(counts);
        }
    }

    private static void checkName(String what, String name) throws RefusedRequestException {
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH || name.chars().anyMatch(Character::isISOControl)) {
            throw new RefusedRequestException("not a valid " + what + " id: " + quote(name));
        }
    }

    /** Quotes a name from a peer, shortened and with control characters replaced, for a message or log line. */
    static String quote(String text) {
        String shown = text.length() > 80 ? text.substring(0, 80) + "..." : text;
        return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
    }

    @Override
    public String toString() {
        return "ExecutorRegistry[" + stateFile.map(Object::toString).orElse("in memory")
                + directories.map(d -> ", directories below " + d.root()).orElse("") + "]";
    }
}
