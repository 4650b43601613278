package io.tetheritall.hub.daemon;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The subcommands {@link Main} dispatches to, in {@code help} order. */
public final class Subcommands {
    private final Map<String, Subcommand> byName = new LinkedHashMap<>();

    /** Adds or replaces a subcommand. */
    public Subcommands register(Subcommand c) {
        byName.put(Objects.requireNonNull(c, "subcommand").name(), c);
        return this;
    }

    public Optional<Subcommand> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Collection<Subcommand> all() {
        return Collections.unmodifiableCollection(byName.values());
    }

    /**
     * The standard set: {@code run}, {@code check-config}, {@code simulate-radio}, {@code version},
     * {@code help}.
     *
     * @param wiring     what {@code run} starts (see {@link DefaultWiring})
     * @param simulators the radio simulators {@code simulate-radio} can start
     */
    public static Subcommands defaults(RuntimeWiring wiring, RadioSimulators simulators) {
        Subcommands s = new Subcommands();
        s.register(new RunCommand(wiring, true));
        s.register(new CheckConfigCommand());
        s.register(new SimulateRadioCommand(simulators));
        s.register(new VersionCommand());
        s.register(new HelpCommand(s));
        return s;
    }
}
