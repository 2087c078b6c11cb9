package dev.quire.session;

/** The refresh token could not be read, stored or cleared; the message says where, never what. */
public final class VaultException extends RuntimeException {
    public VaultException(String message, Throwable cause) {
        super(message, cause);
    }
}
