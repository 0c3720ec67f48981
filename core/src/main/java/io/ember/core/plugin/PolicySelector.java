package io.ember.core.plugin;

import static java.util.Objects.requireNonNull;

import io.ember.api.allocation.AllocationPolicyFactory;
import io.ember.api.config.ConfigKey;
import io.ember.api.config.Settings;
import io.ember.api.config.Suggestions;
import io.ember.api.plugin.PolicyFactory;
import io.ember.api.plugin.PolicyKind;
import io.ember.api.scheduler.SchedulerFactory;
import io.ember.api.shuffle.ShuffleManagerFactory;
import io.ember.core.config.ConfigException;
import io.ember.core.config.ConfigProblem;
import io.ember.core.config.EmberKeys;
import io.ember.plugins.PluginRefusal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Chooses the configured factory of each {@link PolicyKind} by name. A name no loaded plugin offers
 * is a configuration problem that says what is available and which plugins were refused, so an
 * operator sees at once why, say, {@code fair} is missing.
 */
public final class PolicySelector {

    private final Settings coreSettings;
    private final List<PluginRefusal> refusals;

    /**
     * @param coreSettings the validated core settings (holding the selector keys)
     * @param refusals the plugins the host refused, quoted when a selected name is missing
     */
    public PolicySelector(Settings coreSettings, List<PluginRefusal> refusals) {
        this.coreSettings = requireNonNull(coreSettings, "coreSettings is null");
        this.refusals = List.copyOf(requireNonNull(refusals, "refusals is null"));
    }

    /** The configured name of a kind's policy. */
    public String selectedName(PolicyKind kind) {
        return coreSettings.get(EmberKeys.selector(kind));
    }

    /**
     * Selects all three kinds.
     *
     * @throws ConfigException listing every kind whose selected name is not available
     */
    public SelectedPolicies select(Map<String, SchedulerFactory> schedulers,
                                   Map<String, AllocationPolicyFactory> allocations,
                                   Map<String, ShuffleManagerFactory> shuffles) {
        List<ConfigProblem> problems = new ArrayList<>();
        SchedulerFactory scheduler = pick(PolicyKind.SCHEDULER, schedulers, problems);
        AllocationPolicyFactory allocation = pick(PolicyKind.ALLOCATION, allocations, problems);
        ShuffleManagerFactory shuffle = pick(PolicyKind.SHUFFLE, shuffles, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new SelectedPolicies(scheduler, allocation, shuffle);
    }

    private <F extends PolicyFactory> F pick(PolicyKind kind, Map<String, F> available, List<ConfigProblem> problems) {
        ConfigKey<String> key = EmberKeys.selector(kind);
        String name = coreSettings.get(key);
        F factory = available.get(name);
        if (factory == null) {
            problems.add(new ConfigProblem(key.name(), coreSettings.origin(key.name()), missingMessage(kind, name, available)));
        }
        return factory;
    }

    private String missingMessage(PolicyKind kind, String name, Map<String, ?> available) {
        StringBuilder message = new StringBuilder("no ").append(kind.id()).append(" policy named '").append(name).append('\'');
        Suggestions.closest(name, available.keySet()).ifPresent(s -> message.append(" (did you mean '").append(s).append("'?)"));
        message.append("; available: ").append(available.isEmpty() ? "none" : String.join(", ", available.keySet()));
        if (!refusals.isEmpty()) {
            message.append("; refused plugins: ")
                    .append(refusals.stream().map(PluginRefusal::toString).collect(Collectors.joining("; ")));
        }
        return message.toString();
    }
}
