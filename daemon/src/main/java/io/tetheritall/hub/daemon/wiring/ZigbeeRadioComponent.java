package io.tetheritall.hub.daemon.wiring;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.tetheritall.hub.daemon.Component;
import io.tetheritall.hub.daemon.ExitCodes;
import io.tetheritall.hub.daemon.HubRuntime;
import io.tetheritall.hub.daemon.config.HubConfig;
import io.tetheritall.hub.daemon.health.HealthContributor;
import io.tetheritall.hub.daemon.health.HealthSections;
import io.tetheritall.hub.radios.api.RadioState;
import io.tetheritall.hub.radios.gpio.GpioFactory;
import io.tetheritall.hub.radios.gpio.ResetPin;
import io.tetheritall.hub.radios.gpio.StatusLed;
import io.tetheritall.hub.radios.link.Backoff;
import io.tetheritall.hub.radios.link.ByteLink;
import io.tetheritall.hub.radios.link.Links;
import io.tetheritall.hub.radios.link.ReconnectingLink;
import io.tetheritall.hub.radios.recovery.HealthProbe;
import io.tetheritall.hub.radios.recovery.RecoveryConfig;
import io.tetheritall.hub.radios.recovery.RecoverySupervisor;
import io.tetheritall.hub.radios.scheduler.ScheduledRadio;
import io.tetheritall.hub.radios.scheduler.SchedulerConfig;
import io.tetheritall.hub.radios.scheduler.SchedulerStats;
import io.tetheritall.hub.radios.time.ExecutorTaskScheduler;
import io.tetheritall.hub.radios.time.HubClock;
import io.tetheritall.hub.radios.znp.PropertiesNetworkParamsStore;
import io.tetheritall.hub.radios.znp.ZnpConfig;
import io.tetheritall.hub.radios.znp.ZnpCoordinator;
import org.tinylog.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * One Zigbee coordinator with everything that keeps it healthy: the reconnecting link (jssc serial or
 * TCP), the ZNP coordinator, the per-radio scheduler (queues, buckets, window, breaker) and the
 * recovery supervisor (soft reset, GPIO reset pulse, link reopen, exit). Start does not wait for the
 * network: the radio comes up in the background while the hub core already serves cached state, and
 * {@code /readyz} says "radio starting" until it is up.
 */
public final class ZigbeeRadioComponent implements Component {
    public static final String RADIO_ID = "zigbee0";

    private final HubConfig config;
    private final Supplier<String> portSpec;
    private final boolean simulate;
    private final HubRuntime runtime;
    private final MeterRegistry meters;
    private ReconnectingLink link;
    private ZnpCoordinator coordinator;
    private ScheduledRadio radio;
    private RecoverySupervisor supervisor;
    private ExecutorTaskScheduler tasks;
    private Context gpio;
    private StatusLed led;
    private volatile String lastStartError;

    /**
     * @param portSpec where the coordinator is ({@code /dev/ttyUSB0}, {@code tcp://host:port}, or the
     *                 simulated stick's pty), read at start
     */
    public ZigbeeRadioComponent(HubConfig config, Supplier<String> portSpec, boolean simulate, HubRuntime runtime,
                                MeterRegistry meters) {
        this.config = config;
        this.portSpec = portSpec;
        this.simulate = simulate;
        this.runtime = runtime;
        this.meters = meters;
    }

    @Override
    public String name() {
        return RADIO_ID;
    }

    /** The radio the drivers use: the scheduler in front of the coordinator. */
    public ScheduledRadio radio() {
        return radio;
    }

    public ZnpCoordinator coordinator() {
        return coordinator;
    }

    /** The pi4j context (mock in simulate mode), or null when no pin is configured. */
    public Context gpio() {
        return gpio;
    }

