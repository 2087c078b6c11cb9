package dev.quire.server.access;

/** What a user may do with a document. A user with no role is a stranger: for them the document does not exist. */
public enum Role {
    READER,
    WRITER,
    OWNER;

    public boolean canWrite() {
        return this != READER;
    }
}
