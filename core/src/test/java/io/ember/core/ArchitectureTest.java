package io.ember.core;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.type;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameStartingWith;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.syntax.elements.GivenClassesConjunction;
import io.ember.core.driver.fixture.ParentHalf;
import io.ember.core.driver.fixture.StartsItsOwnThread;
import io.ember.core.driver.fixture.child.ChildHalf;
import io.ember.core.executor.ExecutorArguments;
import io.ember.core.executor.ExecutorMain;
import io.ember.shuffle.fixture.ReachesIntoCore;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The arrows between packages, as {@code docs/architecture.md} draws them, checked on the compiled
 * main code of core and of the bundled plugins (test code is not held to them: integration tests
 * assemble every role, and a fault test reaches into one to break it). Each rule fails the build
 * with the offending dependency named.
 */
final class ArchitectureTest {

    private static final String CORE = "io.ember.core";

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(CORE, "io.ember.scheduler", "io.ember.allocation", "io.ember.shuffle");
    }

    @Test
    void theRulesSeeCoreAndEveryBundledPlugin() {
        for (String name : new String[] {CORE + ".driver", CORE + ".scheduler", "io.ember.scheduler.fifo",
                "io.ember.scheduler.fair", "io.ember.allocation.dynamic", "io.ember.shuffle.sort"}) {
            assertTrue(classes.containPackage(name), name + " was not imported");
        }
        assertTrue(classes.stream().noneMatch(c -> c.getPackageName().startsWith("io.ember.shuffle.fixture")),
                "test classes are not held to the rules");
    }

    @Test
    void coresPackagesHaveNoCycles() {
        cycleRule().check(classes);
    }

    /** A sub-package is a package of its own: the driver's endpoint may not use the context that uses it. */
    @Test
    void theCycleRuleRefusesACycleBetweenAPackageAndItsSubPackage() {
        AssertionError refused = assertThrows(AssertionError.class,
                () -> cycleRule().check(new ClassFileImporter().importClasses(ParentHalf.class, ChildHalf.class)));
        assertTrue(refused.getMessage().contains("ChildHalf"), refused.getMessage());
    }

    /**
     * Every package of core is a slice of its own, sub-packages too ({@code driver},
     * {@code driver.endpoint}, {@code driver.client}), so the arrows between a role's packages point
     * one way as well.
     */
    static ArchRule cycleRule() {
        return slices().matching(CORE + ".(**)").should().beFreeOfCycles();
    }

    @Test
    void eachLayerUsesOnlyTheLayersBelowIt() {
        layers().check(classes);
    }

    /** The layers of core, bottom up; a layer may use its own packages and the layers it names. */
    static ArchRule layers() {
        return layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("building blocks").definedBy(packages("concurrent", "config", "files", "retry", "checks",
                        "function", "serialization", "shuffle", "task", "job", "memory"))
                .layer("storage").definedBy(packages("storage"))
                .layer("transport").definedBy(packages("rpc"))
                .layer("web").definedBy(packages("web"))
                .layer("coordination").definedBy(packages("coordination"))
                .layer("plugins").definedBy(packages("plugin", "allocation", "bootstrap"))
                .layer("jobs").definedBy(packages("dataset", "scheduler"))
                .layer("application status").definedBy(packages("status"))
                .layer("roles").definedBy(packages("master", "worker", "executor", "driver", "history"))
                .layer("local modes").definedBy(packages("local"))
                .layer("command line").definedBy(packages("cli"))
                .whereLayer("building blocks").mayNotAccessAnyLayer()
                .whereLayer("storage").mayOnlyAccessLayers("building blocks")
                .whereLayer("transport").mayOnlyAccessLayers("building blocks")
                .whereLayer("web").mayOnlyAccessLayers("building blocks")
                .whereLayer("coordination").mayOnlyAccessLayers("building blocks")
                .whereLayer("plugins").mayOnlyAccessLayers("building blocks")
                .whereLayer("jobs").mayOnlyAccessLayers("building blocks", "storage", "transport")
                .whereLayer("application status").mayOnlyAccessLayers("building blocks", "storage", "web", "jobs")
                .whereLayer("roles").mayOnlyAccessLayers("building blocks", "storage", "transport", "web",
                        "coordination", "plugins", "jobs", "application status")
                .whereLayer("local modes").mayOnlyAccessLayers("building blocks", "storage", "transport", "web",
                        "coordination", "plugins", "jobs", "application status", "roles")
                .whereLayer("command line").mayOnlyAccessLayers("building blocks", "storage", "transport", "web",
                        "coordination", "plugins", "jobs", "application status", "roles", "local modes");
    }

    @Test
    void aRoleUsesNoOtherRolesInternals() {
        for (ArchRule rule : roleRules()) {
            rule.check(classes);
        }
    }

    /**
     * The master, the worker, the executor and the driver each keep to themselves; the one arrow
     * between roles is the worker's launch of an executor, through the executor's command line.
     */
    static ArchRule[] roleRules() {
        return new ArchRule[] {
            role("master").should().dependOnClassesThat(inRoles("worker", "executor", "driver"))
                    .because("the master reaches workers and drivers over RPC only"),
            role("driver").should().dependOnClassesThat(inRoles("master", "worker", "executor"))
                    .because("the driver reaches the master and its executors over RPC only; local[N] composes "
                            + "an executor in io.ember.core.local"),
            role("executor").should().dependOnClassesThat(inRoles("master", "worker", "driver"))
                    .because("an executor reaches its driver over RPC only"),
            role("worker").should().dependOnClassesThat(inRoles("master", "driver"))
                    .because("a worker reaches the master over RPC only"),
            role("worker").should().dependOnClassesThat(inRoles("executor").and(launchContract().negate()))
                    .because("a worker knows an executor only by its launch contract (ExecutorMain, "
                            + "ExecutorArguments)"),
        };
    }

    @Test
    void protobufTypesStayWithTheTransportAndTheRolesThatSpeakIt() {
        protobufRule().check(classes);
    }

    /**
     * Generated protobuf types are the wire: only the transport and the roles that speak it see
     * them (within a role, only its adapters: {@link #adapterRules()}). The task scheduler talks to
     * executors through its {@code ExecutorGateway} in Ember's types; local[N] implements that
     * gateway on an in-process executor without any message.
     */
    static ArchRule protobufRule() {
        return noClasses().that().resideInAPackage(CORE + "..")
                .and().resideOutsideOfPackages(packages("rpc", "master", "worker", "executor", "driver"))
                .should().dependOnClassesThat().resideInAPackage(CORE + ".rpc.proto..")
                .because("decisions take Ember's own types; only the wire's code builds and parses messages");
    }

    @Test
    void withinEachRoleOnlyItsAdaptersSpeakProtobuf() {
        for (ArchRule rule : adapterRules()) {
            rule.check(classes);
        }
    }

    /**
     * Within a role, decisions take and return the role's own types; only its transport adapters
     * build and parse messages:
     * <ul>
     *   <li>master: {@code MasterRpc} (requests in, answers out), {@code GrpcWorkerGateway} (commands
     *       out), {@code ZooKeeperRecords} (the stored records, whose format stays protobuf) and
     *       {@code MasterMessages} (their conversions);
     *   <li>worker: {@code WorkerRpc} (the leader's commands in), {@code GrpcLeaderGateway}
     *       (registration and reports out), {@code WorkerNode} (its stored record) and
     *       {@code WorkerMessages} (the conversions);
     *   <li>executor: {@code DriverConnection} (the stream to the driver: its messages in as calls,
     *       registration, heartbeats and reports out), {@code DriverJarSource} (JAR fetch),
     *       {@code DriverMapOutputSource} (map output fetch), {@code DriverResultUploader} (large results) and {@code ExecutorMessages} (the conversions,
     *       the registry node's record too);
     *   <li>driver: in {@code driver.client}, towards the master, {@code MasterCalls} (the calls behind
     *       its {@code MasterGateway}) and {@code ApplicationMessages} (the conversions); in
     *       {@code driver.endpoint}, towards executors, {@code DriverService} (the gRPC service and its
     *       registration handshake), {@code ExecutorConnection} (one executor's stream),
     *       {@code ExecutorWire} (the task scheduler's {@code ExecutorGateway}), {@code ResultUpload}
     *       (large results), {@code JarServer} (the application's JARs) and {@code MapOutputServer}
     *       (the map outputs running stages read).
     * </ul>
     * An adapter is named by its path below the role's package ({@code endpoint.ExecutorWire}), so a
     * class of the same name elsewhere in the role is not one.
     */
    static ArchRule[] adapterRules() {
        return new ArchRule[] {
            adapterRule("master", "MasterRpc", "GrpcWorkerGateway", "ZooKeeperRecords", "MasterMessages"),
            adapterRule("worker", "WorkerRpc", "GrpcLeaderGateway", "WorkerNode", "WorkerMessages"),
            adapterRule("executor", "DriverConnection", "DriverJarSource", "DriverMapOutputSource",
                    "DriverResultUploader", "ExecutorMessages"),
            adapterRule("driver", "client.MasterCalls", "client.ApplicationMessages", "endpoint.DriverService",
                    "endpoint.ExecutorConnection", "endpoint.ExecutorWire", "endpoint.ResultUpload",
                    "endpoint.JarServer", "endpoint.MapOutputServer"),
        };
    }

    private static ArchRule adapterRule(String role, String... adapters) {
        String pkg = CORE + "." + role;
        String names = Arrays.stream(adapters).map(Pattern::quote).collect(Collectors.joining("|"));
        return noClasses().that().resideInAPackage(pkg + "..")
                .and().haveNameNotMatching(Pattern.quote(pkg + ".") + "(" + names + ")(\\$.*)?")
                .should().dependOnClassesThat().resideInAPackage(CORE + ".rpc.proto..")
                .because("the " + role + "'s decisions are read and tested without the wire; its adapters are "
                        + String.join(", ", adapters));
    }

    @Test
    void onlyTheConcurrentPackageMakesThreads() {
        threadRule().check(classes);
    }

    @Test
    void theThreadRuleRefusesAClassThatStartsItsOwnThread() {
        AssertionError refused = assertThrows(AssertionError.class,
                () -> threadRule().check(new ClassFileImporter().importClasses(StartsItsOwnThread.class)));
        assertTrue(refused.getMessage().contains("StartsItsOwnThread"), refused.getMessage());
    }

    /**
     * A thread is an event loop or comes from {@code Threads} (named, its death logged): no other
     * class constructs one, or a single-thread executor of its own.
     */
    static ArchRule threadRule() {
        return noClasses().that().resideInAPackage(CORE + "..")
                .and().resideOutsideOfPackage(CORE + ".concurrent..")
                .should().callConstructorWhere(target(owner(assignableTo(Thread.class))))
                .orShould().callMethodWhere(target(owner(type(Executors.class)))
                        .and(target(nameStartingWith("newSingleThread"))))
                .because("every loop is an EventLoop and every other thread comes from Threads");
    }

    @Test
    void pluginsUseOnlyTheApi() {
        pluginRule().check(classes);
    }

    /** Maven already keeps a plugin module from compiling against core; the rule still must see one that did. */
    @Test
    void thePluginRuleRefusesAPluginClassThatUsesCore() {
        AssertionError refused = assertThrows(AssertionError.class,
                () -> pluginRule().check(new ClassFileImporter().importClasses(ReachesIntoCore.class)));
        assertTrue(refused.getMessage().contains("ReachesIntoCore"), refused.getMessage());
    }

    /** The bundled plugins compile against {@code ember-api} alone, like a third party's. */
    static ArchRule pluginRule() {
        return noClasses().that().resideInAnyPackage("io.ember.scheduler..", "io.ember.allocation..",
                        "io.ember.shuffle..")
                .should().dependOnClassesThat().resideInAnyPackage(CORE + "..", "io.ember.plugins..")
                .because("a plugin sees only io.ember.api and its own dependencies");
    }

    private static GivenClassesConjunction role(String name) {
        return noClasses().that().resideInAPackage(CORE + "." + name + "..");
    }

    private static DescribedPredicate<JavaClass> inRoles(String... names) {
        return JavaClass.Predicates.resideInAnyPackage(packages(names)).as("are in " + String.join(", ", names));
    }

    private static DescribedPredicate<JavaClass> launchContract() {
        return JavaClass.Predicates.belongToAnyOf(ExecutorMain.class, ExecutorArguments.class);
    }

    private static String[] packages(String... names) {
        String[] packages = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            packages[i] = CORE + "." + names[i] + "..";
        }
        return packages;
    }
}
