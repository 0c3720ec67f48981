package io.ember.plugins;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes the Java source of a small test plugin: a {@code Plugin} whose scheduler factories create
 * last-in-first-out queues, whose allocation factories ask for the configured executor count on
 * start, and whose shuffle factories create managers named after themselves. Parts can be replaced
 * by Java snippets to make the plugin misbehave.
 */
final class TestingPlugin {

    private final String packageName;
    private String nameExpression;
    private String constructorBody = "";
    private String description = "\"last in, first out\"";
    private final List<String> schedulers = new ArrayList<>();
    private final List<String> allocations = new ArrayList<>();
    private final List<String> shuffles = new ArrayList<>();
    private String schedulerFactoriesExpression;
    private final List<String> members = new ArrayList<>();

    private TestingPlugin(String name) {
        requireNonNull(name, "name is null");
        this.packageName = "testplugin.p_" + name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
        this.nameExpression = literal(name);
    }

    /** A plugin whose {@code name()} returns {@code name}. */
    static TestingPlugin plugin(String name) {
        return new TestingPlugin(name);
    }

    String className() {
        return packageName + ".TestPlugin";
    }

    TestingPlugin scheduler(String factoryName) {
        schedulers.add("new LifoSchedulerFactory(" + literal(factoryName) + ")");
        return this;
    }

    TestingPlugin allocation(String factoryName) {
        allocations.add("new StartingAllocationFactory(" + literal(factoryName) + ")");
        return this;
    }

    TestingPlugin shuffle(String factoryName) {
        shuffles.add("new NamedShuffleFactory(" + literal(factoryName) + ")");
        return this;
    }

    /** Java statements run by the plugin's constructor. */
    TestingPlugin constructor(String statements) {
        this.constructorBody = requireNonNull(statements, "statements is null");
        return this;
    }

    /** The Java expression {@code name()} returns. */
    TestingPlugin nameExpression(String expression) {
        this.nameExpression = requireNonNull(expression, "expression is null");
        return this;
    }

    /** The Java expression every factory's {@code description()} returns. */
    TestingPlugin description(String expression) {
        this.description = requireNonNull(expression, "expression is null");
        return this;
    }

    /** The Java expression {@code schedulerFactories()} returns, instead of the declared schedulers. */
    TestingPlugin schedulerFactories(String expression) {
        this.schedulerFactoriesExpression = requireNonNull(expression, "expression is null");
        return this;
    }

    /** Adds a member (method, field or nested class) to the plugin class. */
    TestingPlugin member(String code) {
        members.add(requireNonNull(code, "code is null"));
        return this;
    }

    /** A JAR holding this plugin and declaring it as the provider. */
    TestingPluginJar jar() {
        return TestingPluginJar.jar().source(className(), source()).provider(className());
    }

    /** Writes {@link #jar()} to {@code file}. */
    Path writeTo(Path file) {
        return jar().writeTo(file);
    }

    String source() {
        String schedulerList = schedulerFactoriesExpression != null ? schedulerFactoriesExpression : list(schedulers);
        return """
                package %s;

                import io.ember.api.allocation.*;
                import io.ember.api.config.Settings;
                import io.ember.api.plugin.Plugin;
                import io.ember.api.scheduler.*;
                import io.ember.api.shuffle.*;
                import java.util.*;
                import java.util.function.Predicate;

                public final class TestPlugin implements Plugin {

                    public TestPlugin() {
                        %s
                    }

                    @Override
                    public String name() {
                        return %s;
                    }

                    @Override
                    public List<SchedulerFactory> schedulerFactories() {
                        return %s;
                    }

                    @Override
                    public List<AllocationPolicyFactory> allocationPolicyFactories() {
                        return %s;
                    }

                    @Override
                    public List<ShuffleManagerFactory> shuffleManagerFactories() {
                        return %s;
                    }

                    static String description() {
                        return %s;
                    }

                    %s

                    public static final class LifoSchedulerFactory implements SchedulerFactory {
                        private final String name;

                        public LifoSchedulerFactory(String name) {
                            this.name = name;
                        }

                        @Override public String name() { return name; }
                        @Override public String description() { return TestPlugin.description(); }
                        @Override public SchedulingPolicy create(Settings settings) { return level -> new LifoQueue(); }
                    }

                    static final class LifoQueue implements SchedulingQueue {
                        private final Deque<Schedulable> items = new ArrayDeque<>();

                        @Override public void add(Schedulable item) { items.push(item); }
                        @Override public void remove(Schedulable item) { items.remove(item); }
                        @Override public void update(Schedulable item) { }
                        @Override public Schedulable offer(Predicate<? super Schedulable> accepts) {
                            for (Schedulable item : items) {
                                if (item.pending() > 0 && accepts.test(item)) {
                                    return item;
                                }
                            }
                            return null;
                        }
                        @Override public List<GroupStatus> groups() {
                            return List.of(new GroupStatus("default", "lifo", 1, 0, Integer.MAX_VALUE, 0, 0, items.size()));
                        }
                    }

                    public static final class StartingAllocationFactory implements AllocationPolicyFactory {
                        private final String name;

                        public StartingAllocationFactory(String name) {
                            this.name = name;
                        }

                        @Override public String name() { return name; }
                        @Override public String description() { return TestPlugin.description(); }
                        @Override public AllocationPolicy create(Settings settings, AllocationContext context) {
                            return () -> context.client().requestTotalExecutors(context.configuredExecutors());
                        }
                    }

                    public static final class NamedShuffleFactory implements ShuffleManagerFactory {
                        private final String name;

                        public NamedShuffleFactory(String name) {
                            this.name = name;
                        }

                        @Override public String name() { return name; }
                        @Override public String description() { return TestPlugin.description(); }
                        @Override public ShuffleManager create(Settings settings) { return () -> name; }
                    }
                }
                """.formatted(packageName, constructorBody, nameExpression, schedulerList, list(allocations), list(shuffles), description,
                String.join("\n\n", members));
    }

    private static String list(List<String> expressions) {
        return "List.of(" + String.join(", ", expressions) + ")";
    }

    private static String literal(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
