package dev.quire.server;

import dev.quire.testing.LogCapture;
import dev.quire.testing.SyncTestClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import dev.quire.cli.Main;
import dev.quire.protocol.AuthOk;
import dev.quire.protocol.ErrorMessage;
import dev.quire.protocol.Renew;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every log event of a full round against a live server, captured at the root logger at TRACE: {@code quire server
 * user add} with the password on stdin, login (and a wrong password), refresh, ticket, connections with the ticket
 * and with a bearer header, an in-band renewal, bad tokens (forged, garbage, in the URL, a reused ticket), reuse of
 * a rotated refresh token, revocation. No password, access token, refresh token or ticket appears in any message,
 * argument, key-value pair or exception, whole or in part (any 16 characters of a secret, or a JWT's signature).
 */
class ServerLogSecrecyTest {
    private static final int FRAGMENT = 16;

    @TempDir
    Path dir;

    @Test
    void aFullAuthRoundLogsNoSecret() throws Exception {
        LogCapture captured = LogCapture.of(org.slf4j.Logger.ROOT_LOGGER_NAME, Level.TRACE);
        List<String> secrets = new ArrayList<>();
        try {
            Path data = dir.resolve("data");
            String password = "correct horse battery staple";
            secrets.add(password);
            assertEquals(0, cli(password + "\n", "server", "user", "add", "alice", "--data", data.toString()));

            try (ServerFixture f = new ServerFixture(data, c -> c.withTokenLifetimes(Duration.ofSeconds(2),
                    Duration.ofDays(1)).withExpiry(Duration.ofSeconds(1), Duration.ZERO))) {
                String wrong = "wrong-password-guess";
                secrets.add(wrong);
                assertEquals(400, f.passwordGrant("alice", wrong).statusCode());
                ServerFixture.Tokens login = f.login("alice", password);
                ServerFixture.Tokens refreshed = f.refresh(login.refresh());
                secrets.addAll(List.of(login.access(), login.refresh(), refreshed.access(), refreshed.refresh()));
                String doc = f.createDoc(refreshed.access(), "secret round");

                String ticket = f.ticket(refreshed.access(), doc);
                secrets.add(ticket);
                SyncTestClient stock = f.connectWithTicket(doc, ticket, false);
                SyncTestClient quire = f.connectWithBearer(doc, refreshed.access(), true);
                quire.next(AuthOk.class);
                quire.type("hello");
                stock.awaitText("hello");
                // reused ticket
                assertEquals(1008, f.connectWithTicket(doc, ticket, false).awaitClose().code());

                f.clock.advance(Duration.ofSeconds(1));
                assertEquals("TOKEN_EXPIRING", quire.next(ErrorMessage.class).code());
                ServerFixture.Tokens renewal = f.refresh(refreshed.refresh());
                secrets.addAll(List.of(renewal.access(), renewal.refresh()));
                quire.sendMessage(new Renew(renewal.access()));
                quire.next(AuthOk.class);

                String forged = new PlainJWT(new JWTClaimsSet.Builder().subject("x").build()).serialize()
                        + "forged-signature-part";
                String garbage = "garbage-token-" + "q".repeat(40);
                secrets.addAll(List.of(forged, garbage));
                assertEquals(1008, f.connectWithBearer(doc, forged, true).awaitClose().code());
                assertEquals(1008, f.connectWithBearer(doc, garbage, true).awaitClose().code());
                assertEquals(1008, f.connect(doc, "access_token=" + renewal.access(), Map.of(), true)
                        .awaitClose().code());
                HttpResponse<String> badBearer = f.get("/docs", garbage);
                assertEquals(401, badBearer.statusCode());
                assertFalse(badBearer.body().contains(garbage), "the error body echoes the token");

                // reuse of a rotated refresh token revokes the family; then log out another session
                assertEquals(400, f.refreshGrant(login.refresh()).statusCode());
                ServerFixture.Tokens other = f.login("alice", password);
                secrets.addAll(List.of(other.access(), other.refresh()));
                assertEquals(200, f.form("/auth/revoke", Map.of("token", other.refresh())).statusCode());
                stock.closeBlocking();
                quire.closeBlocking();
            }
        } finally {
            captured.close();
        }

        List<String> lines = new ArrayList<>();
        for (ILoggingEvent e : captured.events()) {
            lines.add(LogCapture.render(e));
        }
        String all = String.join("\n", lines);
        // the round was logged (so the test can fail): users, grants, tickets, connects, refusals, renewals
        for (String expected : List.of("tokens issued", "token request refused", "ticket issued",
                "connected", "renewed", "refresh token revoked")) {
            assertTrue(all.contains(expected), "no log line with '" + expected + "'");
        }
        for (int i = 0; i < secrets.size(); i++) {
            int which = i;
            for (String fragment : fragments(secrets.get(i))) {
                for (int j = 0; j < lines.size(); j++) {
                    ILoggingEvent e = captured.events().get(j);
                    // the failure names the event and the secret, not the leaked text: test output is a log too
                    assertFalse(lines.get(j).contains(fragment), () -> "secret #" + which + " leaks into the event '"
                            + e.getLoggerName() + ": " + e.getMessage() + "'");
                }
            }
        }
    }

    /** The secret, a JWT's signature, and every run of {@link #FRAGMENT} characters of either. */
    private static List<String> fragments(String secret) {
        List<String> out = new ArrayList<>();
        List<String> wholes = new ArrayList<>(List.of(secret));
        String[] parts = secret.split("\\.");
        if (parts.length == 3 && !parts[2].isEmpty()) {
            wholes.add(parts[2]);
        }
        for (String w : wholes) {
            out.add(w);
            if (w == secret && parts.length == 3) {
                continue; // header and claims of a JWT are not secret (and repeat across tokens); its signature is
            }
            for (int i = 0; i + FRAGMENT <= w.length(); i++) {
                out.add(w.substring(i, i + FRAGMENT));
            }
        }
        return out;
    }

    private static int cli(String stdin, String... args) {
        InputStream in = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            CommandLine cli = Main.commandLine();
            cli.setOut(new PrintWriter(new StringWriter()));
            cli.setErr(new PrintWriter(new StringWriter()));
            return cli.execute(args);
        } finally {
            System.setIn(in);
        }
    }
}