    @Override
    public void start() throws Exception {
        String spec = portSpec.get();
        int baud = simulate ? 115200 : config.zigbeeBaud();
        link = Links.reconnecting(spec, baud, !simulate && config.zigbeeRtsCts(), Backoff.DEFAULT, null);
        ZnpConfig znp = ZnpConfig.defaults(RADIO_ID).withNetwork(
                config.zigbeeChannel().isPresent() ? config.zigbeeChannel().getAsInt() : null,
                config.zigbeePanId().map(h -> (int) h.asLong()).orElse(null),
                config.zigbeeExtPanId().map(h -> h.asLong()).orElse(null),
                config.zigbeeNetworkKey().map(h -> h.bytes()).orElse(null));
        znp = znp.withTimeouts(Duration.ofSeconds(6), Duration.ofSeconds(10),
                Duration.ofSeconds(Math.max(8, config.radioRequestTimeoutSeconds())));
        coordinator = new ZnpCoordinator(znp, link,
                new PropertiesNetworkParamsStore(config.stateDir(), RADIO_ID), HubClock.system());

        List<String> warnings = new ArrayList<>();
        Map<String, String> settings = new HashMap<>();
        settings.put("RADIO_WINDOW_MAX", String.valueOf(config.radioInFlightWindow()));
        settings.put("RADIO_RETRY_ATTEMPTS", String.valueOf(config.radioRetryAttempts()));
        // The origin document's per-client limits (RATE_LIMIT_*) count requests and are applied by the
        // uplinks before anything is queued. At the radio one request can be several frames (state +
        // brightness + colour), so the radio's per-client bucket is only a fairness guard: no single
        // client may take more than about a fifth of a Z-Stack stick's ~260 frames/s.
        settings.put("RATE_LIMIT_PER_SECOND", "50");
        settings.put("RATE_LIMIT_BURST_SIZE", "100");
        settings.put("CIRCUIT_BREAKER_FAILURE_THRESHOLD", String.valueOf(config.circuitBreakerFailureThreshold()));
        settings.put("CIRCUIT_BREAKER_RECOVERY_TIMEOUT", String.valueOf(config.circuitBreakerRecoveryTimeoutSeconds()));
        settings.put("CIRCUIT_BREAKER_HALF_OPEN_MAX_CALLS", String.valueOf(config.circuitBreakerHalfOpenMaxCalls()));
        SchedulerConfig sc = SchedulerConfig.fromMap(settings, warnings).sanitized();
        warnings.forEach(w -> Logger.warn("{}: {}", RADIO_ID, w));
        tasks = new ExecutorTaskScheduler("radio-" + RADIO_ID);
        radio = new ScheduledRadio(coordinator, sc, tasks);

        ResetPin resetPin = null;
        boolean anyPin = config.gpioResetPin().isPresent() || config.gpioLedPin().isPresent();
        if (simulate || anyPin) {
            // Explicit providers, never pi4j's auto context: with the mock plugin on the classpath the auto
            // context would prefer it and real pins would silently not move.
            gpio = simulate ? GpioFactory.mock() : GpioFactory.gpiod();
            int resetBcm = config.gpioResetPin().orElse(simulate ? 17 : -1);
            if (resetBcm >= 0) {
                resetPin = new ResetPin(GpioFactory.output(gpio, "zigbee-reset", resetBcm, DigitalState.HIGH,
                        DigitalState.HIGH), tasks, Duration.ofMillis(150));
            }
            if (config.gpioLedPin().isPresent()) {
                led = new StatusLed(GpioFactory.output(gpio, "status-led", config.gpioLedPin().getAsInt(),
                        DigitalState.LOW, DigitalState.LOW), tasks, Duration.ofMillis(40));
                radio.onTraffic(led::traffic);
                radio.addListener(led.listener());
            }
        }
        int rounds = config.recoveryExitAfter();
        Duration budget = rounds == 0 ? Duration.ofDays(3650) : Duration.ofSeconds(30L * rounds);
        supervisor = new RecoverySupervisor(RADIO_ID, tasks,
                RecoverySupervisor.standardLadder(coordinator::softReset, resetPin, this::reopen),
                HealthProbe.coordinatorNodeDescriptor(coordinator),
                new RecoveryConfig(budget, Duration.ofSeconds(15), Duration.ofSeconds(5), ExitCodes.RADIO_RECOVERY_EXHAUSTED),
                (status, reason) -> runtime.requestExit(status, RADIO_ID + ": " + reason));
        supervisor.attach(radio);
        bindMetrics();
        startRadio();
    }

    private void startRadio() {
        radio.start().whenComplete((net, err) -> {
            if (err == null) {
                lastStartError = null;
                Logger.info("{}: network up: {} channel {} PAN 0x{} ({})", RADIO_ID,
                        net.formed() ? "formed" : "restored", net.channel(), Integer.toHexString(net.panId()),
                        net.firmware());
            } else {
                lastStartError = String.valueOf(err.getMessage());
                Logger.warn("{}: start failed ({}); trying again in 10 s", RADIO_ID, lastStartError);
                tasks.schedule(() -> {
                    if (coordinator.state() != RadioState.UP && coordinator.state() != RadioState.STOPPED) {
                        startRadio();
                    }
                }, Duration.ofSeconds(10).toNanos());
            }
        });
    }

