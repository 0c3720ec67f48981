package io.ember.core.config;

import static java.util.Objects.requireNonNull;

import io.ember.api.config.ConfigKey;
import io.ember.api.plugin.PolicyKind;
import io.ember.core.config.RawSetting.Source;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every raw setting Ember was given, with where each came from, before any is checked against a
 * declaration (that is {@link EmberConfig#resolve}).
 *
 * <p>The layers, lowest precedence first:
 * <ol>
 *   <li>{@code ember.properties} in the conf directory (full keys);
 *   <li>{@code <kind>-<name>.properties} in the conf directory, such as
 *       {@code scheduler-fair.properties}, in file name order (keys relative to
 *       {@code ember.<kind>.<name>.}); other files there are ignored;
 *   <li>environment variables {@code EMBER_*} except the launcher's own
 *       ({@code EMBER_HOME}, {@code EMBER_CONF_DIR}, {@code EMBER_JAVA_OPTS}, {@code EMBER_JAVA},
 *       {@code EMBER_LOG_DIR});
 *   <li>system properties {@code ember.*};
 *   <li>settings given programmatically or per application (full keys; keys outside
 *       {@code ember.} are not Ember's and are ignored).
 * </ol>
 * Defaults, below all of these, come from the declarations. Environment and system properties are
 * passed in, never read from the running process here.
 *
 * <p>Immutable and thread-safe.
 */
public final class ConfigSources {

    /** The name of the main configuration file in the conf directory. */
    public static final String MAIN_FILE_NAME = "ember.properties";

    static final String APPLICATION_ORIGIN = "application setting";

    private static final Pattern POLICY_FILE_NAME = Pattern.compile("("
            + Arrays.stream(PolicyKind.values()).map(PolicyKind::id).collect(Collectors.joining("|"))
            + ")-([A-Za-z0-9_-]+)\\.properties");

    private final Path confDir;
    private final List<RawSetting> files;
    private final List<RawSetting> environment;
    private final List<RawSetting> systemProperties;
    private final Map<String, String> application;
    private final List<ConfigProblem> problems;

    private ConfigSources(Path confDir, List<RawSetting> files, List<RawSetting> environment,
                          List<RawSetting> systemProperties, Map<String, String> application,
                          List<ConfigProblem> problems) {
        this.confDir = confDir;
        this.files = List.copyOf(files);
        this.environment = List.copyOf(environment);
        this.systemProperties = List.copyOf(systemProperties);
        this.application = new TreeMap<>(application);
        this.problems = List.copyOf(problems);
    }

    /**
     * Reads every source. Nothing is validated yet, and nothing is thrown for unreadable or
     * malformed files: those problems are kept and reported by {@link EmberConfig#resolve} with
     * all others.
     *
     * @param confDirOrNull the conf directory; {@code null} or a directory that does not exist
     *     means no files (all defaults)
     * @param environment the process environment (only {@code EMBER_*} variables are read)
     * @param systemProperties the system properties (only {@code ember.*} ones are read)
     * @param programmatic settings given in code, full keys to text
     */
    public static ConfigSources read(Path confDirOrNull, Map<String, String> environment,
                                     Map<String, String> systemProperties, Map<String, String> programmatic) {
        requireNonNull(environment, "environment is null");
        requireNonNull(systemProperties, "systemProperties is null");
        requireNonNull(programmatic, "programmatic is null");
        List<ConfigProblem> problems = new ArrayList<>();
        List<RawSetting> files = confDirOrNull == null ? List.of() : readConfDir(confDirOrNull, problems);

        List<RawSetting> env = new ArrayList<>();
        new TreeMap<>(environment).forEach((variable, value) -> {
            if (EnvironmentVariables.isSetting(variable)) {
                env.add(new RawSetting(Source.ENVIRONMENT, variable, value, "environment variable " + variable, null));
            }
        });
        List<RawSetting> system = new ArrayList<>();
        new TreeMap<>(systemProperties).forEach((key, value) -> {
            if (key.startsWith("ember.")) {
                system.add(new RawSetting(Source.SYSTEM_PROPERTY, key, value, "system property -D" + key, null));
            }
        });
        programmatic.forEach((key, value) -> {
            requireNonNull(key, "programmatic setting with a null key");
            requireNonNull(value, "programmatic setting " + key + " is null");
        });
        return new ConfigSources(confDirOrNull, files, env, system, programmatic, problems);
    }

    /**
     * The text for a full key as the sources give it, by precedence, without checking it against
     * any declaration; for reading a fixed key such as {@code ember.plugins.dir} before the plugins
     * that declare the other keys are loaded. Empty when no source sets it (the default applies).
     * The text is as written: parse it with the key's {@link ConfigKey#parse}.
     */
    public Optional<String> rawValue(String fullKey) {
        requireNonNull(fullKey, "fullKey is null");
        List<RawSetting> all = inPrecedenceOrder();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).sets(fullKey)) {
                return Optional.of(all.get(i).value());
            }
        }
        return Optional.empty();
    }

    /** Every raw setting, lowest precedence first. */
    List<RawSetting> inPrecedenceOrder() {
        List<RawSetting> app = new ArrayList<>();
        application.forEach((key, value) -> {
            if (key.startsWith("ember.")) {
                app.add(new RawSetting(Source.APPLICATION, key, value, APPLICATION_ORIGIN, null));
            }
        });
        return Stream.of(files, environment, systemProperties, app).flatMap(List::stream).toList();
    }

    /** What was wrong with the files while reading them. */
    List<ConfigProblem> problems() {
        return problems;
    }

    /** These sources with further application settings on top of those given so far. */
    ConfigSources withApplicationSettings(Map<String, String> settings) {
        Map<String, String> merged = new TreeMap<>(application);
        settings.forEach((key, value) -> merged.put(requireNonNull(key, "application setting with a null key"),
                requireNonNull(value, "application setting " + key + " is null")));
        return new ConfigSources(confDir, files, environment, systemProperties, merged, problems);
    }

    /**
     * These sources with the conf directory's files read again as they are now; the environment,
     * system properties and programmatic settings stay as they were read.
     */
    ConfigSources withFilesReread() {
        List<ConfigProblem> fileProblems = new ArrayList<>();
        List<RawSetting> reread = confDir == null ? List.of() : readConfDir(confDir, fileProblems);
        return new ConfigSources(confDir, reread, environment, systemProperties, application, fileProblems);
    }

    private static List<RawSetting> readConfDir(Path confDir, List<ConfigProblem> problems) {
        if (!Files.exists(confDir)) {
            return List.of();
        }
        if (!Files.isDirectory(confDir)) {
            problems.add(new ConfigProblem("", confDir.toString(), "is not a directory"));
            return List.of();
        }
        List<RawSetting> settings = new ArrayList<>();
        Path main = confDir.resolve(MAIN_FILE_NAME);
        if (Files.exists(main)) {
            readFile(main, displayPath(confDir, MAIN_FILE_NAME), null, settings, problems);
        }
        List<Path> policyFiles;
        try (Stream<Path> listing = Files.list(confDir)) {
            policyFiles = listing.filter(p -> POLICY_FILE_NAME.matcher(p.getFileName().toString()).matches())
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            problems.add(new ConfigProblem("", confDir.toString(), "cannot be listed: " + e));
            return settings;
        }
        for (Path file : policyFiles) {
            String fileName = file.getFileName().toString();
            Matcher m = POLICY_FILE_NAME.matcher(fileName);
            if (!m.matches()) {
                throw new IllegalStateException("filtered file does not match: " + fileName);
            }
            PolicyFile policyFile = new PolicyFile(kindOf(m.group(1)), m.group(2), displayPath(confDir, fileName));
            readFile(file, policyFile.path(), policyFile, settings, problems);
        }
        return settings;
    }

    private static void readFile(Path file, String path, PolicyFile policyFile, List<RawSetting> settings,
                                 List<ConfigProblem> problems) {
        PropertiesFile content = PropertiesFile.read(file);
        String prefix = policyFile == null ? "" : policyFile.prefix();
        for (PropertiesFile.Problem problem : content.problems()) {
            String key = problem.key().isEmpty() ? "" : prefix + problem.key();
            String origin = problem.line() > 0 ? path + ":" + problem.line() : path;
            problems.add(new ConfigProblem(key, origin, problem.message()));
        }
        Source source = policyFile == null ? Source.MAIN_FILE : Source.POLICY_FILE;
        for (PropertiesFile.Entry entry : content.entries()) {
            settings.add(new RawSetting(source, entry.key(), entry.value(), path + ":" + entry.line(), policyFile));
        }
    }

    /** {@code conf/ember.properties}: the file relative to the conf directory's parent. */
    private static String displayPath(Path confDir, String fileName) {
        Path dirName = confDir.getFileName();
        return dirName == null ? confDir.resolve(fileName).toString() : dirName + "/" + fileName;
    }

    private static PolicyKind kindOf(String id) {
        for (PolicyKind kind : PolicyKind.values()) {
            if (kind.id().equals(id)) {
                return kind;
            }
        }
        throw new IllegalStateException("no policy kind " + id);
    }
}
