package io.ember.core.worker;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Everything needed to start one executor JVM: which {@code java}, its class path, heap, JVM
 * options, main class, program arguments and extra environment variables.
 *
 * <p>Threading: instances are immutable.
 *
 * <p>Its full contract (the order of the options, Ember's defaults and why, where secrets go) is in
 * the {@code io.ember.core.worker} package documentation.
 *
 * @param javaExecutable the {@code java} launcher, e.g. {@link #currentJava()}
 * @param classPath the class path, as given to {@code -cp} (entries separated by
 *     {@link java.io.File#pathSeparator}), e.g. {@link #currentClassPath()}
 * @param heapBytes the maximum heap ({@code -Xmx}), in bytes
 * @param jvmOptions extra JVM options, each starting with {@code -}, e.g. parsed from
 *     {@code ember.executor.javaOptions} by {@link io.ember.core.config.JavaOptions#split(String)}
 * @param mainClass the fully qualified main class
 * @param arguments the program arguments
 * @param environment environment variables added to (or replacing) the worker's own
 */
public record ExecutorCommand(
        Path javaExecutable,
        String classPath,
        long heapBytes,
        List<String> jvmOptions,
        String mainClass,
        List<String> arguments,
        Map<String, String> environment) {

    /** Ember's default JVM options, after {@code -Xmx} and before {@link #jvmOptions()}. */
    static final List<String> DEFAULT_JVM_OPTIONS =
            List.of("-Xshare:auto", "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true");

    /**
     * Checks and copies every component.
     *
     * @throws IllegalArgumentException when the class path or main class is blank, the heap is
     *     not positive, a JVM option does not start with {@code -}, or an environment variable name
     *     is empty or holds {@code =} (each message names the offending value)
     */
    public ExecutorCommand {
        requireNonNull(javaExecutable, "javaExecutable is null");
        requireNonNull(classPath, "classPath is null");
        requireNonNull(mainClass, "mainClass is null");
        if (classPath.isBlank()) {
            throw new IllegalArgumentException("classPath must not be blank");
        }
        if (heapBytes <= 0) {
            throw new IllegalArgumentException("heapBytes must be > 0: " + heapBytes);
        }
        if (mainClass.isBlank() || mainClass.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("mainClass must be a class name: '" + mainClass + "'");
        }
        jvmOptions = List.copyOf(requireNonNull(jvmOptions, "jvmOptions is null"));
        for (String option : jvmOptions) {
            // A word without a dash would be taken by the java launcher as the main class.
            if (!option.startsWith("-")) {
                throw new IllegalArgumentException("JVM option must start with '-' (write options that take a "
                        + "value as --name=value): '" + option + "' in " + jvmOptions);
            }
        }
        arguments = List.copyOf(requireNonNull(arguments, "arguments is null"));
        environment = Map.copyOf(requireNonNull(environment, "environment is null"));
        for (String name : environment.keySet()) {
            if (name.isEmpty() || name.indexOf('=') >= 0) {
                throw new IllegalArgumentException("environment variable name must be non-empty and "
                        + "without '=': '" + name + "'");
            }
        }
    }

    /**
     * The command line: {@code java -Xmx<heap> <defaults> <jvmOptions> -cp <classPath> <mainClass>
     * <arguments>}.
     */
    public List<String> toArgv() {
        List<String> argv = new ArrayList<>(8 + jvmOptions.size() + arguments.size());
        argv.add(javaExecutable.toString());
        argv.add("-Xmx" + heapSize(heapBytes));
        argv.addAll(DEFAULT_JVM_OPTIONS);
        argv.addAll(jvmOptions);
        argv.add("-cp");
        argv.add(classPath);
        argv.add(mainClass);
        argv.addAll(arguments);
        return List.copyOf(argv);
    }

    /** Shows environment variable names but never their values, which may be secrets. */
    @Override
    public String toString() {
        return "ExecutorCommand[javaExecutable=" + javaExecutable
                + ", classPath=" + classPath
                + ", heapBytes=" + heapBytes
                + ", jvmOptions=" + jvmOptions
                + ", mainClass=" + mainClass
                + ", arguments=" + arguments
                + ", environment=" + environment.keySet().stream().sorted().toList()
                + "]";
    }

    /**
     * The {@code java} launcher of this JVM: the executable this process runs
     * ({@link ProcessHandle.Info#command()}), else {@code <java.home>/bin/java}.
     */
    public static Path currentJava() {
        Optional<String> command = ProcessHandle.current().info().command();
        if (command.isPresent()) {
            return Path.of(command.get());
        }
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        return Path.of(System.getProperty("java.home"), "bin", windows ? "java.exe" : "java");
    }

    /** The class path of this JVM ({@code java.class.path}). */
    public static String currentClassPath() {
        return System.getProperty("java.class.path");
    }

    /** The heap in the largest unit that divides it exactly, as operators write it: 1g, 1536m. */
    static String heapSize(long bytes) {
        if (bytes % (1L << 30) == 0) {
            return (bytes >> 30) + "g";
        }
        if (bytes % (1L << 20) == 0) {
            return (bytes >> 20) + "m";
        }
        if (bytes % (1L << 10) == 0) {
            return (bytes >> 10) + "k";
        }
        return Long.toString(bytes);
    }
}
