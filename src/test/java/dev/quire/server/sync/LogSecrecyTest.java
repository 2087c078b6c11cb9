package dev.quire.server.sync;

import dev.quire.testing.LogCapture;
import dev.quire.testing.SyncTestClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.quire.protocol.Ack;
import dev.quire.protocol.AuthOk;
import dev.quire.protocol.Renew;
import dev.quire.protocol.SyncStep2;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A full round of connects, refusals and a renewal, with every log event captured: no credential ever appears. */
class LogSecrecyTest {
    @TempDir
    Path dir;

    @Test
    void noTokenOrTicketEverReachesTheLogs() throws Exception {
        LogCapture captured = LogCapture.of("dev.quire.server.sync", Level.TRACE);
        List<String> secrets = new ArrayList<>();
        try (SyncFixture f = new SyncFixture(dir)) {
            String doc = f.createDoc("alice");
            String token = f.token("alice");
            secrets.add(token);
            SyncTestClient bearer = f.quire(doc, token);
            bearer.next(SyncStep2.class);
            bearer.edit(d -> d.getText("t").insert(0, "x"));
            bearer.next(Ack.class);
            String fresh = f.tokens.issue("alice", "Alice", Duration.ofHours(2));
            secrets.add(fresh);
            bearer.sendMessage(new Renew(fresh));
            bearer.next(AuthOk.class);

            String ticket = f.tickets.issue(f.tokens.verify(token), doc).value();
            secrets.add(ticket);
            String query = "ticket=" + URLEncoder.encode(ticket, StandardCharsets.UTF_8);
            f.stock(doc, token).close(); // a ticket of its own, not logged either
            SyncTestClient byTicket = new SyncTestClient(f.uri(doc, query), false, Map.of()).connectOrFail();
            byTicket.next(SyncStep2.class);
            // refused: the reused ticket, a forged token, a token in the URL, a bad renewal
            for (SyncTestClient refused : List.of(
                    new SyncTestClient(f.uri(doc, query), false, Map.of()),
                    new SyncTestClient(f.uri(doc), true, Map.of("Authorization", "Bearer tok_forged_secret")),
                    new SyncTestClient(f.uri(doc, "access_token=" + token), false, Map.of()))) {
                refused.autoSync = false;
                refused.connectBlocking(10, TimeUnit.SECONDS);
                assertEquals(1008, refused.awaitClose().code());
            }
            secrets.add("tok_forged_secret");
            bearer.sendMessage(new Renew("tok_renew_forged_secret"));
            secrets.add("tok_renew_forged_secret");
            assertEquals("TOKEN_INVALID", bearer.awaitClose().reason());
        } finally {
            captured.close();
        }
        assertTrue(captured.events().size() > 5, "the round was logged");
        for (ILoggingEvent event : captured.events()) {
            StringBuilder text = new StringBuilder(event.getFormattedMessage());
            if (event.getKeyValuePairs() != null) {
                event.getKeyValuePairs().forEach(kv -> text.append(' ').append(kv.key).append('=').append(kv.value));
            }
            if (event.getThrowableProxy() != null) {
                text.append(' ').append(event.getThrowableProxy().getMessage());
            }
            for (String secret : secrets) {
                assertFalse(text.toString().contains(secret), "a credential in the log: " + event.getFormattedMessage());
            }
        }
    }
}
