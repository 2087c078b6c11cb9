package dev.quire.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quire.server.QuireServer;
import dev.quire.server.ServerConfig;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code quire server user add|list} (password on stdin) and {@code quire server keys list|rotate}, run in-process
 * on a temporary data directory; the user added is then able to log in to a server over that directory.
 */
class ServerAdminCommandsTest {
    @TempDir
    Path dir;

    @Test
    void userAddReadsThePasswordFromStdinAndListShowsTheUser() throws Exception {
        String data = dir.resolve("data").toString();
        String password = "stdin-password-42";
        CliRun add = withStdin(password + "\n", "server", "user", "add", "alice", "--data", data);
        assertEquals(0, add.exitCode(), add.err());
        assertTrue(add.out().startsWith("added user alice (id "), add.out());
        assertFalse(add.out().contains(password) || add.err().contains(password));
        assertFalse(Files.readString(dir.resolve("data").resolve("users")).contains(password), "stored hashed");

        CliRun list = CliRun.of("server", "user", "list", "--data", data);
        assertEquals(0, list.exitCode(), list.err());
        List<String> lines = list.out().lines().toList();
        assertEquals(1, lines.size(), list.out());
        assertTrue(lines.get(0).matches("\\S+\talice"), lines.get(0));

        CliRun tooShort = withStdin("short\n", "server", "user", "add", "bob", "--data", data);
        assertEquals(2, tooShort.exitCode());
        assertTrue(tooShort.err().contains("at least 8 characters"), tooShort.err());

        // the password read from stdin is the one the server checks
        try (QuireServer server = QuireServer.start(ServerConfig.defaults(dir.resolve("data")).onFreePorts(),
                Clock.systemUTC())) {
            assertEquals(200, login(server, "alice", password));
            assertEquals(400, login(server, "alice", password + "x"));
        }
    }

    @Test
    void keysRotateChangesTheCurrentKid() {
        String data = dir.resolve("data").toString();
        CliRun before = CliRun.of("server", "keys", "list", "--data", data);
        assertEquals(0, before.exitCode(), before.err());
        String first = current(before.out());

        CliRun rotate = CliRun.of("server", "keys", "rotate", "--data", data);
        assertEquals(0, rotate.exitCode(), rotate.err());
        String announced = rotate.out().strip().replace("new signing key ", "");

        CliRun after = CliRun.of("server", "keys", "list", "--data", data);
        String second = current(after.out());
        assertNotEquals(first, second);
        assertEquals(announced, second);
        // the old key stays listed (and published) until the tokens it signed have expired
        assertTrue(after.out().lines().anyMatch(l -> l.equals(first)), after.out());
    }

    private static String current(String listing) {
        List<String> current = listing.lines().filter(l -> l.endsWith("\tcurrent")).toList();
        assertEquals(1, current.size(), listing);
        return current.get(0).replace("\tcurrent", "");
    }

    private static int login(QuireServer server, String user, String password) throws Exception {
        String form = "grant_type=password&username=" + URLEncoder.encode(user, StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
        HttpRequest req = HttpRequest.newBuilder(server.httpUrl().resolve("/auth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static CliRun withStdin(String stdin, String... args) {
        InputStream in = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            return CliRun.of(args);
        } finally {
            System.setIn(in);
        }
    }
}
