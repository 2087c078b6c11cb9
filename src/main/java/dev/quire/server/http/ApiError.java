package dev.quire.server.http;

import java.util.Map;

/**
 * An HTTP error answer: status, the machine-readable {@code error} code and a human {@code message}, plus any
 * fields a convention asks for (RFC 6749's {@code error_description}). Thrown by route handlers; {@link Router}
 * turns it into the JSON body. Messages never contain a credential.
 */
final class ApiError extends RuntimeException {
    final int status;
    final String code;
    final Map<String, String> extra;

    ApiError(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    ApiError(int status, String code, String message, Map<String, String> extra) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.extra = extra;
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, "BAD_REQUEST", message);
    }

    static ApiError notFound() {
        return new ApiError(404, "NOT_FOUND", "no such resource");
    }
}
