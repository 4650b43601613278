/**
 * Self-healing for a sick radio: {@link io.tetheritall.hub.radios.recovery.RecoverySupervisor} runs an escalating
 * ladder of {@link io.tetheritall.hub.radios.recovery.RecoveryStep}s (soft reset, GPIO reset, link reopen) until a
 * {@link io.tetheritall.hub.radios.recovery.HealthProbe} answers, and ends the process through an
 * {@link io.tetheritall.hub.radios.recovery.ExitHandler} when nothing helps in time, so that systemd restarts the hub.
 */
package io.tetheritall.hub.radios.recovery;
