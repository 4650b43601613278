package io.tetheritall.hub.daemon.core;

import io.tetheritall.hub.daemon.core.api.HubEvent;
import org.tinylog.Logger;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Delivers hub events to subscribers, synchronously, isolating one subscriber's failure from the rest. */
public final class EventBus {
    private final List<Consumer<HubEvent>> listeners = new CopyOnWriteArrayList<>();

    public AutoCloseable subscribe(Consumer<HubEvent> l) {
        listeners.add(l);
        return () -> listeners.remove(l);
    }

    public void publish(HubEvent.Type type, String device, String ieee, Map<String, Object> data) {
        HubEvent e = new HubEvent(type, device, ieee, data);
        for (Consumer<HubEvent> l : listeners) {
            try {
                l.accept(e);
            } catch (RuntimeException ex) {
                Logger.error(ex, "event subscriber failed on {}", type);
            }
        }
    }
}
