package dev.quire.session;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** What a future's failure was, under the wrappers that futures put around it. */
public final class Failures {
    private Failures() {
    }

    /** {@code t} without its {@link CompletionException} and {@link ExecutionException} wrappers. */
    public static Throwable cause(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
