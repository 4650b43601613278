package io.tetheritall.hub.daemon.config;

/** A finite decimal number with inclusive bounds. */
public final class DoubleDefinition extends Definition<Double> {
    private final double min;
    private final double max;

    public DoubleDefinition(String key, String doc, Double defaultValue, double min, double max) {
        super(key, doc, defaultValue, false, false);
        this.min = min;
        this.max = max;
        if (defaultValue != null && (defaultValue < min || defaultValue > max)) {
            throw new IllegalArgumentException(key + ": default outside bounds");
        }
    }

    @Override
    protected Double parseValue(String raw) throws InvalidValueException {
        double v;
        try {
            v = Double.parseDouble(raw);
        } catch (NumberFormatException e) {
            throw invalid();
        }
        // NaN fails both comparisons, so check it explicitly.
        if (Double.isNaN(v) || v < min || v > max) {
            throw invalid();
        }
        return v;
    }

    @Override
    public String allowed() {
        return "a number in [" + min + ", " + max + "]";
    }
}
