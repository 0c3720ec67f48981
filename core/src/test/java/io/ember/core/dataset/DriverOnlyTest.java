package io.ember.core.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.job.JobFailedException;
import io.ember.core.serialization.JavaSerializer;
import io.ember.core.serialization.PayloadFilter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What may and may not travel to executors. */
final class DriverOnlyTest {

    private final InProcessJobRunner runner = new InProcessJobRunner();
    private final JavaSerializer serializer = new JavaSerializer(PayloadFilter.standard());

    @SuppressWarnings("unchecked")
    private <T> Dataset<T> executorCopy(Dataset<T> dataset) {
        return (Dataset<T>) serializer.deserialize(serializer.serialize(dataset), getClass().getClassLoader());
    }

    @Test
    void aFunctionCapturingSomethingNotSerializableFailsNamingItsClass() {
        Unserializable helper = new Unserializable();
        Dataset<Integer> dataset = Sources.parallelize(runner, List.of(1, 2), 2).map(x -> x + helper.offset());

        RuntimeException failure = assertThrows(RuntimeException.class, dataset::collect);

        assertTrue(failure.getMessage().contains(Unserializable.class.getName()), failure.getMessage());
    }

    @Test
    void parallelizedElementsThatAreNotSerializableFailNamingTheirClass() {
        Dataset<Unserializable> dataset = Sources.parallelize(runner, List.of(new Unserializable()), 1);

        RuntimeException failure = assertThrows(RuntimeException.class, dataset::count);

        assertTrue(failure.getMessage().contains(Unserializable.class.getName()), failure.getMessage());
    }

    @Test
    void anActionOnAnExecutorsCopyFailsClearly() {
        Dataset<Integer> copy = executorCopy(Sources.parallelize(runner, List.of(1, 2, 3), 2).map(x -> x * 2));

        IllegalStateException failure = assertThrows(IllegalStateException.class, copy::count);

        assertTrue(failure.getMessage().startsWith("datasets can only be used on the driver; "), failure.getMessage());
        assertThrows(IllegalStateException.class, () -> copy.map(x -> x));
        assertThrows(IllegalStateException.class, copy::cache);
    }

    @Test
    void aDatasetUsedInsideAFunctionFailsTheTaskClearly() {
        Dataset<Integer> other = Sources.parallelize(runner, List.of(1), 1);
        Dataset<Long> nested = Sources.parallelize(runner, List.of(1, 2), 1).map(x -> other.count());

        JobFailedException failure = assertThrows(JobFailedException.class, nested::collect);

        IllegalStateException cause = assertInstanceOf(IllegalStateException.class, failure.getCause());
        assertTrue(cause.getMessage().startsWith("datasets can only be used on the driver; "), cause.getMessage());
    }

    @Test
    void anExecutorsCopyStillComputesItsPartitionsAndKeepsItsIdAndFlag() {
        Dataset<Integer> dataset = Sources.parallelize(runner, List.of(1, 2, 3), 2).map(x -> x * 2).cache();
        Dataset<Integer> copy = executorCopy(dataset);
        TestingTaskContext context = new TestingTaskContext(0, 0, 1, 0, "executor-1", new CountingBlockStore());

        List<Integer> partition = new ArrayList<>();
        copy.iterator(1, context).forEachRemaining(partition::add);

        assertEquals(List.of(4, 6), partition);
        assertEquals(dataset.id(), copy.id());
        assertTrue(copy.isPersisted());
        assertEquals(1, ((CountingBlockStore) context.blocks()).misses());
    }

    @Test
    void iteratorRefusesAPartitionOutOfRange() {
        Dataset<Integer> dataset = Sources.parallelize(runner, List.of(1), 2);
        TestingTaskContext context = new TestingTaskContext(0, 0, 2, 0, "executor-1", new CountingBlockStore());

        assertThrows(IndexOutOfBoundsException.class, () -> dataset.iterator(2, context));
    }

    /** Deliberately not serializable. */
    static final class Unserializable {
        int offset() {
            return 1;
        }
    }
}
