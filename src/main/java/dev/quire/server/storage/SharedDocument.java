package dev.quire.server.storage;

/** A document someone shared with a user, and what for. */
public record SharedDocument(DocumentInfo document, ShareRole role) {
}
