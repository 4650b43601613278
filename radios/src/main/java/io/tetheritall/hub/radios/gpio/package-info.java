/**
 * GPIO through pi4j with explicitly chosen providers (mock for tests and {@code --simulate}, gpiod on a Pi; never
 * the auto context): the radio's reset line, a status LED and a pairing button.
 */
package io.tetheritall.hub.radios.gpio;
