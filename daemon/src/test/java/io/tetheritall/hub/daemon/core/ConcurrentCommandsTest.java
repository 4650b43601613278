package io.tetheritall.hub.daemon.core;

import io.tetheritall.hub.daemon.core.FakeZigbeeRadio.FakeDevice;
import io.tetheritall.hub.daemon.core.registry.InMemoryDeviceRepository;
import io.tetheritall.hub.drivers.zigbee.definition.DefinitionRegistry;
import io.tetheritall.hub.radios.time.ManualClock;
import io.tetheritall.hub.radios.time.NamedThreadFactory;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Many callers set many devices while the radio answers on its own event thread: every command
 * completes (no lost answers, no deadlock) and each device ends in the state of its last command.
 * The bounded wait is a liveness guard, not a performance assertion.
 */
class ConcurrentCommandsTest {
    @Test
    void concurrentSetsAllCompleteWithAnswersFromTheRadioThread() throws Exception {
        FakeZigbeeRadio radio = new FakeZigbeeRadio();
        ZigbeeHub hub = new ZigbeeHub(radio, new ManualClock(), new InMemoryDeviceRepository(),
                DefinitionRegistry.builtIn(), CoreConfig.defaults());
        List<FakeDevice> bulbs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            FakeDevice b = FakeZigbeeRadio.of("colour-bulb", i);
            radio.join(b);
            bulbs.add(b);
        }
        ExecutorService radioThread = Executors.newSingleThreadExecutor(new NamedThreadFactory("fake-radio"));
        ExecutorService callers = Executors.newFixedThreadPool(4, new NamedThreadFactory("caller"));
        radio.async = radioThread;
        try {
            List<CompletableFuture<Map<String, Object>>> all = new java.util.concurrent.CopyOnWriteArrayList<>();
            List<java.util.concurrent.Future<?>> jobs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                jobs.add(callers.submit(() -> {
                    for (int n = 0; n < 50; n++) {
                        FakeDevice b = bulbs.get((n + thread) % bulbs.size());
                        all.add(hub.set(String.format("0x%016x", b.ieee), Map.of("brightness", 1 + n), "c" + thread));
                    }
                }));
            }
            for (var j : jobs) {
                j.get(30, TimeUnit.SECONDS);
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertEquals(200, all.size());
            assertEquals(0, hub.metrics().get("errors.message"));
            // quiesce the radio thread, then the registry agrees with every device
            radioThread.submit(() -> { }).get(10, TimeUnit.SECONDS);
            for (FakeDevice b : bulbs) {
                Object registry = hub.device(String.format("0x%016x", b.ieee)).orElseThrow().state().get("brightness");
                assertEquals(b.value(8, 0), registry);
            }
        } finally {
            callers.shutdownNow();
            radioThread.shutdownNow();
            hub.close();
        }
    }
}
