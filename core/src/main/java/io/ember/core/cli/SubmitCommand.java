package io.ember.core.cli;

import static java.util.Objects.requireNonNull;

import io.ember.api.config.ConfigKey;
import io.ember.core.bootstrap.Bootstrap;
import io.ember.core.bootstrap.LaunchContext;
import io.ember.core.config.ConfigSources;
import io.ember.core.config.EmberKeys;
import io.ember.core.driver.RunningApplications;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.jar.JarFile;
import java.util.zip.ZipException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

// Longer than 400 lines because the options, the application's class loader, the console and the
// stop handling are one command's steps in order (its contract is in the package documentation).
/**
 * {@code ember submit}: runs an application's driver in this JVM.
 *
 * <p>Its full contract (with the application; its class loader; stopping; exit codes) is in the
 * {@code io.ember.core.cli} package documentation.
 */
@Command(name = "submit",
        mixinStandardHelpOptions = true,
        header = "Run an application's driver in this JVM, from its JAR.",
        description = {
            "Run an application's driver in this JVM: loads app.jar in its own class loader and calls",
            "CLASS.main(args). The options become system properties first (ember.master, ember.app.name, each",
            "--conf), and app.jar is added to ember.jars, so EmberContext.builder().build() in the application",
            "runs where --master says and its executors get its classes. Options go before app.jar; everything",
            "after it is the application's. See docs/running-applications.md."
        })
final class SubmitCommand implements Callable<Integer> {

    private static final String PREFIX = "ember submit: ";

    private final EmberCli cli;

    private CommandSpec spec;

    @Option(names = "--master", paramLabel = "URL",
            description = "Where the application runs: local[N], local-cluster[W,C] or ember://<zookeeper>/<cluster> "
                    + "(sets ember.master; default: the configuration's, else the application decides).")
    String master;

    @Option(names = "--class", paramLabel = "CLASS", description = "The application's main class, in app.jar.")
    String mainClass;

    @Option(names = "--conf", paramLabel = "KEY=VALUE",
            description = "A setting, passed to the application as a system property; repeatable. "
                    + "Example: --conf ember.executor.instances=4")
    List<String> conf = new ArrayList<>();

    @Option(names = "--name", paramLabel = "NAME",
            description = "The application's name (sets ember.app.name; default: the main class's simple name).")
    String name;

    @Option(names = {"-v", "--verbose"}, description = "Keep every log line on standard error (even on a terminal), "
            + "and print the full stack trace of any failure.")
    boolean verbose;

    @Parameters(index = "0", arity = "0..1", paramLabel = "app.jar", description = "The application JAR.")
    Path jar;

    @Parameters(index = "1..*", paramLabel = "ARG", description = "The application's arguments.")
    List<String> args = new ArrayList<>();

    SubmitCommand(EmberCli cli) {
        this.cli = requireNonNull(cli, "cli is null");
    }

    /** Picocli's model of this command; everything after app.jar belongs to the application, options included. */
    @CommandLine.Spec
    void spec(CommandSpec spec) {
        this.spec = spec;
        spec.parser().stopAtPositional(true);
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Map<String, String> properties;
        LaunchContext launch;
        ConfigSources sources;
        Duration stopTimeout;
        URL[] classPath;
        try {
            Map<String, String> given = given(settings());
            launch = cli.launchContext(null, given);
            sources = new Bootstrap(launch).readSources();
            properties = systemProperties(given, sources);
            stopTimeout = stopTimeout(sources);
            JarCheck.check(jar, err);
            classPath = classPath(properties.get(EmberKeys.JARS.name()));
        } catch (UsageException e) {
            return usageError(err, e.getMessage());
        }
        try (URLClassLoader loader = new URLClassLoader("ember-application", classPath, EmberCli.class.getClassLoader())) {
            Method main;
            try {
                main = mainMethod(loader);
            } catch (UsageException e) {
                return usageError(err, e.getMessage());
            }
            properties.forEach(System::setProperty);
            Optional<Integer> columns = TerminalProgress.standardErrorColumns();
            if (columns.isPresent() && showProgress(sources)) {
                RunningApplications.ofProcess().watch(new TerminalProgress(System.err, columns.get()));
            }
            Optional<ConsoleLogs.Diversion> logs = logsToFile(sources, columns.isPresent())
                    ? divertLogs(launch.resolve(setting(sources, EmberKeys.CONSOLE_LOG_DIR)), err) : Optional.empty();
            ApplicationStop stop = new ApplicationStop(RunningApplications.ofProcess(), err, stopTimeout, mainClass);
            try (StopTrigger.Armed armed = cli.stopTrigger().arm(stop)) {
                return invoke(main, loader, err, stop);
            } finally {
                logs.ifPresent(ConsoleLogs.Diversion::close);
            }
        } catch (IOException e) {
            err.println(PREFIX + "closing the application's class loader failed: " + e.getMessage());
            err.flush();
            return 0;
        }
    }

