package io.tetheritall.hub.radios.znp.sim;

import io.tetheritall.hub.radios.znp.sim.SimDevice.Out;

import java.util.ArrayList;
import java.util.List;

import static io.tetheritall.hub.radios.znp.sim.SimZcl.*;

/**
 * The cluster-specific ZCL commands one {@link SimDevice} serves: Identify, Groups, Scenes, On/Off and IAS Zone,
 * with Level Control and Color Control handed to {@link SimDeviceLighting}. State (groups, scenes, attributes)
 * lives in the device. Not thread-safe: called under the simulator's lock.
 */
final class SimDeviceCommands {
    private static final int MAX_GROUPS = 16;
    private static final int MAX_SCENES = 16;

    private final SimDevice d;
    private final SimDeviceLighting lighting;

    SimDeviceCommands(SimDevice d, SimDeviceLighting lighting) {
        this.d = d;
        this.lighting = lighting;
    }

    /** Cluster-specific commands; returns the default-response status, or -1 when a response was sent. */
    int cluster(int cluster, Header h, SimBytes.R r, List<Out> out, long now) {
        int cmd = h.cmd();
        switch (cluster) {
            case 0x0003 -> {
                switch (cmd) {
                    case 0x00 -> {
                        d.set(0x0003, 0x0000, r.u16());
                        return SUCCESS;
                    }
                    case 0x01 -> {
                        long t = d.num(0x0003, 0x0000);
                        if (t == 0) {
                            return SUCCESS;
                        }
                        out.add(new Out(cluster, SimZcl.replyHeader(h, true, 0x00).u16((int) t).done()));
                        return -1;
                    }
                    case 0x40 -> {
                        r.u8();
                        r.u8();
                        return SUCCESS;
                    }
                    default -> {
                        return UNSUP_CLUSTER_COMMAND;
                    }
                }
            }
            case 0x0004 -> {
                return groupsCommand(h, r, out);
            }
            case 0x0005 -> {
                return scenesCommand(h, r, out);
            }
            case 0x0006 -> {
                switch (cmd) {
                    case 0x00, 0x40 -> d.set(0x0006, 0, 0);
                    case 0x01, 0x41, 0x42 -> d.set(0x0006, 0, 1);
                    case 0x02 -> d.set(0x0006, 0, d.num(0x0006, 0) == 0 ? 1 : 0);
                    default -> {
                        return UNSUP_CLUSTER_COMMAND;
                    }
                }
                return SUCCESS;
            }
            case 0x0008 -> {
                return lighting.levelCommand(h, r, now);
            }
            case 0x0300 -> {
                return lighting.colorCommand(h, r);
            }
            case 0x0500 -> {
                switch (cmd) {
                    case 0x00 -> {
                        int code = r.u8();
                        int zoneId = r.u8();
                        if (code == 0) {
                            d.set(0x0500, 0x0000, 1);
                            d.set(0x0500, 0x0011, zoneId);
                        }
                        return SUCCESS;
                    }
                    case 0x01, 0x02 -> {
                        return SUCCESS;
                    }
                    default -> {
                        return UNSUP_CLUSTER_COMMAND;
                    }
                }
            }
            default -> {
                return UNSUP_CLUSTER_COMMAND;
            }
        }
    }

