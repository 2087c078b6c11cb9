package dev.quire.server.auth;

import dev.quire.testing.LogCapture;
import dev.quire.testing.TestClock;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.quire.server.storage.H2DocumentStore;
import dev.quire.server.storage.H2Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full round of the auth classes (user added, login, refresh, reuse, revoke, key rotation, refused tokens, a broken
 * users file) with every log line and every exception message captured: none contains a password, hash, token,
 * refresh token, ticket or private key.
 */
class NoSecretsLeakTest {
    @TempDir
    Path dir;

    @Test
    void aFullAuthRoundLogsAndReportsNoSecret() throws Exception {
        LogCapture appender = LogCapture.of(org.slf4j.Logger.ROOT_LOGGER_NAME, Level.DEBUG);
        List<String> secrets = new ArrayList<>();
        List<String> said = new ArrayList<>();
        TestClock clock = TestClock.at("2026-11-23T10:00:00Z");
        SecureRandom random = new SecureRandom();
        try (H2Storage storage = H2Storage.open(dir.resolve("data"),
                H2DocumentStore.Options.defaults().withClock(clock))) {
            PasswordHasher hasher = new PasswordHasher(1000, random);
            FileUserDirectory users = new FileUserDirectory(dir.resolve("users"), random);
            String password = "Tr0ub4dor&3-secret";
            secrets.add(password);
            String hash = hasher.hash(password.toCharArray());
            secrets.add(hash.substring(hash.lastIndexOf('$') + 1));
            User alice = users.add("alice", hash);
            KeyRing keys = KeyRing.open(dir.resolve("keys.json"), Duration.ofMinutes(15), clock, random);
            secrets.add(keys.signingKey().getD().toString());
            TokenIssuer issuer = new TokenIssuer(keys, "https://q.test", "quire", Duration.ofMinutes(15), clock, random);
            JwtVerifier verifier = JwtVerifier.forKeyRing(keys, "https://q.test", "quire", users, clock);
            TokenService service = new TokenService(users, hasher, issuer, storage.refreshTokens(), Duration.ofDays(1),
                    clock, random);

            TokenResponse login = service.passwordGrant("alice", password.toCharArray());
            said.add(login.toString());
            secrets.add(login.accessToken());
            secrets.add(login.accessToken().split("\\.")[2]);
            secrets.add(login.refreshToken());
            TokenResponse next = service.refreshGrant(login.refreshToken());
            secrets.add(next.accessToken().split("\\.")[2]);
            secrets.add(next.refreshToken());
            said.add(next.toString());
            said.add(verifier.verify(next.accessToken()).toString());
            said.add(issuer.issue(alice).toString());
            Tickets tickets = new Tickets(clock, random);
            Tickets.Ticket ticket = tickets.issue(verifier.verify(next.accessToken()), "doc-1");
            secrets.add(ticket.value());
            said.add(ticket.toString());
            keys.rotate();

            for (Runnable failing : List.<Runnable>of(
                    () -> service.passwordGrant("alice", "wrong-password-xyz".toCharArray()),
                    () -> service.refreshGrant(login.refreshToken()), // reuse
                    () -> service.refreshGrant(next.refreshToken()), // revoked
                    () -> verifier.verify(login.accessToken() + "x"),
                    () -> verifier.verify(login.accessToken().replace('.', '!')),
                    () -> tickets.redeem(ticket.value(), "doc-2"))) {
                try {
                    failing.run();
                } catch (RuntimeException e) {
                    said.add(e.toString());
                }
            }
            secrets.add("wrong-password-xyz");
            service.revoke(next.refreshToken());
            Files.writeString(users.path(), "broken:" + hash + "\n");
            users.byName("alice");
            said.add(users.toString());
            said.add(keys.toString());
            said.add(service.toString());
        } finally {
            appender.close();
        }
        for (ILoggingEvent e : appender.events()) {
            said.add(e.getFormattedMessage());
            if (e.getThrowableProxy() != null) {
                said.add(e.getThrowableProxy().getMessage());
            }
        }
        assertTrue(said.size() > 15, "the round produced messages to check: " + said);
        for (String s : said) {
            for (String secret : secrets) {
                assertFalse(s.contains(secret), "a secret in: " + s);
            }
        }
    }
}