    /**
     * The driver's application class path: every JAR of {@code ember.jars}, the application JAR
     * last, so that the driver sees the classes its executors will.
     */
    private static URL[] classPath(String jars) throws UsageException {
        List<URL> urls = new ArrayList<>();
        for (String entry : jars.split(",")) {
            String trimmed = entry.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            Path path = Path.of(trimmed);
            if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                throw new UsageException("ember.jars names " + trimmed + ", which is not a readable file");
            }
            try {
                urls.add(path.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new UsageException("cannot use " + trimmed + " as a class path entry: " + e.getMessage());
            }
        }
        return urls.toArray(URL[]::new);
    }

    private static int usageError(PrintWriter err, String message) {
        err.println(PREFIX + message);
        err.flush();
        return 2;
    }

    /** The {@code --conf} settings, checked with the other options. */
    private Map<String, String> settings() throws UsageException {
        if (mainClass == null || mainClass.isBlank()) {
            throw new UsageException("--class is required: the application's main class, e.g. --class com.example.App");
        }
        if (jar == null) {
            throw new UsageException("the application JAR is required after the options, e.g. ember submit --class "
                    + mainClass + " app.jar");
        }
        Map<String, String> settings = new LinkedHashMap<>();
        for (String entry : conf) {
            int equals = entry.indexOf('=');
            if (equals <= 0) {
                throw new UsageException("--conf needs KEY=VALUE, got '" + entry + "'");
            }
            settings.put(entry.substring(0, equals).strip(), entry.substring(equals + 1));
        }
        return settings;
    }

    private Method mainMethod(ClassLoader loader) throws UsageException {
        Class<?> type;
        try {
            type = Class.forName(mainClass, false, loader);
        } catch (ClassNotFoundException e) {
            throw new UsageException("class " + mainClass + " not found in " + jar);
        } catch (LinkageError e) {
            throw new UsageException("cannot load class " + mainClass + " from " + jar + ": " + e);
        }
        if (type.getClassLoader() != loader) {
            throw new UsageException("class " + mainClass + " not found in " + jar + " (Ember's class path has one; "
                    + "ember submit runs application classes)");
        }
        Method main;
        try {
            main = type.getMethod("main", String[].class);
        } catch (NoSuchMethodException e) {
            main = null;
        } catch (LinkageError e) {
            throw new UsageException("cannot load class " + mainClass + " from " + jar + ": " + e);
        }
        if (main == null || !Modifier.isStatic(main.getModifiers())) {
            throw new UsageException("class " + mainClass + " in " + jar
                    + " has no 'public static void main(String[] args)'");
        }
        main.setAccessible(true);   // the class itself need not be public, as with the java launcher
        return main;
    }

    /** The settings with {@code --master} and {@code --name}. */
    private Map<String, String> given(Map<String, String> settings) {
        Map<String, String> given = new LinkedHashMap<>(settings);
        if (master != null) {
            given.put(EmberKeys.MASTER.name(), master);
        }
        if (name != null) {
            given.put(EmberKeys.APP_NAME.name(), name);
        }
        return given;
    }

    /**
     * The system properties to set: the settings, {@code ember.master} and {@code ember.app.name}
     * as given or configured, and {@code ember.jars} with the application JAR appended.
     */
    private Map<String, String> systemProperties(Map<String, String> given, ConfigSources sources) {
        Map<String, String> properties = new LinkedHashMap<>(given);
        sources.rawValue(EmberKeys.MASTER.name()).ifPresent(url -> properties.put(EmberKeys.MASTER.name(), url));
        properties.put(EmberKeys.APP_NAME.name(),
                sources.rawValue(EmberKeys.APP_NAME.name()).orElse(mainClass.substring(mainClass.lastIndexOf('.') + 1)));
        String appJar = jar.toAbsolutePath().normalize().toString();
        String configured = sources.rawValue(EmberKeys.JARS.name()).map(String::strip).orElse("");
        properties.put(EmberKeys.JARS.name(), configured.isEmpty() ? appJar : configured + "," + appJar);
        return properties;
    }

    /** {@code ember.driver.stopTimeout} as configured. */
    /** {@code ember.console.progress}. */
    private static boolean showProgress(ConfigSources sources) {
        return setting(sources, EmberKeys.CONSOLE_PROGRESS);
    }

    /** Whether the log lines go to a file: {@code ember.console.logs}, unless {@code --verbose}. */
    private boolean logsToFile(ConfigSources sources, boolean terminal) {
        String where = setting(sources, EmberKeys.CONSOLE_LOGS);
        return !verbose && (where.equals("file") || where.equals("auto") && terminal);
    }

