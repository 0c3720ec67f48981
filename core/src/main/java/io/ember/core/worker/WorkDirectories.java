package io.ember.core.worker;

import static java.util.Objects.requireNonNull;

import io.ember.core.files.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The executors' work directories on one worker: {@code <root>/<appId>/<executorId>/}, holding
 * each executor's {@code stdout} and {@code stderr} (the root is {@code ember.worker.workDir}).
 *
 * <p>Application and executor ids become file names, so they are checked: 1 to 255 of
 * {@code A-Z a-z 0-9 . _ -}, and neither {@code .} nor {@code ..}. An id from the network can
 * therefore never name a path outside the root.
 *
 * <p>Thread-safe: instances hold only the root.
 */
public final class WorkDirectories {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,255}");

    private final Path root;

    /** Work directories under {@code root}, which is created on the first {@link #create}. */
    public WorkDirectories(Path root) {
        this.root = requireNonNull(root, "root is null").toAbsolutePath().normalize();
    }

    /** The absolute, normalized root. */
    public Path root() {
        return root;
    }

    /**
     * The directory of an application's executors, {@code <root>/<appId>}; nothing is created.
     *
     * @throws IllegalArgumentException when {@code appId} is not a valid id
     */
    public Path appDir(String appId) {
        return root.resolve(checkId("application id", appId));
    }

    /**
     * Creates (if needed) and returns an executor's work directory,
     * {@code <root>/<appId>/<executorId>}.
     *
     * @throws IllegalArgumentException when an id is not valid
     * @throws IOException when the directory cannot be created, or the application's directory
     *     is a symbolic link (which could lead out of the root)
     */
    public Path create(String appId, String executorId) throws IOException {
        Path appDir = appDir(appId);
        Path executorDir = appDir.resolve(checkId("executor id", executorId));
        Files.createDirectories(root);
        if (Files.isSymbolicLink(appDir)) {
            throw new IOException("Refusing to use the work directory " + appDir
                    + ": it is a symbolic link (application directories must be real directories under " + root + ")");
        }
        Files.createDirectories(executorDir);
        if (Files.isSymbolicLink(executorDir)) {
            throw new IOException("Refusing to use the work directory " + executorDir
                    + ": it is a symbolic link (executor directories must be real directories under " + root + ")");
        }
        return executorDir;
    }

    /**
     * Deletes an application's directory and everything in it ({@link FileTrees#deleteRecursively}).
     * Symbolic links are deleted, never followed, so nothing outside the root is touched. Deleting an application that has no
     * directory (or no longer has one) does nothing. Stop the application's executors first: files
     * they create during the deletion may survive it.
     *
     * @return whether there was anything to delete
     * @throws IllegalArgumentException when {@code appId} is not a valid id
     * @throws IOException when a file or directory cannot be deleted (the message names it)
     */
    public boolean deleteApplication(String appId) throws IOException {
        Path appDir = appDir(appId);
        if (!Files.exists(appDir, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        FileTrees.deleteRecursively(appDir);
        return true;
    }

    @Override
    public String toString() {
        return "WorkDirectories[" + root + "]";
    }

    /**
     * Checks that an id can be used as a single file name.
     *
     * @param what what the id identifies, for the message ("application id")
     * @return the id
     * @throws IllegalArgumentException naming the id and the rule
     */
    static String checkId(String what, String id) {
        requireNonNull(id, () -> what + " is null");
        if (!ID.matcher(id).matches() || id.equals(".") || id.equals("..")) {
            throw new IllegalArgumentException("Invalid " + what + " '" + id + "': use 1 to 255 letters, digits, "
                    + "'.', '_' or '-', and not '.' or '..'");
        }
        return id;
    }
}
