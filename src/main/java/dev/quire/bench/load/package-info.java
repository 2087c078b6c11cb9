/**
 * Issue 5's sync load benchmark: many simulated editors typing into shared documents on a sync server on loopback,
 * measuring how long an edit takes to reach every other editor of its document, how much CPU the server burns,
 * and whether any edit is lost. {@code quire bench sync} (and {@code bench/sync-load}) runs it against Quire's
 * server and the stock y-websocket server in one run.
 *
 * <ul>
 *   <li>{@link dev.quire.bench.load.SyncLoadBenchmark}: runs the targets one after the other, prints the table.
 *   <li>{@link dev.quire.bench.load.Target}: a server to load, started as a child process so every server's CPU is
 *       read the same way ({@code /proc/PID/stat}); {@link dev.quire.bench.load.StockYWebsocketTarget} (Node,
 *       y-websocket 2.1.0) and {@link dev.quire.bench.load.QuireServerTarget} (auth and durable acks on).
 *   <li>{@code LoadRun}, {@code LoadClient}: the generator. Each client is a Quire {@code Doc} over a JDK
 *       {@code java.net.http.WebSocket}; all share one HttpClient, two callback threads and one typing thread.
 *       An edit has arrived at a client when that client's state vector covers the sender's clock after the edit,
 *       so a receiver never parses updates beyond applying them.
 * </ul>
 *
 * <p>Bounded on purpose: loopback hosts only, a hard timeout, and every child process killed with the bench.
 */
package dev.quire.bench.load;
