package io.ember.core.cli;

import static java.util.Objects.requireNonNull;

import ch.qos.logback.classic.Level;
import io.ember.api.plugin.PolicyKind;
import io.ember.core.bootstrap.Bootstrap;
import io.ember.core.bootstrap.LaunchContext;
import io.ember.core.config.ConfigException;
import io.ember.core.config.ConfigProblem;
import io.ember.core.config.ConfigSources;
import io.ember.core.config.EmberConfig;
import io.ember.core.config.EmberKeys;
import io.ember.core.plugin.PolicySelector;
import io.ember.plugins.LoadedPlugin;
import io.ember.plugins.PluginManager;
import io.ember.plugins.PluginRefusal;
import io.ember.plugins.PluginSet;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ember plugins}: lists every plugin found (built in and in the plugins directory) with its
 * factories, version, API version and location, every refused plugin with the reason, and the
 * policies the configuration selects. Exits 1 when the configuration is invalid or selects a
 * policy that is missing or was refused.
 */
@Command(name = "plugins",
        mixinStandardHelpOptions = true,
        description = {
            "List the plugins found, the ones refused and why, and the policies the configuration selects.",
            "Exits 1 when a selected policy is missing or refused, or the configuration is invalid."
        })
final class PluginsCommand implements Callable<Integer> {

    private final EmberCli cli;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ConfigOptions config = new ConfigOptions();

    @Option(names = {"-v", "--verbose"}, description = "Also show the plugin host's log lines.")
    boolean verbose;

    PluginsCommand(EmberCli cli) {
        this.cli = requireNonNull(cli, "cli is null");
    }

    @Override
    public Integer call() {
        if (!verbose) {
            quietLogger("io.ember.plugins");
        }
        PrintWriter out = spec.commandLine().getOut();
        LaunchContext launch = cli.launchContext(config.confDir, config.settings());
        Bootstrap bootstrap = new Bootstrap(launch);
        ConfigSources sources = bootstrap.readSources();
        try (PluginManager manager = bootstrap.pluginManager(sources)) {
            PluginSet plugins = manager.load();
            out.println("Plugins directory: " + bootstrap.pluginsDir(sources).map(Path::toString)
                    .orElse("(none: EMBER_HOME is not set; built-in plugins only)"));
            out.println("Configuration:     " + launch.confDir().map(Path::toString).orElse("(none)"));
            out.println();
            printPlugins(out, plugins.plugins());
            printRefusals(out, plugins.refusals());
            return printSelection(out, bootstrap, sources, plugins);
        }
    }

    private static void printPlugins(PrintWriter out, List<LoadedPlugin> plugins) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"PLUGIN", "VERSION", "API", "FACTORIES", "LOCATION"});
        for (LoadedPlugin plugin : plugins) {
            rows.add(new String[] {plugin.name(), plugin.version(), plugin.apiVersion().toString(),
                factories(plugin), plugin.location()});
        }
        out.println("Plugins (" + plugins.size() + "):");
        Table.print(out, rows);
    }

    private static String factories(LoadedPlugin plugin) {
        List<String> parts = new ArrayList<>();
        plugin.schedulerFactories().forEach(f -> parts.add(PolicyKind.SCHEDULER.id() + ":" + f.name()));
        plugin.allocationPolicyFactories().forEach(f -> parts.add(PolicyKind.ALLOCATION.id() + ":" + f.name()));
        plugin.shuffleManagerFactories().forEach(f -> parts.add(PolicyKind.SHUFFLE.id() + ":" + f.name()));
        return parts.isEmpty() ? "-" : String.join(" ", parts);
    }

    private static void printRefusals(PrintWriter out, List<PluginRefusal> refusals) {
        out.println();
        if (refusals.isEmpty()) {
            out.println("Refused: none");
            return;
        }
        out.println("Refused (" + refusals.size() + "):");
        for (PluginRefusal refusal : refusals) {
            out.println("  " + refusal);
        }
    }

    private int printSelection(PrintWriter out, Bootstrap bootstrap, ConfigSources sources, PluginSet plugins) {
        out.println();
        PrintWriter err = spec.commandLine().getErr();
        EmberConfig config;
        try {
            config = EmberConfig.resolve(sources, Bootstrap.catalog(plugins));
        } catch (ConfigException e) {
            printProblems(err, "The configuration is invalid", e.problems());
            return 1;
        }
        PolicySelector selector = new PolicySelector(config.core(), plugins.refusals());
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"KIND", "POLICY", "FROM PLUGIN", "SET BY"});
        for (PolicyKind kind : PolicyKind.values()) {
            String name = selector.selectedName(kind);
            String plugin = plugins.pluginOffering(kind, name).map(LoadedPlugin::name).orElse("MISSING");
            rows.add(new String[] {kind.id(), name, plugin, config.core().origin(EmberKeys.selector(kind).name())});
        }
        out.println("Selected policies:");
        Table.print(out, rows);
        try {
            selector.select(plugins.schedulerFactories(), plugins.allocationPolicyFactories(),
                    plugins.shuffleManagerFactories());
        } catch (ConfigException e) {
            printProblems(err, "A selected policy is not available", e.problems());
            return 1;
        }
        return 0;
    }

    static void printProblems(PrintWriter err, String heading, List<ConfigProblem> problems) {
        err.println(heading + ":");
        for (ConfigProblem problem : problems) {
            err.println("  - " + problem.key() + " (" + problem.origin() + "): " + problem.message());
        }
        err.flush();
    }

    private static void quietLogger(String name) {
        if (LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger) {
            logger.setLevel(Level.ERROR);
        }
    }
}
