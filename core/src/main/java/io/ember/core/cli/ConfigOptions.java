package io.ember.core.cli;

import io.ember.core.config.EmberKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The options every command that loads configuration shares. */
final class ConfigOptions {

    /** Set by picocli: the command this mixin belongs to, for usage errors. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** Null unless {@code --conf-dir} was given; then a directory that exists. */
    Path confDir;

    @Option(names = "--conf-dir", paramLabel = "DIR",
            description = "The configuration directory (default: $EMBER_CONF_DIR, else $EMBER_HOME/conf).")
    void confDir(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ParameterException(command.commandLine(), "--conf-dir " + dir + (Files.exists(dir)
                    ? " is not a directory" : " does not exist"));
        }
        confDir = dir;
    }

    @Option(names = "--conf", paramLabel = "KEY=VALUE",
            description = "A setting, above every other source; repeatable. Example: --conf ember.worker.cores=4")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--plugins-dir", paramLabel = "DIR",
            description = "The plugins directory (default: ember.plugins.dir, i.e. $EMBER_HOME/plugins).")
    Path pluginsDir;

    /** The command-line settings, with --plugins-dir folded in as ember.plugins.dir. */
    Map<String, String> settings() {
        Map<String, String> given = new LinkedHashMap<>(settings);
        if (pluginsDir != null) {
            given.put(EmberKeys.PLUGINS_DIR.name(), pluginsDir.toAbsolutePath().toString());
        }
        return given;
    }
}
