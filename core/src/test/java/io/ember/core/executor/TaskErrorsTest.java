package io.ember.core.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.serialization.JavaSerializer;
import io.ember.core.serialization.PayloadFilter;
import io.ember.core.task.TaskNotRetryableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

final class TaskErrorsTest {

    private static final JavaSerializer SERIALIZER = new JavaSerializer(PayloadFilter.standard());

    @Test
    void aFailureIsRetryableUnlessATaskNotRetryableExceptionIsAmongItsCauses() {
        TaskReport.Failure plain = TaskErrors.describe(new IllegalStateException("boom"), SERIALIZER);
        TaskReport.Failure direct = TaskErrors.describe(new TaskNotRetryableException("not here"), SERIALIZER);
        TaskReport.Failure wrapped = TaskErrors.describe(new UncheckedIOException(
                new IOException("writing", new TaskNotRetryableException("not here"))), SERIALIZER);

        assertTrue(plain.retryable());
        assertFalse(direct.retryable());
        assertFalse(wrapped.retryable(), "wrapping keeps the meaning");
        assertEquals(UncheckedIOException.class.getName(), wrapped.className(), "what the task threw is reported");
    }

    @Test
    void aCycleOfCausesEndsTheWalk() {
        IllegalStateException a = new IllegalStateException("a");
        IllegalArgumentException b = new IllegalArgumentException("b");
        a.initCause(b);
        b.initCause(a);

        assertFalse(TaskErrors.notRetryable(a));
    }
}
