package io.ember.core.serialization;

import static java.util.Objects.requireNonNull;

import java.io.ObjectInputFilter;
import java.util.Arrays;
import java.util.List;

/**
 * The {@link ObjectInputFilter} every task payload (stage code, task result, task error) passes
 * through when it is deserialized. Payloads come only from authenticated peers (the driver's
 * stream, a registered executor's stream), and this filter is the second line: it refuses the
 * classes that known deserialization gadget chains are built from, and bounds depth and array
 * sizes so a malformed payload cannot exhaust memory.
 *
 * <p>Application classes are allowed: a task's code is the user's own. The operator can narrow
 * (or widen) the filter with {@code ember.serializer.filter}, in the JDK's pattern syntax
 * ({@code jdk.serialFilter}), whose patterns are applied before the built-in ones.
 */
public final class PayloadFilter {

    /** Class families of published gadget chains; no task has a reason to carry them. */
    static final List<String> REJECTED = List.of(
            "!org.apache.commons.collections.functors.*",
            "!org.apache.commons.collections4.functors.*",
            "!org.apache.commons.beanutils.*",
            "!org.codehaus.groovy.runtime.*",
            "!org.springframework.beans.factory.*",
            "!com.sun.org.apache.xalan.internal.xsltc.trax.*",
            "!org.apache.xalan.xsltc.trax.*",
            "!com.sun.rowset.*",
            "!javax.management.*",
            "!java.rmi.*",
            "!sun.rmi.*",
            "!javax.naming.*",
            "!com.sun.jndi.*",
            "!java.beans.*",
            "!bsh.*",
            "!org.mozilla.javascript.*",
            "!com.mchange.v2.c3p0.*",
            "!clojure.*",
            "!org.python.core.*");

    /** Object graphs deeper than this are refused. */
    static final int MAX_DEPTH = 2_000;
    /** Arrays longer than this are refused. */
    static final int MAX_ARRAY = 256 * 1024 * 1024;

    private final ObjectInputFilter filter;
    private final String pattern;
    /** The pattern's parts, split once for {@link #refusesClassName}. */
    private final List<String> parts;

    private PayloadFilter(String pattern) {
        this.pattern = pattern;
        this.filter = ObjectInputFilter.Config.createFilter(pattern);
        this.parts = Arrays.stream(pattern.split(";")).map(String::strip).toList();
    }

    /** The built-in filter. */
    public static PayloadFilter standard() {
        return withOperatorPatterns("");
    }

    /**
     * The built-in filter preceded by the operator's patterns ({@code ember.serializer.filter}):
     * the operator's class patterns are matched before the built-in refusals, and the operator's
     * limits ({@code maxdepth}, {@code maxarray}, ...) replace the built-in ones.
     *
     * @throws IllegalArgumentException when the patterns are malformed, naming them
     */
    public static PayloadFilter withOperatorPatterns(String operatorPatterns) {
        requireNonNull(operatorPatterns, "operatorPatterns is null");
        // Limits first: when a limit is given twice the last one counts, so the operator's must come
        // after the built-in ones to narrow (or widen) them. Class patterns: the first match counts, so
        // the operator's come before the built-in refusals.
        String limits = "maxdepth=" + MAX_DEPTH + ";maxarray=" + MAX_ARRAY;
        String operator = operatorPatterns.strip();
        String pattern = limits + ";" + (operator.isEmpty() ? "" : operator + ";") + String.join(";", REJECTED);
        try {
            return new PayloadFilter(pattern);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ember.serializer.filter '" + operator + "' is not a valid "
                    + "deserialization filter (JDK jdk.serialFilter syntax): " + e.getMessage(), e);
        }
    }

    /**
     * Whether a class, by name, is one this filter refuses outright: the built-in gadget families
     * and the operator's {@code !} patterns ({@code !a.b.C}, {@code !a.b.*}, {@code !a.b.**}). For
     * serializers that see a class name before loading it; limits do not apply here.
     */
    public boolean refusesClassName(String className) {
        requireNonNull(className, "className is null");
        for (String p : parts) {
            if (!p.startsWith("!")) {
                if (matches(p, className)) {
                    return false;   // the operator allowed it before any refusal
                }
                continue;
            }
            if (matches(p.substring(1), className)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(String classPattern, String className) {
        if (classPattern.isEmpty() || classPattern.contains("=") || classPattern.contains("/")) {
            return false;
        }
        if (classPattern.endsWith(".**")) {
            return className.startsWith(classPattern.substring(0, classPattern.length() - 2));
        }
        if (classPattern.endsWith(".*")) {
            String pkg = classPattern.substring(0, classPattern.length() - 1);
            return className.startsWith(pkg) && className.indexOf('.', pkg.length()) < 0;
        }
        if (classPattern.endsWith("*")) {
            return className.startsWith(classPattern.substring(0, classPattern.length() - 1));
        }
        return className.equals(classPattern);
    }

    ObjectInputFilter filter() {
        return filter;
    }

    @Override
    public String toString() {
        return "PayloadFilter[" + pattern + "]";
    }
}
