package dev.quire.server.access;

import dev.quire.server.storage.DocumentInfo;

/** A document as one user sees it: its metadata and that user's role. */
public record DocumentView(DocumentInfo document, Role role) {
}
