/**
 * The functions applications pass to datasets. Each is a serializable functional interface whose
 * single method, {@code call}, may throw any exception: a lambda or method reference is enough, and
 * what it throws fails the task and reaches the driver as the cause of the job's failure.
 *
 * <p>A function is serialized with everything it captures and runs on executors against that copy:
 * a bound method reference such as {@code list::add} ships a copy of {@code list}, so side effects
 * on driver objects are not seen by the driver. Prefer lambdas to method references that name the
 * same method at different types in one class: the JDK may confuse them when deserializing
 * (JDK-8208752), failing with a {@link java.lang.ClassCastException}.
 */
package io.ember.core.function;
