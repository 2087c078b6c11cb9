/**
 * Who may do what with a document: workspaces, sharing, roles, and every document operation of the HTTP API behind a
 * role check. Transport-free: the HTTP and sync layers call {@link dev.quire.server.access.AccessService} (or ask
 * {@link dev.quire.server.access.DocumentAccess#roleOf}) and map its exceptions to status codes and close codes.
 *
 * <p>The rules (issue 5): the owner of a document's workspace owns the document; other users see it only if it is
 * shared with them, as a reader or a writer. A stranger learns nothing, not even that the document exists: no such
 * document and no access give the same {@link dev.quire.server.access.AccessDeniedException.Kind#NOT_FOUND}.
 */
package dev.quire.server.access;
