package dev.quire.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quire.engine.Account;
import dev.quire.engine.DocumentStatus;
import dev.quire.engine.OpenDocument;
import dev.quire.session.SessionEvent;
import dev.quire.sync.ConnectionMachine.Snapshot;
import dev.quire.sync.ConnectionState;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What {@code quire client} does once signed in: joins one document, optionally types into it, reports every
 * connection and session change as a JSON line, and at the end waits for the outbox to drain and prints a summary.
 * Its own class so that tests run it in-process with their own output.
 */
final class HeadlessClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What to do: type {@code rate} one-character edits a second (0: none) until {@code stop} opens. */
    record Plan(double rate, Duration drainTimeout, boolean print) {
    }

    /** The run's counts, as the summary line prints them. */
    record Summary(int typed, int acked, int queued, int reconnects, int expiryCloses, int refreshes,
                   int refreshFailures) {
    }

    private final PrintStream out;
    private final Clock clock;
    private final AtomicInteger typed = new AtomicInteger();
    private final AtomicInteger connects = new AtomicInteger();
    private final AtomicInteger expiryCloses = new AtomicInteger();
    private final AtomicInteger refreshes = new AtomicInteger();
    private final AtomicInteger refreshFailures = new AtomicInteger();
    private Snapshot lastSnapshot = Snapshot.INITIAL; // guarded by this

    HeadlessClient(PrintStream out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    /**
     * Runs on {@code docId} until {@code stop} opens (right after the first sync when not typing and {@code stop} is
     * null), then drains and prints the summary (and the text).
     */
    Summary run(Account account, String docId, Plan plan, CountDownLatch stop) throws Exception {
        account.addListener(this::session);
        OpenDocument doc = account.open(docId);
        doc.addListener(this::status);
        status(doc.status());
        ScheduledExecutorService typist = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "quire-typist");
            t.setDaemon(true);
            return t;
        });
        try {
            if (plan.rate() > 0) {
                Random random = new Random();
                long periodMicros = Math.max(1, Math.round(1_000_000 / plan.rate()));
                typist.scheduleAtFixedRate(() -> type(doc, random), 0, periodMicros, TimeUnit.MICROSECONDS);
            }
            if (stop != null) {
                stop.await();
            } else {
                awaitConnected(doc, plan.drainTimeout());
            }
        } finally {
            typist.shutdown();
            typist.awaitTermination(5, TimeUnit.SECONDS);
        }
        DocumentStatus end;
        try {
            end = doc.drained().get(plan.drainTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            end = doc.status();
        }
        int queued = end.queued();
        Summary summary = new Summary(typed.get(), Math.max(0, typed.get() - queued), queued,
                Math.max(0, connects.get() - 1), expiryCloses.get(), refreshes.get(), refreshFailures.get());
        ObjectNode line = event("summary").put("typed", summary.typed()).put("acked", summary.acked())
                .put("queued", summary.queued()).put("reconnects", summary.reconnects())
                .put("expiryCloses", summary.expiryCloses()).put("refreshes", summary.refreshes())
                .put("refreshFailures", summary.refreshFailures());
        print(line);
        if (plan.print()) {
            String text;
            synchronized (doc.doc()) {
                text = doc.doc().getText(OpenDocument.TEXT).toString();
            }
            print(event("text").put("text", text));
        }
        doc.close();
        return summary;
    }

    private void type(OpenDocument doc, Random random) {
        synchronized (doc.doc()) {
            var text = doc.doc().getText(OpenDocument.TEXT);
            text.insert(random.nextInt(text.length() + 1), String.valueOf((char) ('a' + random.nextInt(26))));
        }
        typed.incrementAndGet();
    }

    private static void awaitConnected(OpenDocument doc, Duration timeout) throws Exception {
        try {
            doc.when(s -> s.connection().state() == ConnectionState.CONNECTED)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // the summary says what is still queued
        }
    }

    /** A line per change of the connection (not per queued-count change: those are many). */
    private void status(DocumentStatus s) {
        Snapshot c = s.connection();
        synchronized (this) {
            if (c.equals(lastSnapshot)) {
                return;
            }
            boolean newClose = c.lastCloseCode() != lastSnapshot.lastCloseCode()
                    || !Objects.equals(c.lastError(), lastSnapshot.lastError());
            if (newClose && c.lastError().filter("TOKEN_EXPIRED"::equals).isPresent()) {
                expiryCloses.incrementAndGet();
            }
            if (c.state() == ConnectionState.CONNECTED && lastSnapshot.state() != ConnectionState.CONNECTED) {
                connects.incrementAndGet();
            }
            lastSnapshot = c;
        }
        ObjectNode line = event("state").put("state", c.state().name()).put("queued", s.queued());
        if (c.lastCloseCode() != 0) {
            line.put("closeCode", c.lastCloseCode());
        }
        c.lastError().ifPresent(e -> line.put("reason", e));
        c.nextRetryAt().ifPresent(at -> line.put("retryInMs", Math.max(0,
                Duration.between(clock.instant(), at).toMillis())));
        print(line);
    }

    private void session(SessionEvent e) {
        if (e instanceof SessionEvent.TokenRefreshed r) {
            refreshes.incrementAndGet(); // the token itself is never printed
            print(event("session").put("session", "refreshed").put("expiresAt", r.token().expiresAt().toString()));
        } else if (e instanceof SessionEvent.RefreshFailed f) {
            refreshFailures.incrementAndGet();
            print(event("session").put("session", "refreshFailed").put("status", f.status())
                    .put("retryInMs", f.retryIn().toMillis()).put("tokenValid", f.tokenValid()));
        } else if (e instanceof SessionEvent.SessionEnded ended) {
            ObjectNode line = event("session").put("session", "ended").put("reason", ended.reason().name());
            if (ended.error() != null) {
                line.put("error", ended.error());
            }
            print(line);
        }
    }

    private static ObjectNode event(String name) {
        return JSON.createObjectNode().put("event", name);
    }

    private synchronized void print(ObjectNode line) {
        out.println(line.toString());
        out.flush();
    }
}
