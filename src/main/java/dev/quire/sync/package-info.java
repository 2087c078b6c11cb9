/**
 * Client connections to the sync server, as pure logic: the connection state machine ({@link
 * dev.quire.sync.ConnectionMachine}: states, events, effects), and backoff with full jitter. No sockets, threads or
 * clock reads: an adapter (in {@code net}) turns Java-WebSocket callbacks, timers and session events into {@link
 * dev.quire.sync.ConnectionEvent}s and carries out the {@link dev.quire.sync.ConnectionEffect}s.
 */
package dev.quire.sync;