    /** Sends the log lines to a file in {@code directory} and says where, once; leaves them where they are when it cannot. */
    private Optional<ConsoleLogs.Diversion> divertLogs(Path directory, PrintWriter err) {
        try {
            ConsoleLogs.Diversion diversion = ConsoleLogs.toFile(directory, "submit-" + simpleName(mainClass));
            err.println("Log lines go to " + diversion.file());
            err.flush();
            return Optional.of(diversion);
        } catch (IOException | RuntimeException e) {
            err.println(PREFIX + "cannot write the log lines to a file in " + directory + " (" + e.getMessage()
                    + "); they stay on standard error");
            err.flush();
            return Optional.empty();
        }
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    /**
     * A setting of the command line, the environment or the files; a value the key does not accept
     * counts as its default here (the driver refuses it, in one line, when it starts).
     */
    private static <T> T setting(ConfigSources sources, ConfigKey<T> key) {
        try {
            return sources.rawValue(key.name()).map(key::parse).orElseGet(() -> key.defaultValue().orElseThrow());
        } catch (IllegalArgumentException e) {
            return key.defaultValue().orElseThrow();
        }
    }

    private static Duration stopTimeout(ConfigSources sources) throws UsageException {
        ConfigKey<Duration> key = EmberKeys.DRIVER_STOP_TIMEOUT;
        try {
            return sources.rawValue(key.name()).map(key::parse).orElseGet(() -> key.defaultValue().orElseThrow());
        } catch (IllegalArgumentException e) {
            throw new UsageException(key.name() + ": " + e.getMessage());
        }
    }

    /**
     * Runs the application's main method. When the JVM began stopping meanwhile ({@code stop}), its
     * failure is not reported: the stop's line said what happened, and the failure is its doing.
     */
    private int invoke(Method main, ClassLoader loader, PrintWriter err, ApplicationStop stop) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            main.invoke(null, (Object) args.toArray(String[]::new));
            stop.mainReturned();
            return 0;
        } catch (InvocationTargetException e) {
            if (!stop.mainReturned()) {
                report(e.getCause(), err);
            }
            return 1;
        } catch (IllegalAccessException e) {
            stop.mainReturned();
            err.println(PREFIX + "cannot call " + mainClass + ".main: " + e.getMessage());
            err.flush();
            return 2;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** The application's failure: one line per cause, or a stack trace when the error is unexpected. */
    private void report(Throwable failure, PrintWriter err) {
        err.println(PREFIX + mainClass + " failed: " + describe(failure));
        if (verbose || !expected(failure)) {
            failure.printStackTrace(err);
        } else {
            Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            seen.add(failure);
            for (Throwable cause = failure.getCause(); cause != null && seen.add(cause); cause = cause.getCause()) {
                err.println("  caused by: " + describe(cause));
            }
            err.println("  (ember submit --verbose prints the stack trace)");
        }
        err.flush();
    }

    private static String describe(Throwable t) {
        return t.getMessage() == null ? t.getClass().getName() : t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    /**
     * Whether an error reports a known condition by its message: Ember's own errors (a failed job,
     * invalid configuration, an unreachable cluster) and plain bad-argument or bad-state reports.
     * Anything else (a {@link NullPointerException}, an {@link Error}) is a bug worth a stack trace.
     */
    static boolean expected(Throwable t) {
        return t.getClass().getName().startsWith("io.ember.")
                || t.getClass() == IllegalArgumentException.class
                || t.getClass() == IllegalStateException.class
                || t.getClass() == UncheckedIOException.class;
    }

    /** A problem with the command line or the JAR, reported in one line with exit code 2. */
    private static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message, null, false, false);
        }
    }

    /** Checks the application JAR before anything loads from it. */
    private static final class JarCheck {

        /** An entry that only a JAR bundling Ember has. */
        private static final String EMBER_CLASS = "io/ember/core/driver/EmberContext.class";

        private JarCheck() {
        }

        /** Fails when {@code jar} is not a readable JAR; warns when it bundles Ember. */
        static void check(Path jar, PrintWriter err) throws UsageException {
            if (!Files.isRegularFile(jar)) {
                throw new UsageException("application JAR " + jar + " does not exist"
                        + (Files.isDirectory(jar) ? " (it is a directory)" : ""));
            }
            try (JarFile file = new JarFile(jar.toFile())) {
                if (file.getEntry(EMBER_CLASS) != null) {
                    err.println(PREFIX + "warning: " + jar + " contains Ember's own classes; the installed Ember's are "
                            + "used instead. Build it with ember-core in scope 'provided'.");
                }
            } catch (ZipException e) {
                throw new UsageException("application JAR " + jar + " is not a JAR file: " + e.getMessage());
            } catch (IOException e) {
                throw new UsageException("cannot read application JAR " + jar + ": " + e.getMessage());
            }
        }
    }
}
