package io.ember.distribution.multihost;

import static io.ember.distribution.multihost.TopologyRun.JOB;
import static io.ember.distribution.multihost.TopologyRun.RECOVERY;
import static io.ember.distribution.multihost.TopologyRun.REGISTERED;
import static io.ember.distribution.multihost.TopologyRun.count;
import static io.ember.distribution.multihost.TopologyRun.output;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Faults of the leader master and of the driver during a running job (issue #17 item 6): the leader
 * paused with SIGSTOP past every timeout, the leader's host cut off from ZooKeeper and the workers,
 * the driver's host cut off briefly and for longer. What the leader did after its successor took
 * over is read from the workers' logs: a worker logs every command it accepts with the epoch of the
 * master that sent it ("Asked by the leader of epoch N to ...") and refuses one of an older epoch.
 * The topology is {@link FaultsIT}'s ({@link TopologyExtension}); after each test, what it broke is restored.
 */
final class PartitionFaultsIT extends OnTheTopology {

    /** Longer than every timeout a paused leader could outlive: its session (4 s), the executors' heartbeat (10 s). */
    private static final Duration PAUSE = Duration.ofSeconds(11);
    private static final Pattern LEADING = Pattern.compile("Leading cluster '[^']+' with epoch (\\d+)");
    private static final Pattern APPLICATION = Pattern.compile("Application (app-\\S+) \\('[^']*'\\) registered");

    /**
     * The leader paused (SIGSTOP) mid-job for longer than every timeout: the standby takes over with
     * a higher epoch and acts (it launches the executors of an application submitted meanwhile).
     * Resumed (SIGCONT), the old leader finds its session gone and stops; no worker accepts anything
     * from it after that, and it is a working standby again: killed, its successor is succeeded by it.
     */
    @Test
    void aLeaderPausedPastEveryTimeoutNeverActsAfterItsSuccessorAndRejoinsAsAStandby() throws Exception {
        HostProcess submit = run().submitAndAwaitAMapStage("sales-leader-paused");
        int leader = leader();
        HostProcess old = cluster().masters().get(leader);
        HostProcess successor = cluster().masters().get(1 - leader);
        long oldEpoch = lastEpoch(old);
        int successorTermsBefore = count(LEADING, output(successor));

        long fault = System.nanoTime();
        old.pause();
        long successorLeads;
        long replaced;
        long newEpoch;
        HostProcess next;
        int oldCommandsBeforeResume;
        String oldLogBeforeResume;
        try {
            successorLeads = run().millisUntil(fault, () -> count(LEADING, output(successor)) > successorTermsBefore,
                    submit);
            newEpoch = lastEpoch(successor);
            assertTrue(newEpoch > oldEpoch, "the successor's epoch " + newEpoch + " is above " + oldEpoch);
            // The successor acts: it launches the executors of an application submitted now.
            next = run().submitSales("sales-while-leader-paused");
            replaced = run().millisUntil(fault, () -> workersLog().contains(asked(newEpoch, "launch")), next);
            Await.until(JOB, () -> System.nanoTime() - fault >= PAUSE.toNanos(), () -> "the pause");
            oldCommandsBeforeResume = count(Pattern.compile(Pattern.quote("Asked by the leader of epoch " + oldEpoch
                    + " ")), workersLog());
            oldLogBeforeResume = output(old);
        } finally {
            old.resume();
        }
        long resumed = System.nanoTime();
        long stopped = run().millisUntil(resumed, () -> output(old).substring(oldLogBeforeResume.length())
                .contains("stops acting as leader"), submit);
        run().assertExact(submit, submit.awaitExit(JOB));
        run().assertExact(next, next.awaitExit(JOB));

        String workers = workersLog();
        assertEquals(oldCommandsBeforeResume, count(Pattern.compile(Pattern.quote("Asked by the leader of epoch "
                + oldEpoch + " ")), workers), "no worker accepted a command of the old leader after it resumed\n"
                + workers);
        String oldAfter = output(old).substring(oldLogBeforeResume.length());
        assertTrue(!LEADING.matcher(oldAfter).find(), "the old leader did not lead again\n" + oldAfter);
        assertEquals(OptionalInt.of(1 - leader), cluster().leaderMaster(), "the successor leads\n" + cluster().describe());
        int refused = count(Pattern.compile("from a deposed master"), workers);

        // A working standby: when its successor dies, it leads again.
        int oldTermsBefore = count(LEADING, output(old));
        long successorKilled = System.nanoTime();
        successor.kill();
        long ledAgain = run().millisUntil(successorKilled, () -> count(LEADING, output(old)) > oldTermsBefore, submit);
        System.out.printf("fault: the leader master %s paused (SIGSTOP) for %d s mid-job: %s led with epoch %d after "
                + "%d ms and launched the executors of an application submitted then (its driver's start included) "
                + "after %d ms; resumed, the old leader stopped acting %d ms later and no worker accepted its commands "
                + "(%d refused as from a deposed master); both jobs finished exact; with its successor killed, it led "
                + "again after %d ms%n", old.host().name(), PAUSE.toSeconds(), successor.host().name(), newEpoch,
                successorLeads, replaced, stopped, refused, ledAgain);
    }

    /**
     * The leader's host cut off from ZooKeeper and from the workers mid-job: it pauses at once,
     * stops when its session is gone, the standby takes over and acts; no worker accepts anything
     * from the old leader from the cut on, and healed, the old one is a standby (that a standby so
     * healed leads again when needed is the paused leader's test).
     */
    @Test
    void aLeaderCutOffStopsActingTheStandbyTakesOverAndTheOldOneRejoinsAsAStandby() throws Exception {
        HostProcess submit = run().submitAndAwaitAMapStage("sales-leader-cut");
        int leader = leader();
        HostProcess old = cluster().masters().get(leader);
        HostProcess successor = cluster().masters().get(1 - leader);
        long oldEpoch = lastEpoch(old);
        int successorTermsBefore = count(LEADING, output(successor));
        Pattern oldCommands = Pattern.compile(Pattern.quote("Asked by the leader of epoch " + oldEpoch + " "));
        int oldCommandsBeforeCut = count(oldCommands, workersLog());
        int oldLogBeforeCut = output(old).length();

        long fault = System.nanoTime();
        network().cut(old.host());
        long paused;
        long gaveUp;
        long successorLeads;
        long replaced;
        long newEpoch;
        HostProcess next;
        long healedAt;
        try {
            paused = run().millisUntil(fault, () -> output(old).substring(oldLogBeforeCut).contains("pauses its leadership"),
                    submit);
            successorLeads = run().millisUntil(fault, () -> count(LEADING, output(successor)) > successorTermsBefore,
                    submit);
            newEpoch = lastEpoch(successor);
            gaveUp = run().millisUntil(fault, () -> output(old).substring(oldLogBeforeCut).contains("stops acting as leader"),
                    submit);
            next = run().submitSales("sales-while-leader-cut");
            replaced = run().millisUntil(fault, () -> workersLog().contains(asked(newEpoch, "launch")), next);
        } finally {
            healedAt = System.nanoTime();
            network().heal(old.host());
        }
        run().assertExact(submit, submit.awaitExit(JOB));
        run().assertExact(next, next.awaitExit(JOB));
        // Healed: it hears that its session is gone and stays a standby.
        Await.until(RECOVERY, () -> cluster().leaderMaster().equals(OptionalInt.of(1 - leader)),
                () -> "the successor leads\n" + cluster().describe());
        String oldAfter = output(old).substring(oldLogBeforeCut);
        assertTrue(!LEADING.matcher(oldAfter).find(), "the old leader did not lead again\n" + oldAfter);
        assertEquals(oldCommandsBeforeCut, count(oldCommands, workersLog()),
                "no worker accepted a command of the old leader from the cut on\n" + workersLog());
        System.out.printf("fault: the leader master's host %s cut off mid-job: it paused after %d ms and stopped "
                + "acting as leader after %d ms; %s led with epoch %d after %d ms and launched the executors of an "
                + "application submitted then (its driver's start included) after %d ms; no worker accepted a command "
                + "of the old leader; healed after %d ms, it stayed a standby%n",
                old.host().name(), paused, gaveUp, successor.host().name(), newEpoch, successorLeads, replaced,
                (healedAt - fault) / 1_000_000);
    }

    /**
     * The driver's host cut off for a moment, shorter than every timeout (its session, the
     * executors' heartbeat): nothing is lost, the job finishes exact on the executors it had.
     */
    @Test
    void aDriverCutOffBrieflyFinishesItsJobOnTheExecutorsItHad() throws Exception {
        HostProcess submit = run().submitAndAwaitAMapStage("sales-driver-blip");
        int executors = count(REGISTERED, output(submit));

        long fault = System.nanoTime();
        network().cut(cluster().driver());
        try {
            Await.until(JOB, () -> System.nanoTime() - fault >= Duration.ofSeconds(2).toNanos(), () -> "the cut");
        } finally {
            network().heal(cluster().driver());
        }
        int exit = submit.awaitExit(JOB);
        long finished = (System.nanoTime() - fault) / 1_000_000;

        run().assertExact(submit, exit);
        String log = output(submit);
        assertEquals(executors, count(REGISTERED, log), "no executor replaced\n" + log);
        assertTrue(!log.contains("was lost") && !log.contains(" is lost: "), "no executor lost\n" + log);
        assertTrue(!log.contains("registered again"), "the application was not registered again\n" + log);
        System.out.printf("fault: the driver's host cut off for 2 s mid-job: the job finished exact %d ms after the "
                + "cut, on the %d executors it had%n", finished, executors);
    }

    /**
     * The driver's host cut off for longer than its session and the grace: the leader ends its
     * application, and every worker stops its executors and deletes its shuffle files while the
     * driver is still cut off. Healed, the driver registers the application again, and its job,
     * whose map outputs are gone, still finishes exact: no job is lost.
     */
    @Test
    void aDriverCutOffForLongerHasItsApplicationEndedEverywhere() throws Exception {
        HostProcess submit = run().submitAndAwaitAMapStage("sales-driver-cut");
        Matcher registered = APPLICATION.matcher(output(submit));
        assertTrue(registered.find(), submit.describe());
        String appId = registered.group(1);
        List<Long> executorPids = executorPids(submit);

        long fault = System.nanoTime();
        network().cut(cluster().driver());
        long ended;
        long stopped;
        long deleted;
        try {
            ended = run().millisUntil(fault, () -> mastersLog().contains("Application " + appId + " ended"), submit);
            stopped = run().millisUntil(fault, () -> executorPids.stream().noneMatch(TopologyRun::isAlive), submit);
            deleted = run().millisUntil(fault, () -> cluster().workers().stream().allMatch(worker -> output(worker)
                    .contains("Application '" + appId + "' ended") || !output(worker).contains(appId)), submit);
        } finally {
            network().heal(cluster().driver());
        }
        for (HostProcess worker : cluster().workers()) {
            String log = output(worker);
            if (log.contains(appId)) {
                assertTrue(log.contains("Application " + appId + " finished: worker"), "it stopped the executors\n" + log);
                assertTrue(log.matches("(?s).*Application '" + appId + "' ended: forgot \\d+ executor\\(s\\), "
                        + "deleted their shuffle files.*"), "it deleted the shuffle files\n" + log);
            }
        }
        // Healed, the driver registers its application again and its job still ends exact: it computes
        // again the map outputs the cluster deleted.
        int exit = submit.awaitExit(JOB);
        long finished = (System.nanoTime() - fault) / 1_000_000;
        run().assertExact(submit, exit);
        assertTrue(output(submit).contains("registered again with master"), submit.describe());
        System.out.printf("fault: the driver's host cut off mid-job: the leader ended its application %d ms after the "
                + "cut, its %d executors were stopped after %d ms and their shuffle files deleted after %d ms; healed, "
                + "the driver registered the application again and its job finished exact %d ms after the cut%n", ended,
                executorPids.size(), stopped, deleted, finished);
    }

    /**
     * 100 ms of latency and 1 % packet loss between every two hosts, for a whole job (a tenth of the
     * others' orders, as such a network moves a few MB/s per connection): it still finishes exact.
     * With netem, or else an NFQUEUE rule and the harness's user-space delayer; skips with one line
     * where neither is there.
     */
    @Test
    void aJobFinishesExactWithLatencyAndLossBetweenAllHosts() throws Exception {
        assumeTrue(network().canDegrade(), "this machine cannot delay packets: no netem (CONFIG_NET_SCH_NETEM), and "
                + "no iptables with NFQUEUE or no python3");
        int orders = TopologyRun.ORDERS / 10;
        long start = System.nanoTime();
        network().degrade(Duration.ofMillis(100), 1.0);
        HostProcess submit;
        int exit;
        try {
            submit = run().submitSales("sales-degraded", TopologyRun.CUSTOMERS, orders);
            exit = submit.awaitExit(JOB);
        } finally {
            network().restore();
        }
        run().assertExact(submit, exit, TopologyRun.CUSTOMERS, orders);
        System.out.printf("fault: 100 ms latency and 1 %% loss between every two hosts: a join of %,d orders "
                + "finished exact %d ms after its submission%n", orders, (System.nanoTime() - start) / 1_000_000);
    }

    private static int leader() {
        return cluster().leaderMaster().orElseThrow(() -> new AssertionError("no master leads\n" + cluster().describe()));
    }

    private static long lastEpoch(HostProcess master) {
        Matcher matcher = LEADING.matcher(output(master));
        long epoch = -1;
        while (matcher.find()) {
            epoch = Long.parseLong(matcher.group(1));
        }
        assertTrue(epoch > 0, "a term in " + master.describe());
        return epoch;
    }

    private static String asked(long epoch, String what) {
        return "Asked by the leader of epoch " + epoch + " to " + what;
    }

    private static String workersLog() {
        return cluster().workers().stream().map(TopologyRun::output).reduce("", String::concat);
    }

    private static String mastersLog() {
        return cluster().masters().stream().map(TopologyRun::output).reduce("", String::concat);
    }

    private static List<Long> executorPids(HostProcess submit) {
        Matcher matcher = REGISTERED.matcher(output(submit));
        List<Long> pids = new ArrayList<>();
        while (matcher.find()) {
            pids.add(Long.parseLong(matcher.group(4)));
        }
        return pids;
    }
}
