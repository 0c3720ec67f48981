/**
 * The {@code ember} command line (picocli): {@code master}, {@code worker}, {@code submit},
 * {@code local-cluster}, {@code shuffle-service} and {@code plugins}. The top layer: it starts the
 * roles and depends on them; nothing depends on it.
 *
 * <h2>{@link SubmitCommand}</h2>
 *
 * <p>The contract with the application: before its class is loaded, the settings of the command
 * line become <b>system properties</b> ({@code ember.master} from {@code --master},
 * {@code ember.app.name} from {@code --name}, each {@code --conf KEY=VALUE}), and
 * {@code ember.jars} becomes the JARs already configured followed by the application JAR's absolute
 * path. An application that builds its context with {@code EmberContext.builder().build()}
 * therefore runs where the command says, and its executors load its classes from the JAR the driver
 * serves them. Settings the application gives its builder in code still win over these. The master
 * and the application name are also set when they come from the configuration files or the
 * environment (the name defaulting to the main class's simple name), so an application can tell
 * whether one was configured from the system properties alone.
 *
 * <p>The application's classes come from a new class loader over the JARs of {@code ember.jars}
 * (the application JAR last) whose parent is Ember's, as on the executors, which load the same JARs
 * the same way. It is the thread's context class loader while {@code main(String[])} runs. Ember's
 * classes come first, so the JARs must not contain Ember itself.
 *
 * <p>Told to stop while {@code main} runs (Ctrl-C, SIGINT, SIGTERM), {@code SubmitCommand} ends the
 * application cleanly before the JVM exits, within {@code ember.driver.stopTimeout}, and says so in
 * one line ({@link ApplicationStop}); a second Ctrl-C exits at once ({@link JvmStopTrigger}).
 *
 * <p>Exit codes: 0 when {@code main} returns; 1 when it throws (the error and its causes are
 * printed, with a stack trace only for errors that are neither Ember's nor a plain bad-argument or
 * bad-state report, or with {@code --verbose}); 2 for a usage error, in one line: no such JAR, JAR
 * of {@code ember.jars}, class or {@code main}, a {@code --conf} that is not {@code KEY=VALUE}, or
 * an {@code ember.driver.stopTimeout} that is not a duration; 130 after SIGINT, 143 after SIGTERM.
 */
package io.ember.core.cli;
