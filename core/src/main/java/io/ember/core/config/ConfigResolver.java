package io.ember.core.config;

import io.ember.api.config.ConfigKey;
import io.ember.api.config.DeclaredSettings;
import io.ember.api.config.InvalidSettingException;
import io.ember.api.config.Suggestions;
import io.ember.api.plugin.PolicyKind;
import io.ember.core.config.KeyCatalog.Located;
import io.ember.core.config.KeyCatalog.PolicyRef;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks every raw setting against the catalog and builds one {@link DeclaredSettings} per
 * component, collecting every problem before failing. Used once, by {@link EmberConfig#resolve}.
 */
final class ConfigResolver {

    private final KeyCatalog catalog;
    private final List<ConfigProblem> problems = new ArrayList<>();
    private final Map<String, DeclaredSettings.Builder> builders = new LinkedHashMap<>();
    private final Set<PolicyFile> reportedPolicyFiles = new HashSet<>();

    private ConfigResolver(KeyCatalog catalog) {
        this.catalog = catalog;
        for (KeySet keys : catalog.allKeySets()) {
            builders.put(keys.prefix(), DeclaredSettings.builder(keys.prefix(), keys.keys()));
        }
    }

    /**
     * The checked views, by prefix ({@code ""} for the core).
     *
     * @throws ConfigException with every problem when there is any
     */
    static Map<String, DeclaredSettings> resolve(ConfigSources sources, KeyCatalog catalog) {
        ConfigResolver resolver = new ConfigResolver(catalog);
        resolver.problems.addAll(sources.problems());
        sources.inPrecedenceOrder().forEach(resolver::accept);
        return resolver.build();
    }

    private void accept(RawSetting raw) {
        switch (raw.source()) {
            case MAIN_FILE -> acceptFullKey(raw, true);
            case SYSTEM_PROPERTY, APPLICATION -> acceptFullKey(raw, false);
            case POLICY_FILE -> acceptPolicyFileKey(raw);
            case ENVIRONMENT -> acceptEnvironmentVariable(raw);
        }
    }

    private void acceptFullKey(RawSetting raw, boolean mainFile) {
        String key = raw.name();
        if (!key.startsWith("ember.")) {
            if (mainFile) {
                String suggestion = catalog.locate("ember." + key).map(Located::fullName)
                        .or(() -> Suggestions.closest(key, catalog.fullNames()))
                        .map(s -> " (did you mean " + s + "?)").orElse("");
                problem(key, raw, "is not an Ember key; keys in " + ConfigSources.MAIN_FILE_NAME
                        + " start with 'ember.'" + suggestion);
            }
            return;
        }
        Optional<Located> located = catalog.locate(key);
        if (located.isPresent()) {
            check(located.get(), raw);
            return;
        }
        Optional<PolicyRef> policy = KeyCatalog.policyNamed(key);
        if (policy.isPresent() && !catalog.hasPolicy(policy.get().kind(), policy.get().name())) {
            problem(key, raw, unknownPolicy(policy.get().kind(), policy.get().name()));
        } else {
            problem(key, raw, "unknown key" + didYouMean(key, catalog.fullNames()));
        }
    }

    private void acceptPolicyFileKey(RawSetting raw) {
        PolicyFile file = raw.policyFile();
        if (!catalog.hasPolicy(file.kind(), file.name())) {
            if (reportedPolicyFiles.add(file)) {
                List<String> fileNames = catalog.policyNames(file.kind()).stream().map(file.kind()::fileName).toList();
                String suggestion = Suggestions.closest(file.kind().fileName(file.name()), fileNames)
                        .map(s -> " (did you mean " + s + "?)").orElse("");
                problems.add(new ConfigProblem("", file.path(), "is for " + withArticle(file.kind()) + " policy named '"
                        + file.name() + "', which no loaded plugin offers" + suggestion + "; available "
                        + file.kind().id() + " policies: " + catalog.available(file.kind())));
            }
            return;
        }
        KeySet keys = catalog.keySet(file.kind(), file.name());
        Optional<ConfigKey<?>> key = keys.find(raw.name());
        if (key.isPresent()) {
            check(new Located(keys, raw.name(), key.get()), raw);
        } else if (raw.name().startsWith(file.prefix()) && keys.find(raw.name().substring(file.prefix().length())).isPresent()) {
            problem(raw.name(), raw, "keys in this file are relative to " + file.prefix() + "; write "
                    + raw.name().substring(file.prefix().length()));
        } else {
            problem(file.prefix() + raw.name(), raw, "unknown key for the " + file.name() + " " + file.kind().id()
                    + " policy" + didYouMean(raw.name(), keys.names()));
        }
    }

    private void acceptEnvironmentVariable(RawSetting raw) {
        Optional<Located> located = catalog.locateEnvironmentVariable(raw.name());
        if (located.isPresent()) {
            check(located.get(), raw);
            return;
        }
        Optional<String> suggestion = Suggestions.closest(raw.name(), catalog.environmentVariables());
        problem(raw.name(), raw, "unknown environment variable" + suggestion
                .map(s -> " (did you mean " + s + "?)")
                .orElse("; EMBER_* variables set Ember keys (ember.task.cpus is EMBER_TASK_CPUS; keys with a <name> "
                        + "part have no variable), apart from the launcher's own: "
                        + String.join(", ", new TreeSet<>(EnvironmentVariables.RESERVED))));
    }

    private void check(Located located, RawSetting raw) {
        try {
            located.key().parse(raw.value());
        } catch (IllegalArgumentException e) {
            problem(located.fullName(), raw, e.getMessage());
            return;
        }
        builders.get(located.keys().prefix()).set(located.relativeName(), raw.value(), raw.origin());
    }

    private Map<String, DeclaredSettings> build() {
        for (DeclaredSettings.Builder builder : builders.values()) {
            for (InvalidSettingException e : builder.problems()) {
                problems.add(new ConfigProblem(e.key(), e.origin(), e.reason()));
            }
        }
        if (problems.isEmpty()) {
            Map<String, DeclaredSettings> views = new LinkedHashMap<>();
            builders.forEach((prefix, builder) -> views.put(prefix, builder.build()));
            checkCoresPerTask(views.get(""));
            if (problems.isEmpty()) {
                return views;
            }
        }
        throw new ConfigException(problems);
    }

    /** A task that needs more cores than an executor has could never run. */
    private void checkCoresPerTask(DeclaredSettings core) {
        Collection<ConfigKey<?>> declared = catalog.coreKeys();
        if (!declared.contains(EmberKeys.TASK_CPUS) || !declared.contains(EmberKeys.EXECUTOR_CORES)) {
            return;
        }
        int taskCpus = core.get(EmberKeys.TASK_CPUS);
        int executorCores = core.get(EmberKeys.EXECUTOR_CORES);
        if (taskCpus > executorCores) {
            String coresKey = EmberKeys.EXECUTOR_CORES.name();
            problems.add(new ConfigProblem(EmberKeys.TASK_CPUS.name(), core.origin(EmberKeys.TASK_CPUS.name()),
                    taskCpus + " exceeds " + coresKey + " (" + executorCores + ", from " + core.origin(coresKey)
                            + "), so no executor could run a task"));
        }
    }

    private String unknownPolicy(PolicyKind kind, String name) {
        return "no loaded plugin offers " + withArticle(kind) + " policy named '" + name + "'"
                + didYouMean(name, catalog.policyNames(kind)) + "; available: " + catalog.available(kind);
    }

    /** "a scheduler", "an allocation". */
    private static String withArticle(PolicyKind kind) {
        return ("aeiou".indexOf(kind.id().charAt(0)) >= 0 ? "an " : "a ") + kind.id();
    }

    private static String didYouMean(String typed, Collection<String> candidates) {
        return Suggestions.closest(typed, candidates).map(s -> " (did you mean " + s + "?)").orElse("");
    }

    private void problem(String key, RawSetting raw, String message) {
        problems.add(new ConfigProblem(key, raw.origin(), message));
    }
}
