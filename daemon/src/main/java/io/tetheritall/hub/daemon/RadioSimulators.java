package io.tetheritall.hub.daemon;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The radio simulators {@code simulate-radio <kind>} can start, by kind ({@code znp}, later
 * {@code spinel}). Bound at start-up by {@link Main#simulators()}, without reflection, so that a
 * missing simulator is a compile error there rather than a surprise at run time.
 */
public final class RadioSimulators {

    /** A simulator's command-line entry point, e.g. {@code ZnpSimulatorMain.run(args, opener)}. */
    @FunctionalInterface
    public interface Entry {
        /**
         * Runs the simulator until it is stopped (Ctrl-C) and returns an exit code.
         *
         * @param args everything after {@code simulate-radio <kind>}
         */
        int run(String[] args) throws Exception;
    }

    private final Map<String, Entry> entries = new TreeMap<>();

    /** Registers {@code kind}. */
    public RadioSimulators register(String kind, Entry entry) {
        entries.put(Objects.requireNonNull(kind), Objects.requireNonNull(entry));
        return this;
    }

    public Optional<Entry> find(String kind) {
        return Optional.ofNullable(entries.get(kind));
    }

    /** The registered kinds, sorted. */
    public java.util.Set<String> kinds() {
        return Collections.unmodifiableSet(entries.keySet());
    }
}
