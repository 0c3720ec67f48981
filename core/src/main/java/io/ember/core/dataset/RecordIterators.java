package io.ember.core.dataset;

import static java.util.Objects.requireNonNull;

import io.ember.core.function.FilterFunction;
import io.ember.core.function.FlatMapFunction;
import io.ember.core.function.MapFunction;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The lazy iterators of the narrow transformations, and how the user's exceptions leave them: a
 * function's exception, checked or not, is rethrown as it is (checked ones without being declared),
 * so the task fails with the user's own exception rather than a wrapper.
 */
final class RecordIterators {

    private RecordIterators() {
    }

    /** {@code function} applied to each record of {@code input}, as they are read. */
    static <A, B> Iterator<B> map(Iterator<A> input, MapFunction<? super A, ? extends B> function) {
        requireNonNull(input, "input is null");
        requireNonNull(function, "function is null");
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return input.hasNext();
            }

            @Override
            public B next() {
                A value = input.next();
                try {
                    return function.call(value);
                } catch (Exception e) {
                    throw rethrow(e);
                }
            }
        };
    }

    /** The records of {@code input} that {@code function} accepts. */
    static <A> Iterator<A> filter(Iterator<A> input, FilterFunction<? super A> function) {
        requireNonNull(input, "input is null");
        requireNonNull(function, "function is null");
        return new Iterator<>() {
            private A pending;
            private boolean ready;

            @Override
            public boolean hasNext() {
                while (!ready && input.hasNext()) {
                    A value = input.next();
                    try {
                        ready = function.call(value);
                    } catch (Exception e) {
                        throw rethrow(e);
                    }
                    pending = ready ? value : null;
                }
                return ready;
            }

            @Override
            public A next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                A value = pending;
                pending = null;
                ready = false;
                return value;
            }
        };
    }

    /** The records {@code function} returns for each record of {@code input}, one after the other. */
    static <A, B> Iterator<B> flatMap(Iterator<A> input, FlatMapFunction<? super A, ? extends B> function) {
        requireNonNull(input, "input is null");
        requireNonNull(function, "function is null");
        return new Iterator<>() {
            private Iterator<? extends B> current;

            @Override
            public boolean hasNext() {
                while (current == null || !current.hasNext()) {
                    if (!input.hasNext()) {
                        return false;
                    }
                    A value = input.next();
                    try {
                        current = function.call(value);
                    } catch (Exception e) {
                        throw rethrow(e);
                    }
                    if (current == null) {
                        throw new NullPointerException("the flatMap function returned null for " + value
                                + "; return an empty iterator instead");
                    }
                }
                return true;
            }

            @Override
            public B next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next();
            }
        };
    }

    /**
     * {@code records} seen as an iterator of a supertype. Safe because an iterator only hands records
     * out; lets functions declared on {@code ? super T} take a partition's {@code Iterator<T>}.
     */
    @SuppressWarnings("unchecked")
    static <A> Iterator<A> widen(Iterator<? extends A> records) {
        return (Iterator<A>) records;
    }

    /**
     * Throws {@code exception} as it is, checked or not. Declared to return an exception so callers
     * can write {@code throw rethrow(e)}, which the compiler sees as the end of the path.
     */
    static RuntimeException rethrow(Exception exception) {
        requireNonNull(exception, "exception is null");
        throw RecordIterators.<RuntimeException>sneaky(exception);
    }

    @SuppressWarnings("unchecked")
    private static <E extends Exception> E sneaky(Exception exception) throws E {
        throw (E) exception;
    }
}
