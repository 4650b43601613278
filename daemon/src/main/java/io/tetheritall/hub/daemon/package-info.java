/**
 * The launcher: {@link io.tetheritall.hub.daemon.Main} dispatches {@link io.tetheritall.hub.daemon.Subcommand}s
 * ({@code run}, {@code check-config}, {@code simulate-radio}, {@code version}, {@code help}).
 *
 * <pre>
 *   Main ── run ──▶ HubConfigLoader (once) ──▶ LoggingSetup ──▶ RuntimeWiring.wire(ctx)
 *                                                                   │ adds Components in start order
 *                                                                   ▼
 *            SystemdNotifier ◀── READY=1 / WATCHDOG=1 ──  HubRuntime (start ↓, stop ↑, exit codes)
 *                                                                   │ registers HealthContributors
 *                                                                   ▼
 *                                                  health.HealthRegistry ──▶ health.HealthServer (HTTP)
 * </pre>
 *
 * Exit codes are listed in {@link io.tetheritall.hub.daemon.ExitCodes}.
 */
package io.tetheritall.hub.daemon;
