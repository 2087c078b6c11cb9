package dev.quire.cli;

import dev.quire.server.auth.KeyRing;
import java.io.IOException;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code quire server keys rotate|list}: the token signing keys in {@code DIR/keys.json}. A running server picks up a
 * rotation by itself; the old key stays published and trusted until the tokens it signed have expired.
 */
@Command(name = "keys", description = "Manage the server's token signing keys.")
final class ServerKeysCommand {

    @Spec CommandSpec spec;

    @Option(names = "--access-ttl", defaultValue = "15m", converter = DurationConverter.class,
            description = "The server's access token lifetime: how long a retired key stays trusted (default"
                    + " ${DEFAULT-VALUE}).")
    Duration accessTtl;

    private KeyRing keys(ServerDataOptions data) throws IOException {
        Files.createDirectories(data.dataDir());
        return KeyRing.open(data.dataDir().resolve("keys.json"), accessTtl, Clock.systemUTC(), new SecureRandom());
    }

    @Command(name = "rotate", description = "Start signing with a new key.")
    int rotate(@Mixin ServerDataOptions data) throws IOException {
        String kid = keys(data).rotate();
        spec.commandLine().getOut().println("new signing key " + kid);
        return 0;
    }

    @Command(name = "list", description = "List the key ids, current first.")
    int list(@Mixin ServerDataOptions data) throws IOException {
        KeyRing ring = keys(data);
        for (String kid : ring.keyIds()) {
            spec.commandLine().getOut().println(kid + (kid.equals(ring.currentKeyId()) ? "\tcurrent" : ""));
        }
        return 0;
    }
}
