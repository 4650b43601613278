package io.tetheritall.hub.radios.recovery;

import io.tetheritall.hub.radios.api.RadioError;
import io.tetheritall.hub.radios.api.RadioException;
import io.tetheritall.hub.radios.api.RadioListener;
import io.tetheritall.hub.radios.api.RadioState;
import io.tetheritall.hub.radios.scheduler.ScheduledRadio;
import io.tetheritall.hub.radios.time.TaskScheduler;
import org.tinylog.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Brings a sick radio back by itself, escalating: each step of the ladder (soft reset over MT, a reset
 * pulse on the GPIO reset pin, reopening the serial link...) is run, the radio is given its settle time,
 * then the health probe asks whether it answers. The first answer ends the recovery: the breaker closes
 * and the devices come back. If no step helps, or the time budget runs out, the {@link ExitHandler}
 * ends the process with a non-zero status so that systemd restarts the hub.
 *
 * <p>It starts when the radio goes {@link RadioState#DOWN}: the scheduled radio reports that when its
 * breaker opens, and the bare radio when it loses its link. While it runs, the scheduled radio's breaker
 * is held open ({@link ScheduledRadio#beginRecovery}) so that requests fail fast with CIRCUIT_OPEN and
 * drivers mark devices unavailable with that reason. Everything runs as tasks and timers on the radio's
 * {@link TaskScheduler}; nothing blocks.
 */
public final class RecoverySupervisor implements AutoCloseable {
    private final String radioId;
    private final TaskScheduler scheduler;
    private final List<RecoveryStep> ladder;
    private final HealthProbe probe;
    private final RecoveryConfig config;
    private final ExitHandler exit;
    private final List<String> history = new CopyOnWriteArrayList<>();
    private final AtomicLong recoveries = new AtomicLong();
    private final AtomicLong exits = new AtomicLong();
    private final RadioListener trigger = new RadioListener() {
        @Override
        public void stateChanged(RadioState state, String reason) {
            if (state == RadioState.DOWN) {
                trigger(reason);
            }
        }
    };

    private ScheduledRadio radio;
    private volatile boolean running;
    private volatile boolean closed;
    private long startedAt;
    private long attempt;
    /** Pause between two rounds of the ladder. */
    static final Duration ROUND_PAUSE = Duration.ofSeconds(5);
    private TaskScheduler.Cancellable budgetTimer = TaskScheduler.Cancellable.NONE;
    private volatile Duration lastRecoveryTime;

    public RecoverySupervisor(String radioId, TaskScheduler scheduler, List<RecoveryStep> ladder, HealthProbe probe,
                              RecoveryConfig config, ExitHandler exit) {
        this.radioId = Objects.requireNonNull(radioId, "radioId");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.ladder = List.copyOf(ladder);
        this.probe = Objects.requireNonNull(probe, "probe");
        this.config = Objects.requireNonNull(config, "config");
        this.exit = Objects.requireNonNull(exit, "exit");
    }

    /**
     * The usual ladder: soft reset over MT (settle 2 s), a pulse on the reset pin if one is wired (settle 3 s:
     * the firmware boots and restores the network), reopening the serial link (settle 2 s).
     *
     * @param softReset e.g. the ZNP coordinator's {@code softReset()}
     * @param resetPin  the GPIO reset line, or null if the dongle has none wired
     * @param reopen    closes and reopens the serial link and restarts the radio
     */
    public static List<RecoveryStep> standardLadder(java.util.function.Supplier<? extends CompletableFuture<?>> softReset,
                                                    io.tetheritall.hub.radios.gpio.ResetPin resetPin,
                                                    java.util.function.Supplier<? extends CompletableFuture<?>> reopen) {
        List<RecoveryStep> l = new ArrayList<>();
        l.add(RecoveryStep.of("soft-reset", Duration.ofSeconds(2), softReset));
        if (resetPin != null) {
            l.add(RecoveryStep.of("gpio-reset", Duration.ofSeconds(3), resetPin::pulse));
        }
        l.add(RecoveryStep.of("reopen-link", Duration.ofSeconds(2), reopen));
        return List.copyOf(l);
    }

    /** Watches {@code radio}: starts on DOWN, holds its breaker open while working, closes it on success. */
    public void attach(ScheduledRadio scheduled) {
        this.radio = scheduled;
        scheduled.addListener(trigger);
    }

    /** Starts a recovery now (idempotent while one runs). */
    public void trigger(String reason) {
        scheduler.execute(() -> {
            if (running || closed) {
                return;
            }
            running = true;
            startedAt = scheduler.clock().nanos();
            long myAttempt = ++attempt;
            record("start: " + reason);
            Logger.warn("radio {}: recovery started: {}", radioId, reason);
            if (radio != null) {
                radio.beginRecovery(reason);
            }
            budgetTimer = scheduler.schedule(() -> {
                if (running && attempt == myAttempt) {
                    giveUp("no answer within the recovery budget of " + config.budget());
                }
            }, config.budget().toNanos());
            runStep(0, myAttempt);
        });
    }

    private void runStep(int i, long myAttempt) {
        if (!running || attempt != myAttempt) {
            return;
        }
        if (i >= ladder.size()) {
            // Every rung failed, but the budget is not spent: a dongle being re-plugged, or a stick still
            // booting, may answer on the next round. Only the budget ends the process, so a radio that
            // comes back within it never costs a restart of the whole hub.
            record("round failed: no recovery step helped; starting over");
            Logger.warn("radio {}: no recovery step helped; trying again in {}", radioId, ROUND_PAUSE);
            scheduler.schedule(() -> runStep(0, myAttempt), ROUND_PAUSE.toNanos());
            return;
        }
        RecoveryStep step = ladder.get(i);
        Logger.warn("radio {}: recovery step {}", radioId, step.name());
        CompletableFuture<?> f;
        try {
            f = step.run();
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        within(f, config.stepTimeout(), step.name()).whenComplete((v, t) -> scheduler.execute(() -> {
            if (!running || attempt != myAttempt) {
                return;
            }
            if (t != null) {
                record(step.name() + ": failed: " + rootMessage(t));
                runStep(i + 1, myAttempt);
                return;
            }
            scheduler.schedule(() -> probeAfter(step, i, myAttempt), step.settle().toNanos());
        }));
    }

    private void probeAfter(RecoveryStep step, int i, long myAttempt) {
        if (!running || attempt != myAttempt) {
            return;
        }
        CompletableFuture<?> p;
        try {
            p = probe.probe();
        } catch (RuntimeException e) {
            p = CompletableFuture.failedFuture(e);
        }
        within(p, config.probeTimeout(), "health probe").whenComplete((v, t) -> scheduler.execute(() -> {
            if (!running || attempt != myAttempt) {
                return;
            }
            if (t != null) {
                record(step.name() + ": done, radio still silent: " + rootMessage(t));
                runStep(i + 1, myAttempt);
            } else {
                record(step.name() + ": recovered");
                recovered(step);
            }
        }));
    }

    private void recovered(RecoveryStep step) {
        running = false;
        budgetTimer.cancel();
        Duration took = Duration.ofNanos(scheduler.clock().nanos() - startedAt);
        lastRecoveryTime = took;
        recoveries.incrementAndGet();
        Logger.info("radio {}: recovered by {} after {}", radioId, step.name(), took);
        if (radio != null) {
            radio.endRecovery(true);
        }
    }

    private void giveUp(String why) {
        running = false;
        budgetTimer.cancel();
        record("exit: " + why);
        exits.incrementAndGet();
        Logger.error("radio {}: recovery failed: {}", radioId, why);
        if (radio != null) {
            radio.endRecovery(false);
        }
        exit.exit(config.exitStatus(), "radio " + radioId + ": " + why);
    }

    private <T> CompletableFuture<T> within(CompletableFuture<T> f, Duration limit, String what) {
        CompletableFuture<T> out = new CompletableFuture<>();
        TaskScheduler.Cancellable timer = scheduler.schedule(() -> out.completeExceptionally(
                new RadioException(RadioError.TIMEOUT, what + " did not finish within " + limit)), limit.toNanos());
        f.whenComplete((v, t) -> {
            timer.cancel();
            if (t != null) {
                out.completeExceptionally(t);
            } else {
                out.complete(v);
            }
        });
        return out;
    }

    private static String rootMessage(Throwable t) {
        RadioException re = RadioException.find(t);
        if (re != null) {
            return re.error() + " " + re.getMessage();
        }
        Throwable c = t;
        while (c.getCause() != null) {
            c = c.getCause();
        }
        return c.toString();
    }

    private void record(String line) {
        history.add(line);
    }

    /** Whether a recovery is running. */
    public boolean inProgress() {
        return running;
    }

    /** Completed recoveries (for metrics). */
    public long recoveries() {
        return recoveries.get();
    }

    /** Times the last rung was reached. */
    public long exits() {
        return exits.get();
    }

    /** How long the last successful recovery took, from start to the probe's answer; null if none yet. */
    public Duration lastRecoveryTime() {
        return lastRecoveryTime;
    }

    /** What happened, one line per event, oldest first (for logs, status pages and tests). */
    public List<String> history() {
        return new ArrayList<>(history);
    }

    /**
     * Stops watching: the hub is shutting down, and the link it closes on purpose must not look like a
     * sick radio. A recovery under way ends without exiting.
     */
    @Override
    public void close() {
        closed = true;
        if (radio != null) {
            radio.removeListener(trigger);
        }
        scheduler.execute(() -> {
            running = false;
            budgetTimer.cancel();
        });
    }
}
