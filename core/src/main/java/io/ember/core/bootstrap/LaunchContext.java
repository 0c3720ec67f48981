package io.ember.core.bootstrap;

import static java.util.Objects.requireNonNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a process starts from: where Ember is installed, where its configuration lives, and
 * the raw environment, system properties and programmatic settings. Nothing here is validated yet.
 *
 * @param emberHome the installation directory ({@code EMBER_HOME}), when known
 * @param confDir the configuration directory, when there is one
 * @param environment the process environment (only {@code EMBER_*} entries matter)
 * @param systemProperties the JVM system properties (only {@code ember.*} entries matter)
 * @param settings settings given on the command line or by the program, highest precedence
 */
public record LaunchContext(Optional<Path> emberHome, Optional<Path> confDir, Map<String, String> environment,
                            Map<String, String> systemProperties, Map<String, String> settings) {

    /** The environment variable naming the installation directory. */
    public static final String EMBER_HOME = "EMBER_HOME";
    /** The environment variable naming the configuration directory. */
    public static final String EMBER_CONF_DIR = "EMBER_CONF_DIR";

    public LaunchContext {
        requireNonNull(emberHome, "emberHome is null");
        requireNonNull(confDir, "confDir is null");
        environment = Map.copyOf(requireNonNull(environment, "environment is null"));
        systemProperties = Map.copyOf(requireNonNull(systemProperties, "systemProperties is null"));
        settings = Map.copyOf(requireNonNull(settings, "settings is null"));
    }

    /**
     * The context of this JVM: {@code EMBER_HOME} from the environment; the configuration directory
     * from {@code confDirOption} if given, else {@code EMBER_CONF_DIR}, else {@code $EMBER_HOME/conf},
     * else {@code ./conf} when it exists.
     */
    public static LaunchContext fromProcess(Path confDirOption, Map<String, String> settings) {
        Map<String, String> env = System.getenv();
        Map<String, String> props = new HashMap<>();
        System.getProperties().forEach((k, v) -> props.put(String.valueOf(k), String.valueOf(v)));
        Optional<Path> home = Optional.ofNullable(env.get(EMBER_HOME)).filter(s -> !s.isBlank()).map(Path::of);
        Optional<Path> conf = Optional.ofNullable(confDirOption)
                .or(() -> Optional.ofNullable(env.get(EMBER_CONF_DIR)).filter(s -> !s.isBlank()).map(Path::of))
                .or(() -> home.map(h -> h.resolve("conf")))
                .or(() -> Optional.of(Path.of("conf")).filter(Files::isDirectory));
        return new LaunchContext(home, conf, env, props, settings);
    }

    /** Resolves a configured path: absolute as given, relative against the home (else the working directory). */
    public Path resolve(String configuredPath) {
        Path path = Path.of(configuredPath);
        if (path.isAbsolute()) {
            return path;
        }
        return emberHome.map(h -> h.resolve(path)).orElse(path.toAbsolutePath()).normalize();
    }
}
