package io.tetheritall.hub.daemon;

import io.tetheritall.hub.daemon.health.HealthContributor;
import io.tetheritall.hub.daemon.health.HealthRegistry;
import io.tetheritall.hub.radios.time.NamedThreadFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.tinylog.Logger;

/**
 * Owns the hub's {@link Component}s: starts them in the order they were added, stops them in the
 * reverse order, and turns "a component wants the process to end" into an exit code.
 *
 * <p>Lifecycle: {@code NEW → STARTING → RUNNING → STOPPING → STOPPED}. If a component fails to
 * start, the ones already started are stopped (reverse order) and {@link #start()} throws
 * {@link StartupException}. {@link #stop()} is idempotent and safe from a shutdown hook; each
 * component gets {@code stopTimeout} to stop before the runtime moves on (systemd's
 * {@code TimeoutStopSec} is the outer bound).
 *
 * <p>The runtime is itself a {@link HealthContributor} named {@code runtime}: not ready until every
 * component has started, and not ready again once stopping begins.
 */
public final class HubRuntime implements HealthContributor {

    /** Lifecycle states. */
    public enum State { NEW, STARTING, RUNNING, STOPPING, STOPPED }

    private final HealthRegistry health;
    private final Duration stopTimeout;
    // Copy-on-write: health() reads it from HTTP threads while start() holds the lock.
    private final List<Component> components = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Deque<Component> started = new ArrayDeque<>();
    private final Map<Component, HealthContributor> registered = new LinkedHashMap<>();
    private final CountDownLatch exitLatch = new CountDownLatch(1);
    private final AtomicInteger exitCode = new AtomicInteger(ExitCodes.OK);
    private volatile State state = State.NEW;
    private volatile String starting;
    private volatile String exitReason;

    /**
     * @param health      where component health contributions are registered (the runtime registers itself too)
     * @param stopTimeout how long each component may take to stop
     */
    public HubRuntime(HealthRegistry health, Duration stopTimeout) {
        this.health = Objects.requireNonNull(health, "health");
        this.stopTimeout = Objects.requireNonNull(stopTimeout, "stopTimeout");
        health.register(this);
    }

    /** Adds a component to start after the ones added before it. Only before {@link #start()}. */
    public synchronized HubRuntime add(Component c) {
        Objects.requireNonNull(c, "component");
        if (state != State.NEW) {
            throw new IllegalStateException("components are added before start, but state is " + state);
        }
        components.add(c);
        return this;
    }

    /** The components in start order. */
    public List<Component> components() {
        return List.copyOf(components);
    }

    /**
     * Starts every component in order.
     *
     * @throws StartupException if one fails; the ones before it are stopped again
     */
    public synchronized void start() throws StartupException {
        if (state != State.NEW) {
            throw new IllegalStateException("start() once, but state is " + state);
        }
        state = State.STARTING;
        for (Component c : components) {
            starting = c.name();
            long t0 = System.nanoTime();
            try {
                c.start();
            } catch (Exception | LinkageError | AssertionError e) {
                // AssertionError too: libraries (Chronicle) throw it when the JVM lacks the flags they need,
                // and an Error that escaped here would leave a half-started process running.
                Logger.error(e, "{}: failed to start", c.name());
                // Stop it too: a half-started component may hold a port or a thread.
                started.push(c);
                stopAll();
                state = State.STOPPED;
                requestExit(ExitCodes.START_FAILED, c.name() + " failed to start");
                throw new StartupException(c.name(), e);
            }
            started.push(c);
            c.health().ifPresent(h -> {
                registered.put(c, h);
                health.register(h);
            });
            Logger.info("{}: started in {} ms", c.name(), (System.nanoTime() - t0) / 1_000_000);
        }
        starting = null;
        state = State.RUNNING;
    }

    /** Stops every started component in reverse order; idempotent. Releases {@link #awaitExit()}. */
    public synchronized void stop() {
        if (state == State.STOPPED || state == State.NEW && started.isEmpty()) {
            state = State.STOPPED;
            exitLatch.countDown();
            return;
        }
        state = State.STOPPING;
        stopAll();
        state = State.STOPPED;
        exitLatch.countDown();
    }

    private void stopAll() {
        ExecutorService stopper = Executors.newSingleThreadExecutor(new NamedThreadFactory("hub-stop"));
        try {
            while (!started.isEmpty()) {
                Component c = started.pop();
                HealthContributor h = registered.remove(c);
                if (h != null) {
                    health.unregister(h);
                }
                Future<?> f = stopper.submit(() -> {
                    c.stop();
                    return null;
                });
                try {
                    f.get(stopTimeout.toMillis(), TimeUnit.MILLISECONDS);
                    Logger.info("{}: stopped", c.name());
                } catch (TimeoutException e) {
                    f.cancel(true);
                    Logger.warn("{}: did not stop within {} ms; moving on", c.name(), stopTimeout.toMillis());
                    // The stuck thread keeps the executor busy: give the next component a fresh one.
                    stopper.shutdownNow();
                    stopper = Executors.newSingleThreadExecutor(new NamedThreadFactory("hub-stop"));
                } catch (ExecutionException e) {
                    Logger.warn(e.getCause(), "{}: failed to stop cleanly", c.name());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    Logger.warn("{}: interrupted while stopping", c.name());
                }
            }
        } finally {
            stopper.shutdownNow();
        }
    }

    /**
     * Asks the process to end with {@code code} (e.g. {@link ExitCodes#RADIO_RECOVERY_EXHAUSTED} from
     * the radio supervisor). Callable from any thread; the first request wins. The thread in
     * {@link #awaitExit()} then stops the runtime and exits.
     */
    public void requestExit(int code, String reason) {
        if (exitReason == null) {
            synchronized (exitCode) {
                if (exitReason == null) {
                    exitReason = reason;
                    exitCode.set(code);
                    Logger.info("exit requested with code {}: {}", code, reason);
                }
            }
        }
        exitLatch.countDown();
    }

    /** Blocks until {@link #requestExit} or {@link #stop()}; returns the exit code to use. */
    public int awaitExit() throws InterruptedException {
        exitLatch.await();
        return exitCode.get();
    }

    /** Like {@link #awaitExit()} but bounded; {@code -1} if still running after {@code timeout}. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        return exitLatch.await(timeout.toMillis(), TimeUnit.MILLISECONDS) ? exitCode.get() : -1;
    }

    /** Why the exit was requested, or {@code null}. */
    public String exitReason() {
        return exitReason;
    }

    public State state() {
        return state;
    }

    @Override
    public String name() {
        return "runtime";
    }

    @Override
    public Map<String, Object> health() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", state.name());
        List<String> names = new ArrayList<>();
        components.forEach(c -> names.add(c.name()));
        m.put("components", names);
        return Map.of("runtime", m);
    }

    @Override
    public List<String> notReadyReasons() {
        State s = state;
        switch (s) {
            case RUNNING:
                return List.of();
            case STARTING:
                String c = starting;
                return List.of(c == null ? "starting" : "starting " + c);
            default:
                return List.of("runtime is " + s.name().toLowerCase(java.util.Locale.ROOT));
        }
    }
}
