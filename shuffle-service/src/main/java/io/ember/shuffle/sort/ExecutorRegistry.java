package io.ember.shuffle.sort;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The executors a shuffle server serves: for each application and executor, the local directories
 * its map output is in. Registered over the network (the external service) or directly (an
 * executor's own server); with a {@link RegistryStateFile} every change is persisted before it is
 * acknowledged, so a restarted service remembers it.
 *
 * <p>Thread-safe: every method locks the registry; a persist happens under the lock.
 */
final class ExecutorRegistry {

    private static final int MAX_NAME_LENGTH = 256;

    private final Optional<RegistryStateFile> stateFile;
    private final Map<String, Map<String, List<Path>>> apps;   // guarded by this

    private ExecutorRegistry(Optional<RegistryStateFile> stateFile, Map<String, Map<String, List<Path>>> apps) {
        this.stateFile = stateFile;
        this.apps = apps;
    }

    /** A registry kept in memory only (an executor serving its own output). */
    static ExecutorRegistry inMemory() {
        return new ExecutorRegistry(Optional.empty(), new LinkedHashMap<>());
    }

    /**
     * A registry persisted in {@code stateDir}, starting with what was recorded there.
     *
     * @throws UncheckedIOException when the state cannot be read
     */
    static ExecutorRegistry persistent(Path stateDir) {
        try {
            RegistryStateFile file = new RegistryStateFile(stateDir);
            return new ExecutorRegistry(Optional.of(file), file.read());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the shuffle service state in " + stateDir + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Records an executor's directories, replacing an earlier registration.
     *
     * @param localDirs absolute, normalized paths of existing directories, in the executor's order
     * @throws RefusedRequestException when a name or directory is not acceptable, or the state cannot
     *     be persisted
     */
    synchronized void register(String appId, String executorId, List<String> localDirs) throws RefusedRequestException {
        checkName("application", appId);
        checkName("executor", executorId);
        if (localDirs.isEmpty() || localDirs.size() > MessageCodec.MAX_DIRS) {
            throw new RefusedRequestException("an executor registers 1 to " + MessageCodec.MAX_DIRS
                    + " directories, not " + localDirs.size());
        }
        List<Path> dirs = new ArrayList<>(localDirs.size());
        for (String text : localDirs) {
            dirs.add(checkDir(text));
        }
        Map<String, List<Path>> executors = apps.computeIfAbsent(appId, a -> new LinkedHashMap<>());
        List<Path> previous = executors.put(executorId, List.copyOf(dirs));
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
     * Forgets an application's executors and returns their directories (nothing when it was not
     * known); the caller deletes the files.
     *
     * @throws UncheckedIOException when the state cannot be persisted (the application stays forgotten in memory)
     */
    synchronized List<List<Path>> remove(String appId) {
        Map<String, List<Path>> executors = apps.remove(appId);
        if (executors == null) {
            return List.of();
        }
        try {
            persist();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the removal of application " + quote(appId) + ": "
                    + e, e);
        }
        return List.copyOf(executors.values());
    }

    /** How many executors are registered, over all applications. */
    synchronized int size() {
        return apps.values().stream().mapToInt(Map::size).sum();
    }

    private void persist() throws IOException {
        if (stateFile.isPresent()) {
            stateFile.get().write(apps);
        }
    }

    private static void checkName(String what, String name) throws RefusedRequestException {
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH || name.chars().anyMatch(Character::isISOControl)) {
            throw new RefusedRequestException("not a valid " + what + " id: " + quote(name));
        }
    }

    private static Path checkDir(String text) throws RefusedRequestException {
        Path dir;
        try {
            dir = Path.of(text);
        } catch (InvalidPathException e) {
            throw new RefusedRequestException("not a path: " + quote(text));
        }
        if (!dir.isAbsolute() || !dir.equals(dir.normalize()) || dir.getParent() == null) {
            throw new RefusedRequestException("a local directory must be an absolute, normalized path below the root: "
                    + quote(text));
        }
        if (!Files.isDirectory(dir)) {
            throw new RefusedRequestException("not an existing directory: " + quote(text));
        }
        return dir;
    }

    /** Quotes a name from a peer, shortened and with control characters replaced, for a message or log line. */
    static String quote(String text) {
        String shown = text.length() > 80 ? text.substring(0, 80) + "..." : text;
        return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
    }

    @Override
    public String toString() {
        return "ExecutorRegistry[" + stateFile.map(Object::toString).orElse("in memory") + "]";
    }
}
