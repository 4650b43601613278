package io.tetheritall.hub.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tetheritall.hub.daemon.health.HealthContributor;
import io.tetheritall.hub.daemon.health.HealthRegistry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class HubRuntimeTest {
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final HealthRegistry health = new HealthRegistry();

    private Component component(String name, boolean failStart) {
        return new Component() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void start() {
                log.add("start " + name);
                if (failStart) {
                    throw new IllegalStateException("port taken");
                }
            }

            @Override
            public void stop() {
                log.add("stop " + name);
            }

            @Override
            public Optional<HealthContributor> health() {
                return Optional.of(new HealthContributor() {
                    @Override
                    public String name() {
                        return name;
                    }

                    @Override
                    public Map<String, Object> health() {
                        return Map.of();
                    }
                });
            }
        };
    }

    @Test
    void startsInOrderAndStopsInReverse() throws Exception {
        HubRuntime rt = new HubRuntime(health, Duration.ofSeconds(2));
        rt.add(component("store", false)).add(component("radio", false)).add(component("mqtt", false));
        rt.start();
        assertEquals(HubRuntime.State.RUNNING, rt.state());
        assertEquals(List.of("runtime", "store", "radio", "mqtt"),
                health.contributors().stream().map(HealthContributor::name).toList());
        assertTrue(rt.notReadyReasons().isEmpty());
        rt.stop();
        rt.stop(); // idempotent
        assertEquals(List.of("start store", "start radio", "start mqtt", "stop mqtt", "stop radio", "stop store"), log);
        assertEquals(HubRuntime.State.STOPPED, rt.state());
        assertEquals(List.of("runtime"), health.contributors().stream().map(HealthContributor::name).toList());
        assertEquals(List.of("runtime is stopped"), rt.notReadyReasons());
        assertEquals(ExitCodes.OK, rt.awaitExit(Duration.ofSeconds(1)));
    }

    @Test
    void aFailedStartStopsWhatWasStartedAndRequestsExit4() {
        HubRuntime rt = new HubRuntime(health, Duration.ofSeconds(2));
        rt.add(component("store", false)).add(component("http", true)).add(component("mqtt", false));
        StartupException e = assertThrows(StartupException.class, rt::start);
        assertEquals("http", e.component());
        assertEquals(List.of("start store", "start http", "stop http", "stop store"), log);
        assertEquals(HubRuntime.State.STOPPED, rt.state());
        assertThrows(IllegalStateException.class, () -> rt.add(component("late", false)));
    }

    @Test
    void exitRequestWakesTheMainThreadWithTheFirstCode() throws Exception {
        HubRuntime rt = new HubRuntime(health, Duration.ofSeconds(2));
        rt.add(component("radio", false));
        rt.start();
        assertEquals(-1, rt.awaitExit(Duration.ofMillis(1)));
        CompletableFuture<Integer> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                return rt.awaitExit();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        rt.requestExit(ExitCodes.RADIO_RECOVERY_EXHAUSTED, "5 recovery rounds failed");
        rt.requestExit(ExitCodes.OK, "later request loses");
        assertEquals(ExitCodes.RADIO_RECOVERY_EXHAUSTED, waiter.get(5, TimeUnit.SECONDS));
        assertEquals("5 recovery rounds failed", rt.exitReason());
        rt.stop();
    }

    @Test
    void readinessIsReadableWhileAComponentIsStarting() throws Exception {
        CountDownLatch inStart = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        HubRuntime rt = new HubRuntime(health, Duration.ofSeconds(2));
        rt.add(new Component() {
            @Override
            public String name() {
                return "slow-radio";
            }

            @Override
            public void start() throws InterruptedException {
                inStart.countDown();
                release.await();
            }

            @Override
            public void stop() {
            }
        });
        // Own threads, not the common pool: on 2 cores its parallelism is 1, and start() blocks its thread here.
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newCachedThreadPool();
        CompletableFuture<Void> starting = CompletableFuture.runAsync(() -> {
            try {
                rt.start();
            } catch (StartupException e) {
                throw new IllegalStateException(e);
            }
        }, threads);
        assertTrue(inStart.await(5, TimeUnit.SECONDS));
        // Must not block on the runtime's lock (the HTTP thread calls these during start-up).
        CompletableFuture<List<String>> reasons = CompletableFuture.supplyAsync(() -> {
            rt.health();
            return health.readiness().get("runtime");
        }, threads);
        assertEquals(List.of("starting slow-radio"), reasons.get(5, TimeUnit.SECONDS));
        release.countDown();
        starting.get(5, TimeUnit.SECONDS);
        assertTrue(health.allReady());
        rt.stop();
        threads.shutdownNow();
    }

    @Test
    void aComponentThatDoesNotStopInTimeIsSkipped() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        HubRuntime rt = new HubRuntime(health, Duration.ofMillis(200));
        rt.add(component("store", false));
        rt.add(new Component() {
            @Override
            public String name() {
                return "stuck";
            }

            @Override
            public void start() {
            }

            @Override
            public void stop() throws InterruptedException {
                log.add("stop stuck");
                never.await();
            }
        });
        rt.start();
        rt.stop();
        assertEquals(List.of("start store", "stop stuck", "stop store"), log);
        assertEquals(HubRuntime.State.STOPPED, rt.state());
    }
}
