package dev.quire.session;

import static dev.quire.session.SessionFixture.await;
import static dev.quire.session.SessionFixture.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.quire.testing.LogCapture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole round (a wrong password, login, refresh, a failed refresh, resume, logout, a rejected refresh) with every
 * log event captured at TRACE at the root logger, client and server alike: no password, access token or refresh
 * token appears, whole or as any 16 characters (a JWT: its signature). The same for {@code toString()} and exception
 * messages of everything that holds one.
 */
class SessionLogSecrecyTest {
    private static final int FRAGMENT = 16;

    @TempDir
    Path dir;

    @Test
    void aWholeSessionRoundLogsNoSecret() {
        Set<String> secrets = new LinkedHashSet<>();
        List<Object> holders = new ArrayList<>();
        List<Throwable> errors = new ArrayList<>();
        List<ILoggingEvent> events;
        try (LogCapture captured = LogCapture.of(org.slf4j.Logger.ROOT_LOGGER_NAME, Level.TRACE);
             SessionFixture f = new SessionFixture(dir, c -> c)) {
            secrets.add(SessionFixture.PASSWORD);
            String wrong = "a-wrong-password-guess";
            secrets.add(wrong);
            errors.add(failure(Session.login(f.services(), SessionFixture.USER, wrong.toCharArray())));

            SessionFixture.Events heard = new SessionFixture.Events();
            Session s = f.login();
            s.addListener(heard);
            holders.add(s);
            holders.add(f.services());
            holders.add(f.vault);
            AccessToken first = await(s.accessToken());
            secrets.add(first.value());
            secrets.add(f.vault.load().orElseThrow());
            holders.add(first);
            holders.add(new TokenGrant(first.value(), f.vault.load().orElseThrow(), 900));

            f.proxy.mode(FaultProxy.Mode.UNAVAILABLE);
            f.scheduler.advance(Duration.ofMinutes(14));
            holders.add(heard.next(SessionEvent.RefreshFailed.class));
            f.proxy.mode(FaultProxy.Mode.FORWARD);
            f.jump(Duration.ofMinutes(2));
            AccessToken second = await(s.accessToken());
            secrets.add(second.value());
            secrets.add(f.vault.load().orElseThrow());
            holders.add(heard.next(SessionEvent.TokenRefreshed.class));
            s.close();

            Session resumed = await(Session.resume(f.services()));
            secrets.add(await(resumed.accessToken()).value());
            secrets.add(f.vault.load().orElseThrow());
            assertTrue(await(resumed.logout()));

            Session third = f.login();
            secrets.add(await(third.accessToken()).value());
            String doomed = f.vault.load().orElseThrow();
            secrets.add(doomed);
            f.revokeAtServer(doomed);
            f.jump(Duration.ofHours(1));
            errors.add(failure(third.accessToken()));
            holders.add(third);
            events = List.copyOf(captured.events());
        }
        assertTrue(events.stream().anyMatch(e -> e.getLoggerName().endsWith("Session")), "the session logged");
        assertEquals(10, secrets.size(), "every secret of the round is distinct");

        List<String> texts = new ArrayList<>();
        for (ILoggingEvent e : events) {
            texts.add(LogCapture.render(e));
        }
        for (Object h : holders) {
            texts.add(h.toString());
        }
        for (Throwable t : errors) {
            for (Throwable c = t; c != null; c = c.getCause()) {
                texts.add(c.toString());
            }
        }
        for (String secret : secrets) {
            for (String fragment : fragments(secret)) {
                for (String text : texts) {
                    assertFalse(text.contains(fragment), () -> "a secret (" + secret.length() + " chars) shows in: "
                            + text.replace(fragment, "<HERE>"));
                }
            }
        }
    }

    /** The secret and every run of 16 of its characters; for a JWT its signature and every run of that. */
    private static List<String> fragments(String secret) {
        String[] parts = secret.split("\\.");
        // A JWT's header and claims are not secret (and repeat across tokens); its signature is.
        String w = parts.length == 3 ? parts[2] : secret;
        List<String> out = new ArrayList<>(List.of(secret, w));
        for (int i = 0; i + FRAGMENT <= w.length(); i++) {
            out.add(w.substring(i, i + FRAGMENT));
        }
        return out;
    }
}