    private int groupsCommand(Header h, SimBytes.R r, List<Out> out) {
        switch (h.cmd()) {
            case 0x00, 0x05 -> { // add, add-if-identifying
                int g = r.u16();
                int st;
                if (h.cmd() == 0x05 && d.num(0x0003, 0) == 0) {
                    return SUCCESS;
                }
                if (g == 0 || g > 0xFFF7) {
                    st = INVALID_VALUE;
                } else if (d.groups.contains(g)) {
                    st = DUPLICATE_EXISTS;
                } else if (d.groups.size() >= MAX_GROUPS) {
                    st = INSUFFICIENT_SPACE;
                } else {
                    d.groups.add(g);
                    st = SUCCESS;
                }
                if (h.cmd() == 0x05) {
                    return st;
                }
                out.add(new Out(0x0004, SimZcl.replyHeader(h, true, 0x00).u8(st).u16(g).done()));
                return -1;
            }
            case 0x01 -> {
                int g = r.u16();
                SimBytes.W w = SimZcl.replyHeader(h, true, 0x01).u8(d.groups.contains(g) ? SUCCESS : NOT_FOUND).u16(g);
                if (d.groups.contains(g)) {
                    w.u8(0); // empty name: name support is 0
                }
                out.add(new Out(0x0004, w.done()));
                return -1;
            }
            case 0x02 -> {
                int n = r.u8();
                List<Integer> asked = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    asked.add(r.u16());
                }
                List<Integer> list = new ArrayList<>();
                for (int g : d.groups) {
                    if (n == 0 || asked.contains(g)) {
                        list.add(g);
                    }
                }
                SimBytes.W w = SimZcl.replyHeader(h, true, 0x02).u8(MAX_GROUPS - d.groups.size()).u8(list.size());
                list.forEach(w::u16);
                out.add(new Out(0x0004, w.done()));
                return -1;
            }
            case 0x03 -> {
                int g = r.u16();
                boolean had = d.groups.remove(g);
                d.scenes.keySet().removeIf(k -> (k >> 8) == g);
                out.add(new Out(0x0004, SimZcl.replyHeader(h, true, 0x03).u8(had ? SUCCESS : NOT_FOUND).u16(g).done()));
                return -1;
            }
            case 0x04 -> {
                d.groups.clear();
                d.scenes.clear();
                return SUCCESS;
            }
            default -> {
                return UNSUP_CLUSTER_COMMAND;
            }
        }
    }

    private int scenesCommand(Header h, SimBytes.R r, List<Out> out) {
        int cmd = h.cmd();
        switch (cmd) {
            case 0x00 -> { // add scene: group, scene, transition time, name, extension sets (ignored)
                int g = r.u16();
                int s = r.u8();
                r.u16();
                int st = g != 0 && !d.groups.contains(g) ? INVALID_FIELD
                        : d.scenes.size() >= MAX_SCENES && !d.scenes.containsKey(sceneKey(g, s)) ? INSUFFICIENT_SPACE : SUCCESS;
                if (st == SUCCESS) {
                    d.scenes.put(sceneKey(g, s), snapshot());
                }
                out.add(new Out(0x0005, SimZcl.replyHeader(h, true, 0x00).u8(st).u16(g).u8(s).done()));
                return -1;
            }
            case 0x01 -> { // view
                int g = r.u16();
                int s = r.u8();
                boolean has = d.scenes.containsKey(sceneKey(g, s));
                SimBytes.W w = SimZcl.replyHeader(h, true, 0x01).u8(has ? SUCCESS : NOT_FOUND).u16(g).u8(s);
                if (has) {
                    w.u16(0).u8(0);
                }
                out.add(new Out(0x0005, w.done()));
                return -1;
            }
            case 0x02 -> {
                int g = r.u16();
                int s = r.u8();
                boolean had = d.scenes.remove(sceneKey(g, s)) != null;
                out.add(new Out(0x0005, SimZcl.replyHeader(h, true, 0x02).u8(had ? SUCCESS : NOT_FOUND).u16(g).u8(s).done()));
                return -1;
            }
            case 0x03 -> {
                int g = r.u16();
                d.scenes.keySet().removeIf(k -> (k >> 8) == g);
                out.add(new Out(0x0005, SimZcl.replyHeader(h, true, 0x03).u8(SUCCESS).u16(g).done()));
                return -1;
            }
            case 0x04 -> { // store
                int g = r.u16();
                int s = r.u8();
                int st = g != 0 && !d.groups.contains(g) ? INVALID_FIELD : SUCCESS;
                if (st == SUCCESS) {
                    d.scenes.put(sceneKey(g, s), snapshot());
                    d.set(0x0005, 0x0001, s);
                    d.set(0x0005, 0x0002, g);
                    d.set(0x0005, 0x0003, 1);
                }
                d.set(0x0005, 0x0000, d.scenes.size());
                out.add(new Out(0x0005, SimZcl.replyHeader(h, true, 0x04).u8(st).u16(g).u8(s).done()));
                return -1;
            }
            case 0x05 -> { // recall
                int g = r.u16();
                int s = r.u8();
                int[] snap = d.scenes.get(sceneKey(g, s));
                if (snap == null) {
                    return NOT_FOUND;
                }
                restore(snap);
                d.set(0x0005, 0x0001, s);
                d.set(0x0005, 0x0002, g);
                return SUCCESS;
            }
            case 0x06 -> { // get scene membership
                int g = r.u16();
                List<Integer> list = new ArrayList<>();
                d.scenes.keySet().forEach(k -> {
                    if ((k >> 8) == g) {
                        list.add((int) (k & 0xFF));
                    }
                });
                SimBytes.W w = SimZcl.replyHeader(h, true, 0x06).u8(SUCCESS).u8(MAX_SCENES - d.scenes.size()).u16(g)
                        .u8(list.size());
                list.forEach(w::u8);
                out.add(new Out(0x0005, w.done()));
                return -1;
            }
            default -> {
                return UNSUP_CLUSTER_COMMAND;
            }
        }
    }

    private static long sceneKey(int g, int s) {
        return ((long) g << 8) | s;
    }

    private int[] snapshot() {
        return new int[] {(int) d.num(0x0006, 0), (int) d.num(0x0008, 0), (int) d.num(0x0300, 0x0008),
            (int) d.num(0x0300, 3), (int) d.num(0x0300, 4), (int) d.num(0x0300, 0), (int) d.num(0x0300, 1), (int) d.num(0x0300, 7)};
    }

    private void restore(int[] s) {
        d.set(0x0006, 0, s[0]);
        d.set(0x0008, 0, s[1]);
        d.set(0x0300, 0x0008, s[2]);
        d.set(0x0300, 3, s[3]);
        d.set(0x0300, 4, s[4]);
        d.set(0x0300, 0, s[5]);
        d.set(0x0300, 1, s[6]);
        d.set(0x0300, 7, s[7]);
    }
}
