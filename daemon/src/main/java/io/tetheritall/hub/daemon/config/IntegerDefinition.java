package io.tetheritall.hub.daemon.config;

import java.util.Arrays;
import java.util.stream.Collectors;

/** An integer setting with inclusive bounds, or restricted to a fixed set of values. */
public final class IntegerDefinition extends Definition<Integer> {
    private final int min;
    private final int max;
    private final int[] choices;

    /** An integer in {@code [min, max]}; {@code defaultValue} may be {@code null} (optional). */
    public IntegerDefinition(String key, String doc, Integer defaultValue, int min, int max) {
        this(key, doc, defaultValue, min, max, null);
    }

    private IntegerDefinition(String key, String doc, Integer defaultValue, int min, int max, int[] choices) {
        super(key, doc, defaultValue, false, false);
        if (min > max) {
            throw new IllegalArgumentException(key + ": min " + min + " > max " + max);
        }
        this.min = min;
        this.max = max;
        this.choices = choices;
        if (defaultValue != null && !accepts(defaultValue)) {
            throw new IllegalArgumentException(key + ": default " + defaultValue + " is outside " + allowed());
        }
    }

    /** An integer that must be one of {@code choices} (e.g. serial baud rates). */
    public static IntegerDefinition oneOf(String key, String doc, Integer defaultValue, int... choices) {
        int[] sorted = choices.clone();
        Arrays.sort(sorted);
        return new IntegerDefinition(key, doc, defaultValue, sorted[0], sorted[sorted.length - 1], sorted);
    }

    public int min() {
        return min;
    }

    public int max() {
        return max;
    }

    private boolean accepts(int v) {
        return choices == null ? v >= min && v <= max : Arrays.binarySearch(choices, v) >= 0;
    }

    @Override
    protected Integer parseValue(String raw) throws InvalidValueException {
        int v;
        try {
            v = Integer.parseInt(raw.replace("_", ""));
        } catch (NumberFormatException e) {
            throw invalid();
        }
        if (!accepts(v)) {
            throw invalid();
        }
        return v;
    }

    @Override
    public String allowed() {
        if (choices != null) {
            return "one of " + Arrays.stream(choices).mapToObj(Integer::toString).collect(Collectors.joining(", "));
        }
        return "an integer in [" + min + ", " + max + "]";
    }
}
