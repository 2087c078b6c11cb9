/**
 * The client engine: everything the desktop app does with the network, minus the windows (issue 6). It ties the
 * pieces together and owns their threads: a {@link dev.quire.engine.ClientEngine} per server (discovery, profiles,
 * their local stores), an {@link dev.quire.engine.Account} per signed-in user (the {@link dev.quire.session.Session}
 * and what its events do to connections), an {@link dev.quire.engine.OpenDocument} per document window (the document,
 * its {@link dev.quire.net.SyncConnection}, the outbox of the user's local store, a status the UI draws).
 *
 * <p>The rules it keeps: a local edit is committed to the store's outbox before it is sent and leaves it only on the
 * server's word; the outbox belongs to the user who typed it (each user has a profile, so a store, of their own); a
 * new access token reaches every live connection in-band; a session's end closes every connection of it at once.
 */
package dev.quire.engine;
