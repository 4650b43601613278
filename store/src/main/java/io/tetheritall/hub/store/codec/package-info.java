/** The versioned value envelope (expiry, optional LZ4) that both cache layers store. */
package io.tetheritall.hub.store.codec;
