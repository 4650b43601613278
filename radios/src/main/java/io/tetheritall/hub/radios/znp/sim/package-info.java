/**
 * A protocol-faithful TI Z-Stack 3.x.0 coordinator simulator (CC2652P stick in ZNP mode) with a
 * population of simulated Zigbee devices, for tests, benches and the standalone "simulate" mode.
 *
 * <p>Entry points: {@link io.tetheritall.hub.radios.znp.sim.ZnpSimulator} on the device end of a
 * {@link io.tetheritall.hub.radios.link.ByteLink}, configured by
 * {@link io.tetheritall.hub.radios.znp.sim.ZnpSimulatorConfig}, driven in virtual time by
 * {@link io.tetheritall.hub.radios.time.VirtualScheduler} or in real time by
 * {@link io.tetheritall.hub.radios.time.ExecutorTaskScheduler} (thread {@code znp-sim-1});
 * {@link io.tetheritall.hub.radios.znp.sim.ZnpSimulatorMain} runs it standalone on a tty with a
 * fault console on stdin. The ZCL codec here is the simulator's own, deliberately not shared with
 * the hub's drivers.
 */
package io.tetheritall.hub.radios.znp.sim;
