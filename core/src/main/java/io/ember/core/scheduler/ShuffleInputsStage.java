package io.ember.core.scheduler;

import static java.util.Objects.requireNonNull;

import io.ember.api.shuffle.ExecutorShuffle;
import io.ember.core.memory.TaskMemory;
import io.ember.core.serialization.RecordSerializer;
import io.ember.core.shuffle.MapOutputsRef;
import io.ember.core.shuffle.MapStatus;
import io.ember.core.task.BlockStore;
import io.ember.core.task.ShuffleCounts;
import io.ember.core.task.StageCode;
import io.ember.core.task.TaskContext;
import java.nio.file.Path;
import java.util.Map;

/**
 * A stage that reads shuffles: its code, and which version of each shuffle's map outputs its tasks
 * read, as the driver knew them when it submitted the stage. The statuses themselves are not in the
 * stage's code: its tasks fetch them by that name ({@link TaskContext#mapOutputs(MapOutputsRef)}),
 * and see them through {@link TaskContext#mapOutputs(int)}.
 */
public final class ShuffleInputsStage implements StageCode {

    private static final long serialVersionUID = 1L;

    private final StageCode code;
    private final Map<Integer, MapOutputsRef> outputs;

    /**
     * @param code the stage's own code
     * @param outputs by shuffle id, the map outputs its tasks read
     */
    public ShuffleInputsStage(StageCode code, Map<Integer, MapOutputsRef> outputs) {
        this.code = requireNonNull(code, "code is null");
        this.outputs = Map.copyOf(requireNonNull(outputs, "outputs is null"));
    }

    @Override
    public Object runTask(int partition, TaskContext context) throws Exception {
        return code.runTask(partition, new WithInputs(requireNonNull(context, "context is null")));
    }

    @Override
    public String toString() {
        return code + " reading shuffle(s) " + outputs.keySet();
    }

    private final class WithInputs implements TaskContext {
        private final TaskContext task;

        WithInputs(TaskContext task) {
            this.task = task;
        }

        @Override
        public MapStatus[] mapOutputs(int shuffleId) {
            MapOutputsRef ref = outputs.get(shuffleId);
            return ref != null ? task.mapOutputs(ref) : task.mapOutputs(shuffleId);
        }

        @Override
        public MapStatus[] mapOutputs(MapOutputsRef ref) {
            return task.mapOutputs(ref);
        }

        @Override
        public long taskId() {
            return task.taskId();
        }

        @Override
        public TaskMemory memory() {
            return task.memory();
        }

        @Override
        public void onCompletion(Runnable callback) {
            task.onCompletion(callback);
        }

        @Override
        public Path spillDirectory() {
            return task.spillDirectory();
        }

        @Override
        public int stageId() {
            return task.stageId();
        }

        @Override
        public int partition() {
            return task.partition();
        }

        @Override
        public int attempt() {
            return task.attempt();
        }

        @Override
        public String executorId() {
            return task.executorId();
        }

        @Override
        public BlockStore blocks() {
            return task.blocks();
        }

        @Override
        public ExecutorShuffle shuffle() {
            return task.shuffle();
        }

        @Override
        public RecordSerializer records() {
            return task.records();
        }

        @Override
        public ShuffleCounts shuffleCounts() {
            return task.shuffleCounts();
        }

        @Override
        public boolean isKilled() {
            return task.isKilled();
        }
    }
}
