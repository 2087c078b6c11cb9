package dev.quire.server.storage;

import java.util.Optional;

/**
 * What the store knows about one user and one document, read in one query: the facts an access decision needs.
 *
 * @param workspaceOwnerId the owner of the document's workspace; null if the workspace has no row (a document created
 *                         straight through {@link DocumentStore} with an opaque workspace id)
 * @param sharedAs         the document's share with the user; null if it is not shared with them
 */
public record DocumentGrant(DocumentInfo document, String workspaceOwnerId, ShareRole sharedAs) {

    public boolean ownedBy(String userId) {
        return userId.equals(workspaceOwnerId);
    }

    public Optional<ShareRole> share() {
        return Optional.ofNullable(sharedAs);
    }
}
