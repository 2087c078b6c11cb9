package dev.quire.server.storage;

/** What a document is shared for. Ownership is not a share: it comes with the document's workspace. */
public enum ShareRole {
    READER,
    WRITER
}
