package io.ember.shuffle.sort;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The directories an external shuffle service creates for the executors it accepts, below a root of
 * its own: {@code <root>/<appId>/<executorId>/<n>}, {@code n} from 0. An executor writes its map
 * output where the service's registration reply tells it; the service deletes an application's
 * files by deleting {@code <root>/<appId>}, never a path a message or a file named.
 *
 * <p>Ids become file names, so they are checked as names: 1 to 255 of {@code A-Z a-z 0-9 . _ -},
 * and neither {@code .} nor {@code ..} (no separator, no control character). Every level is created
 * without following a symbolic link: an existing entry is used only when it is a real directory.
 * Deletion never follows a link either ({@link ShuffleDirs#delete}). On POSIX file systems the root
 * is readable by its owner only.
 *
 * <p>Thread-safe: instances hold only the root; concurrent creation of one directory is fine.
 */
final class ServiceDirectories {

    /** The root's name below the service's state directory. */
    static final String DATA = "data";

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,255}");

    private final Path root;

    /** Directories below {@code root} (absolute after normalizing); nothing is created yet. */
    ServiceDirectories(Path root) {
        this.root = requireNonNull(root, "root is null").toAbsolutePath().normalize();
    }

    /** The directories of the service whose state is in {@code stateDir}: {@code <stateDir>/data}. */
    static ServiceDirectories of(Path stateDir) {
        return new ServiceDirectories(stateDir.resolve(DATA));
    }

    Path root() {
        return root;
    }

    /** Whether {@code id} may name an application's or an executor's directory. */
    static boolean isId(String id) {
        return ID.matcher(id).matches() && !id.equals(".") && !id.equals("..");
    }

    /**
     * Checks an id from a peer.
     *
     * @throws RefusedRequestException naming it and the rule
     */
    static void checkId(String what, String id) throws RefusedRequestException {
        if (!isId(id)) {
            throw new RefusedRequestException("not a valid " + what + " id: " + ExecutorRegistry.quote(id)
                    + " (1 to 255 letters, digits, '.', '_' or '-', and not '.' or '..')");
        }
    }

    /** Where an executor's {@code count} directories are; nothing is read or created. Ids must be valid. */
    List<Path> layout(String appId, String executorId, int count) {
        Path executor = root.resolve(appId).resolve(executorId);
        List<Path> dirs = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            dirs.add(executor.resolve(Integer.toString(n)));
        }
        return List.copyOf(dirs);
    }

    /**
     * Creates (when missing) an executor's directories.
     *
     * @throws RefusedRequestException when an id is not valid
     * @throws IOException when a directory cannot be created, or an entry on the way exists and is not a
     *     real directory (a symbolic link, a file)
     */
    List<Path> create(String appId, String executorId, int count) throws RefusedRequestException, IOException {
        checkId("application", appId);
        checkId("executor", executorId);
        createRoot();
        Path appDir = root.resolve(appId);
        Path executorDir = appDir.resolve(executorId);
        createOne(appDir);
        createOne(executorDir);
        List<Path> dirs = layout(appId, executorId, count);
        for (Path dir : dirs) {
            createOne(dir);
        }
        return dirs;
    }

    private void createRoot() throws IOException {
        if (Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.createDirectories(root.getParent());
        try {
            if (root.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createDirectory(root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                        "rwx------")));
            } else {
                Files.createDirectory(root);
            }
        } catch (FileAlreadyExistsException raced) {
            // checked below
        }
        requireRealDirectory(root);
    }

    /** mkdir, which never follows a link at its last component; an existing entry must be a real directory. */
    private static void createOne(Path dir) throws IOException {
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException exists) {
            // used only when it is a real directory
        }
        requireRealDirectory(dir);
    }

    private static void requireRealDirectory(Path dir) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isDirectory()) {
            throw new IOException("refusing to use " + dir + ": it is " + (attributes.isSymbolicLink()
                    ? "a symbolic link" : "not a directory") + ", not a directory the shuffle service created");
        }
    }

    /**
     * Deletes {@code <root>/<appId>} and everything in it, links deleted and never followed. An
     * entry there that is not a real directory (a link someone put there) is deleted itself, its
     * target untouched.
     *
     * @return whether there was anything to delete
     * @throws IllegalArgumentException when {@code appId} is not a valid id (no path is derived from it)
     * @throws IOException naming what cannot be deleted
     */
    boolean deleteApplication(String appId) throws IOException {
        if (!isId(appId)) {
            throw new IllegalArgumentException("not a valid application id: " + ExecutorRegistry.quote(appId));
        }
        Path appDir = root.resolve(appId);
        if (!appDir.getParent().equals(root) || !Files.exists(appDir, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        ShuffleDirs.delete(appDir);
        return true;
    }

    /** The applications that have a real directory below the root, sorted; none when there is no root. */
    Set<String> applications() throws IOException {
        Set<String> apps = new TreeSet<>();
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            return apps;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (isId(name) && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    apps.add(name);
                }
            }
        } catch (NoSuchFileException gone) {
            return apps;
        }
        return apps;
    }

    @Override
    public String toString() {
        return "ServiceDirectories[" + root + "]";
    }
}
