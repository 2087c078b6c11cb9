package dev.quire.server.access;

import java.util.Optional;

/** Answers who may open a document, at connect and on every HTTP request. */
public interface DocumentAccess {
    /**
     * The user's role for the document; empty when the user has none or there is no such document (callers answer
     * both with the same 404, so a stranger cannot learn that a document exists).
     */
    Optional<Role> roleOf(String userId, String docId);
}
