package io.ember.core.config;

import java.util.List;

/**
 * The configuration cannot be used. Carries every problem found, not only the first; the message
 * lists them one per line:
 *
 * <pre>
 * 2 configuration problems:
 *   - ember.task.cpus (conf/ember.properties:4): '0' is not allowed; expected an integer, at least 1
 *   - EMBER_TASK_CPU (environment variable EMBER_TASK_CPU): unknown environment variable (did you mean EMBER_TASK_CPUS?)
 * </pre>
 *
 * <p>The problem list is immutable.
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<ConfigProblem> problems;

    /**
     * @param problems what is wrong, in the order to report it; at least one
     */
    public ConfigException(List<ConfigProblem> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem, in the order found. */
    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String message(List<ConfigProblem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        StringBuilder message = new StringBuilder()
                .append(problems.size())
                .append(problems.size() == 1 ? " configuration problem:" : " configuration problems:");
        for (ConfigProblem problem : problems) {
            message.append("\n  - ").append(problem.describe());
        }
        return message.toString();
    }
}
