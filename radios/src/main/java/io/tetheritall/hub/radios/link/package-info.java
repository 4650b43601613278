/**
 * Byte links: full-duplex byte pipes to a radio, with no knowledge of framing or commands.
 *
 * <pre>
 *   MT session / Spinel session          (frames, commands, correlation: other packages)
 *        |  bytes, LinkState
 *   ReconnectingLink                      reopens on DOWN: Backoff (capped, jittered), presence probe
 *        |  Supplier&lt;ByteLink&gt;  (Links.create(spec, baud, rtsCts))
 *   SerialLink (jssc)  |  TcpLink (ser2net, tcp://host:port)  |  InMemoryLink (tests, simulators)
 * </pre>
 *
 * Every link delivers bytes on one named reader thread of its own and reports UP, DOWN (the device
 * or socket went away; it may come back) and CLOSED (on purpose); SerialLink and TcpLink share that
 * life cycle in {@code ReaderThreadLink}. {@code pty.SocatPty} provides
 * real pseudo-terminal pairs for exercising the serial path in tests and the bench.
 */
package io.tetheritall.hub.radios.link;
