package io.tetheritall.hub.drivers.capability;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A value made of named features, e.g. {@code color} with {@code {x, y}} or {@code {hue, saturation}}.
 * A value to set must be a map that fills at least one of the {@code forms} completely (e.g. both
 * x and y), and every feature it gives must be valid.
 *
 * @param features the features, each validated by its own capability
 * @param forms    the accepted feature sets, e.g. [[x, y], [hue, saturation]]
 */
public record CompositeCapability(String name, Set<Access> access, int endpoint, List<Capability> features,
                                  List<List<String>> forms) implements Capability {
    public CompositeCapability {
        access = Set.copyOf(access);
        features = List.copyOf(features);
        forms = forms.stream().map(List::copyOf).toList();
    }

    @Override
    public String kind() {
        return "composite";
    }

    /** The accepted forms as text, e.g. {@code {x,y} or {hue,saturation}}. */
    public String formsText() {
        return forms.stream().map(f -> "{" + String.join(",", f) + "}").collect(Collectors.joining(" or "));
    }

    @Override
    public Object validate(Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new ValueValidationException(name, Capability.describe(value) + " is not an object; expected "
                    + formsText());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            Capability f = feature(key);
            if (f == null) {
                throw new ValueValidationException(name, "unknown feature '" + key + "'; expected " + formsText());
            }
            try {
                out.put(key, f.validate(e.getValue()));
            } catch (ValueValidationException ve) {
                throw new ValueValidationException(name + "." + key,
                        ve.getMessage().substring(ve.capability().length() + 2));
            }
        }
        for (List<String> form : forms) {
            if (out.keySet().containsAll(form)) {
                return out;
            }
        }
        throw new ValueValidationException(name, "incomplete value " + map.keySet() + "; expected " + formsText());
    }

    /** The feature with this name, or null. */
    public Capability feature(String key) {
        for (Capability f : features) {
            if (f.name().equals(key)) {
                return f;
            }
        }
        return null;
    }

    @Override
    public Capability onEndpoint(int ep) {
        List<Capability> fs = new ArrayList<>();
        features.forEach(f -> fs.add(f.onEndpoint(ep)));
        return new CompositeCapability(name, access, ep, fs, forms);
    }
}
