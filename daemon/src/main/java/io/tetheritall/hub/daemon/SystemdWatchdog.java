package io.tetheritall.hub.daemon;

import io.tetheritall.hub.radios.time.NamedThreadFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.tinylog.Logger;

/**
 * Pings systemd's watchdog at half of {@code WATCHDOG_USEC} (as sd_watchdog_enabled(3) advises)
 * while {@code alive} says the hub is healthy; when it says otherwise the pings stop and systemd
 * restarts the service after {@code WatchdogSec}. Without a watchdog it does nothing.
 */
final class SystemdWatchdog implements AutoCloseable {
    private final ScheduledExecutorService timer;

    private SystemdWatchdog(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    static SystemdWatchdog start(SystemdNotifier notifier, BooleanSupplier alive) {
        Duration interval = notifier.watchdogInterval().orElse(null);
        if (interval == null) {
            return new SystemdWatchdog(null);
        }
        long periodMs = Math.max(1, interval.toMillis() / 2);
        ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(new NamedThreadFactory("hub-watchdog"));
        boolean[] withheld = {false}; // only touched by the single timer thread
        t.scheduleAtFixedRate(() -> {
            if (alive.getAsBoolean()) {
                notifier.watchdog();
                withheld[0] = false;
            } else if (!withheld[0]) {
                withheld[0] = true;
                Logger.warn("hub not alive: withholding systemd watchdog pings");
            }
        }, 0, periodMs, TimeUnit.MILLISECONDS);
        Logger.info("systemd watchdog: ping every {} ms", periodMs);
        return new SystemdWatchdog(t);
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
