package dev.quire.cli;

import dev.quire.engine.Account;
import dev.quire.engine.ClientEngine;
import dev.quire.session.TokenEndpointException;
import dev.quire.store.Profiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code quire client}: the client engine without windows, for the load bench, soak tests and debugging a server. */
@Command(
        name = "client",
        description = {
            "Sign in to a Quire server, join one document and optionally type into it; prints one JSON object per"
                    + " line: a 'state' line on every connection change, a 'session' line on every token refresh,"
                    + " failure or end, and at exit a 'summary' (after waiting for the outbox to drain).",
            "The password comes from QUIRE_PASSWORD or the first line of stdin. Exit code 0 when nothing is left"
                    + " queued, 3 when edits remain queued, 2 when the sign-in failed."
        })
final class ClientCommand implements Callable<Integer> {
    @Option(names = "--server", required = true, description = "The server's URL (its /.well-known/quire is read).")
    String server;

    @Option(names = "--user", required = true, description = "User name.")
    String user;

    @Option(names = "--doc", required = true, description = "Document id.")
    String doc;

    @Option(names = "--data", description = "Folder for the profiles (default: QUIRE_HOME, else the platform's"
            + " application-data folder).")
    Path data;

    @Option(names = "--type", defaultValue = "0", description = "Type this many one-character edits a second at"
            + " random places (default: none).")
    double rate;

    @Option(names = "--duration", converter = DurationConverter.class, description = "How long to run (e.g. 30s);"
            + " default: with --type until stdin closes or the process is stopped, without it until the first sync.")
    Duration duration;

    @Option(names = "--drain-timeout", converter = DurationConverter.class, defaultValue = "30s",
            description = "How long to wait at the end for the outbox to drain (default: ${DEFAULT-VALUE}).")
    Duration drainTimeout;

    @Option(names = "--print", description = "Print the document's text last ({\"event\":\"text\",...}).")
    boolean print;

    /** Where the JSON lines go; tests set their own. */
    PrintStream out = System.out;
    /** Opens once the summary is printed. */
    private final CountDownLatch done = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String fromEnv = System.getenv("QUIRE_PASSWORD");
        char[] password = fromEnv != null ? fromEnv.toCharArray() : StdinPassword.read(stdin);
        ClientEngine.Environment env = ClientEngine.Environment.system();
        try (ClientEngine engine = ClientEngine.connect(server, Profiles.locate(data, System.getenv()), env)
                .get(30, TimeUnit.SECONDS)) {
            Account account;
            try {
                account = engine.signIn(user, password).get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                System.err.println("quire client: " + signInFailure(e.getCause()));
                return 2;
            }
            CountDownLatch stop = stopSignal(stdin);
            try {
                HeadlessClient.Summary summary = new HeadlessClient(out, Clock.systemUTC()).run(account, doc,
                        new HeadlessClient.Plan(rate, drainTimeout, print), stop);
                account.close();
                return summary.queued() == 0 ? 0 : 3;
            } finally {
                done.countDown();
            }
        } finally {
            env.loop().shutdownNow();
        }
    }

    /** When to stop: after --duration; else, when typing, at the end of stdin or on SIGTERM/Ctrl-C; else never (null). */
    private CountDownLatch stopSignal(BufferedReader stdin) {
        if (duration == null && rate <= 0) {
            return null;
        }
        CountDownLatch stop = new CountDownLatch(1);
        if (duration != null) {
            Thread timer = new Thread(() -> {
                try {
                    stop.await(duration.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                stop.countDown();
            }, "quire-client-duration");
            timer.setDaemon(true);
            timer.start();
        } else {
            Thread eof = new Thread(() -> {
                try {
                    while (stdin.readLine() != null) {
                        // only the end of stdin matters
                    }
                } catch (IOException e) {
                    // stdin gone: the same as its end
                }
                stop.countDown();
            }, "quire-client-stdin");
            eof.setDaemon(true);
            eof.start();
        }
        // SIGTERM / Ctrl-C: stop typing, and hold the exit until the outbox had its chance to drain and the summary is out
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            try {
                done.await(drainTimeout.toMillis() + 5000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "quire-client-stop"));
        return stop;
    }

    private static String signInFailure(Throwable cause) {
        if (cause instanceof TokenEndpointException te) {
            return te.kind() == TokenEndpointException.Kind.REJECTED
                    ? "the server refused the sign-in (wrong user name or password?)"
                    : "cannot reach the server's token endpoint: " + te.getMessage();
        }
        return "sign-in failed: " + cause;
    }
}