    private CompletableFuture<?> reopen() {
        // Close the port under the reconnecting link (not the reconnecting link itself, which would close for
        // good): it reports DOWN, opens the port afresh, and the coordinator restores the network on UP. The
        // supervisor's probe after the step's settle time tells whether that helped.
        ByteLink port = link.current();
        if (port != null) {
            port.close();
        }
        return CompletableFuture.completedFuture(null);
    }

    private void bindMetrics() {
        Tags t = Tags.of("radio", RADIO_ID);
        gauge("hub_radio_queued", t, s -> s.queued());
        gauge("hub_radio_in_flight", t, SchedulerStats::inFlight);
        gauge("hub_radio_window", t, SchedulerStats::window);
        gauge("hub_radio_unicast_tokens", t, SchedulerStats::unicastTokens);
        gauge("hub_radio_broadcast_tokens", t, SchedulerStats::broadcastTokens);
        gauge("hub_radio_delivered_total", t, SchedulerStats::delivered);
        gauge("hub_radio_failed_total", t, SchedulerStats::failed);
        gauge("hub_radio_retries_total", t, SchedulerStats::retries);
        gauge("hub_radio_rate_limit_hits_total", t, SchedulerStats::rateLimitHits);
        gauge("hub_radio_superseded_total", t, SchedulerStats::superseded);
        gauge("hub_radio_breaker_transitions_total", t, SchedulerStats::breakerTransitions);
        gauge("hub_radio_recoveries_total", t, SchedulerStats::recoveries);
        gauge("hub_radio_breaker_open", t, s -> "CLOSED".equals(s.breakerState()) ? 0 : 1);
        Gauge.builder("hub_radio_up", this, c -> c.coordinator.state() == RadioState.UP ? 1 : 0).tags(t)
                .register(meters);
    }

    private void gauge(String name, Tags tags, ToDoubleFunction<SchedulerStats> f) {
        Gauge.builder(name, this, c -> f.applyAsDouble(c.radio.stats())).tags(tags).register(meters);
    }

    @Override
    public void stop() {
        if (supervisor != null) {
            supervisor.close(); // the link closes on purpose now: not a reason to recover
        }
        if (radio != null) {
            radio.close(); // closes the coordinator, the link and the task scheduler
        } else if (coordinator != null) {
            coordinator.close();
        }
        if (gpio != null) {
            gpio.shutdown();
        }
    }

    @Override
    public Optional<HealthContributor> health() {
        return Optional.of(new HealthContributor() {
            @Override
            public String name() {
                return RADIO_ID;
            }

            @Override
            public Map<String, Object> health() {
                SchedulerStats s = radio.stats();
                Map<String, Object> breaker = new LinkedHashMap<>();
                breaker.put("state", s.breakerState());
                breaker.put("failure_count", radio.breaker().getMetrics().getNumberOfFailedCalls());
                breaker.put("transitions", s.breakerTransitions());
                Map<String, Object> pool = new LinkedHashMap<>();
                pool.put("in_flight", s.inFlight());
                pool.put("window", s.window());
                pool.put("queued", s.queued());
                pool.put("utilization", s.window() == 0 ? 0.0 : (double) s.inFlight() / s.window());
                Map<String, Object> radioInfo = new LinkedHashMap<>();
                radioInfo.put("state", coordinator.state().name());
                radioInfo.put("port", link.name());
                radioInfo.put("firmware", coordinator.version() == null ? null : coordinator.version().describe());
                radioInfo.put("recoveries", supervisor.recoveries());
                if (lastStartError != null) {
                    radioInfo.put("last_start_error", lastStartError);
                }
                Map<String, Object> limiter = new LinkedHashMap<>();
                limiter.put("enabled", true);
                limiter.put("unicast_tokens", s.unicastTokens());
                limiter.put("broadcast_tokens", s.broadcastTokens());
                limiter.put("rate_limit_hits", s.rateLimitHits());
                return Map.of(HealthSections.CIRCUIT_BREAKERS, Map.of(RADIO_ID, breaker),
                        HealthSections.POOLS, Map.of(RADIO_ID, pool),
                        HealthSections.RATE_LIMITER, Map.of(RADIO_ID, limiter),
                        "radios", Map.of(RADIO_ID, radioInfo));
            }

            @Override
            public boolean ready() {
                return coordinator.state() == RadioState.UP;
            }

            @Override
            public List<String> notReadyReasons() {
                if (ready()) {
                    return List.of();
                }
                return List.of(RADIO_ID + " is " + coordinator.state()
                        + (lastStartError == null ? "" : " (" + lastStartError + ")"));
            }
        });
    }
}
