/**
 * The reference server's sync endpoint (issue 5 "The sync connection"): {@code ws://HOST:PORT/sync/{docId}} on
 * Java-WebSocket, speaking y-protocols so stock y-websocket clients can sync, plus Quire's own messages for clients
 * that ask for them.
 *
 * <ul>
 *   <li>{@link dev.quire.server.sync.SyncServer}: the endpoint; {@link dev.quire.server.sync.SyncServerConfig} its
 *       settings. The rest is package-private: {@code SyncService} (connections in, frames in, closes in),
 *       {@code Room} (one document: its connections, its in-memory {@code Doc} and awareness, run on one serial
 *       executor), {@code Connection}, {@code Authenticator}, {@code ConnectRequest}, {@code TokenBucket},
 *       {@code AwarenessUser}.
 * </ul>
 *
 * <h2>Connecting</h2>
 * The credential is an {@code Authorization: Bearer} header, or for clients that cannot set headers (browsers,
 * stock y-websocket) a one-time {@code ?ticket=} from {@code POST /auth/ticket}. An access token in the URL
 * ({@code ?access_token=}, {@code ?token=}) is refused. In dev mode every connection is user {@code dev}; the
 * document's {@code DocumentAccess} is still asked for its role. A refusal accepts the socket and then closes it with
 * <b>1008</b> and the code as the close reason ({@code AUTH_REQUIRED}, {@code TOKEN_INVALID}, {@code TOKEN_EXPIRED},
 * {@code USER_NOT_FOUND}, {@code FORBIDDEN}), before any frame is sent. A stranger and a missing document both get
 * {@code FORBIDDEN}. A path other than {@code /sync/{docId}} is closed with 1008 {@code NOT_FOUND}.
 *
 * <h2>Subprotocol</h2>
 * A client that offers {@code Sec-WebSocket-Protocol: quire.v1} ({@link dev.quire.server.sync.SyncServer#SUBPROTOCOL})
 * gets it, and with it Quire's messages (type 81): {@code AuthOk} right after connecting (user id, token expiry),
 * an {@code Ack} after each update, {@code ErrorMessage}s, and {@code Renew} handling. A client offering none gets
 * y-protocols only and never a type-81 frame; Quire messages it sends are ignored.
 *
 * <h2>After connecting</h2>
 * As y-websocket's server: the server sends sync step 1 and the awareness states present; answers step 1 with step 2;
 * a writer's step 2 or update is stored ({@code DocumentStore.appendUpdate}, durable when it returns, attributed to
 * the user and connection), then relayed to the document's other connections, then acknowledged to a Quire sender
 * with an {@code Ack(clientId, clock)} per client id it advanced (else per client id the connection wrote or announced
 * presence with), the clock being the store's durable state vector entry. A reader's update is refused: Quire clients
 * get {@code ErrorMessage(FORBIDDEN)} each time, stock clients one y-protocols permission-denied message; a reader's
 * sync step 2 (every client sends one on connect) is dropped quietly. An update the store cannot apply closes the
 * connection with 1007 {@code INVALID_UPDATE} (Quire clients get an {@code ErrorMessage} first); nothing is stored and
 * the others carry on. Storage failing closes the sender with 1011 {@code STORAGE_FAILED}; it re-sends on reconnect.
 *
 * <p>Awareness states are stamped with the connection's user: {@code user.id} and {@code user.name} are set from the
 * token, the client's other fields (also in {@code user}, such as {@code color}) stay. A connection may change and
 * remove only the awareness client ids it introduced (at most 16); they are removed for everyone when it closes.
 *
 * <h2>Expiry and renewal</h2>
 * A connection lives until its token's {@code exp} (plus {@code expiredGrace}). {@code warnBefore} that, a Quire
 * client gets {@code ErrorMessage("TOKEN_EXPIRING", ...)}; it answers with {@code Renew(token)}: a valid token for the
 * same user extends the connection and is answered with a new {@code AuthOk}; another user's token closes 1008
 * {@code FORBIDDEN}; an invalid one closes 1008 with its code. At the deadline the connection is closed 1008
 * {@code TOKEN_EXPIRED}. Stock clients cannot renew: they are closed at expiry and reconnect with a new ticket.
 * Expiry, heartbeat and awareness timeouts are checked every {@code sweepInterval} against the injected clock.
 *
 * <h2>Limits</h2>
 * A message above {@code maxFrameBytes} closes with 1009; a malformed frame with 1007 and the problem's kind
 * ({@code MALFORMED}) as reason; a text frame with 1003 {@code BINARY_ONLY}; more than the rate limit (token bucket,
 * default 100 msg/s, burst 200) with 1008 {@code RATE_LIMITED}. Frames of unknown message types are ignored, as
 * y-websocket's server does (within the rate limit). A connection silent for {@code heartbeatInterval} is pinged and
 * dropped if the ping stays unanswered until {@code idleTimeout}.
 *
 * <h2>Threads</h2>
 * Java-WebSocket's threads decode frames and check limits; each document's work runs on a serial executor over a
 * shared pool of {@code workerThreads}, so one document's updates are committed, relayed and acknowledged one at a
 * time and in order, and no socket thread waits for the disk. Logs carry key-values ({@code conn}, {@code doc},
 * {@code user}) and never a token or ticket.
 */
package dev.quire.server.sync;
