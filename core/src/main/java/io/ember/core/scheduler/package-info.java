/**
 * The driver's scheduling of jobs: the {@link io.ember.core.scheduler.StagePlanner} turns a job (one
 * action) into stages at shuffle boundaries, runs missing map stages first and resubmits after fetch
 * failures; the {@link io.ember.core.scheduler.TaskScheduler} turns each stage into a task set,
 * orders task sets through the selected scheduling plugin (FIFO by job, then stage; or FAIR pools),
 * gives free executor cores their next task, retries failed tasks and resubmits a lost executor's.
 * It knows jobs only through {@link io.ember.core.job}, never the dataset API, and executors only
 * through {@link io.ember.core.scheduler.ExecutorGateway} in Ember's types ({@code TaskLaunch},
 * {@code StageShipment}, {@code TaskOutcome}), never the wire.
 *
 * <h2>{@link TaskScheduler}</h2>
 *
 * <p>{@code TaskScheduler} is the public façade; the decisions live in its parts, which share one
 * {@link SchedulerState}: the offer round and launch-ahead ({@link OfferRound}), task outcomes,
 * retries and lost executors ({@link OutcomeHandler}), and the report of stalled jobs
 * ({@link StallReport}).
 *
 * <p><b>One thread.</b> All scheduling state lives on one thread, {@code ember-task-scheduler}:
 * every input (a job submitted, an executor joining or leaving, a batch of task updates) is an
 * event on its queue. After the events queued so far are handled, free cores are offered once: the
 * {@link io.ember.api.scheduler.SchedulingQueue} of the selected scheduling policy (the
 * {@code ember.scheduler} plugin) says which task set gets each free core, and the task set picks
 * the task (its cached input on that executor first). The tasks chosen for an executor go out in
 * one launch through its {@link ExecutorGateway} (one message on the wire) that also carries the
 * code of every stage the executor has not seen yet, so a stage's code crosses the wire once per
 * executor. The scheduler speaks only Ember's types ({@link TaskLaunch}, {@link TaskOutcome}, ...);
 * the driver's wire adapter alone knows the protocol.
 *
 * <p><b>Jobs and stages.</b> The {@link StagePlanner} splits a job (one action) into stages and
 * hands them to the {@code TaskScheduler} one at a time with the job's
 * {@link io.ember.core.job.JobId}; each stage gets a {@link io.ember.core.job.StageId} and becomes
 * a task set whose priority is its job's id and whose sequence is its stage's id, so FIFO runs an
 * earlier job's stages before a later job's.
 *
 * <p><b>Pools.</b> Each job names the pool its task sets compete in (the caller's
 * {@code ember.scheduler.pool}); what a pool means is the policy's business ({@code fifo} ignores
 * pools, {@code fair} shares cores between them by weight and minShare).
 * {@link TaskScheduler#pools()} reports them. {@link TaskScheduler#replacePolicy} swaps in a
 * reconfigured policy while jobs run.
 *
 * <p><b>Launch-ahead.</b> An executor gets up to {@code launchAhead} further tasks per core, queued
 * there, so that a core never idles for a round trip between two short tasks. A task set whose
 * finished tasks ran shorter than {@code launchAheadMaxTaskTime} may use those extra slots behind
 * anything; any other task set (also one with no finished task yet) only when everything the
 * executor runs is that short. So a task never waits in an executor's queue behind a long task,
 * and a pool owed a core is never locked out by another pool's queued short tasks.
 *
 * <p><b>Callers.</b> {@link TaskScheduler#runStage} serializes the stage's code and deserializes
 * its results on the caller's thread (never on the scheduler's), and blocks only its caller. Every
 * other method only queues an event and returns. Thread-safe.
 *
 * <p><b>Failures.</b> A task that fails is launched again, elsewhere when possible, until it has
 * failed {@code maxFailures} times; then its job fails with the task's original error as the cause,
 * its other running tasks are killed, and later jobs are unaffected. An attempt lost with its
 * executor runs again without counting as a failure, and the executor's cached blocks are forgotten
 * (a task needing one recomputes it); but when the cluster then says the application made the
 * executor exit ({@link TaskScheduler#executorExited}: out of memory, say), the tasks it was
 * running count one failure each, so a task that kills every executor it runs on fails its job
 * after {@code maxFailures} attempts instead of running for ever. When the cluster gives the whole
 * application up ({@link TaskScheduler#applicationFailed}), every job fails with its reason.
 */
package io.ember.core.scheduler;
