package dev.quire.cli;

import dev.quire.server.QuireServer;
import dev.quire.server.ServerConfig;
import dev.quire.server.storage.Durability;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code quire server}: runs the reference sync server until it is stopped (Ctrl-C or SIGTERM). */
@Command(
        name = "server",
        description = {"Run Quire's sync server: WebSocket sync, token endpoint, JWKS, document API, health and"
                + " metrics.", "Stop it with Ctrl-C; acknowledged edits are already on disk."},
        subcommands = {ServerUserCommand.class, ServerKeysCommand.class})
final class ServerCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Mixin ServerDataOptions data;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to listen on (default ${DEFAULT-VALUE}; 0.0.0.0 serves the network).")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "HTTP port (default ${DEFAULT-VALUE}; 0 = any).")
    int port;

    @Option(names = "--sync-port", defaultValue = "-1",
            description = "WebSocket sync port (default: HTTP port + 1; 0 = any). Clients find it in /.well-known/quire.")
    int syncPort;

    @Option(names = "--access-ttl", defaultValue = "15m", converter = DurationConverter.class,
            description = "Access token lifetime (default ${DEFAULT-VALUE}).")
    Duration accessTtl;

    @Option(names = "--refresh-ttl", defaultValue = "30d", converter = DurationConverter.class,
            description = "Refresh token lifetime, counted from login (default ${DEFAULT-VALUE}).")
    Duration refreshTtl;

    @Option(names = "--dev", description = "Dev mode: no login, every connection is user 'dev'; loopback only.")
    boolean dev;

    @Option(names = "--trust-jwks", paramLabel = "FILE|URL",
            description = "Verify tokens of an external identity provider with this JWK set instead of issuing our own.")
    String trustJwks;

    @Option(names = "--issuer", description = "Token issuer (iss) to require; with --trust-jwks, the provider's.")
    String issuer;

    @Option(names = "--audience", defaultValue = ServerConfig.DEFAULT_AUDIENCE,
            description = "Token audience (aud) to issue and require (default ${DEFAULT-VALUE}).")
    String audience;

    @Option(names = "--expired-grace", defaultValue = "0s", converter = DurationConverter.class,
            description = "Accept tokens expired by up to this much, with a warning, for migrations (default off).")
    Duration expiredGrace;

    @Option(names = "--warn-before", defaultValue = "60s", converter = DurationConverter.class,
            description = "Warn a connection this long before its token expires (default ${DEFAULT-VALUE}).")
    Duration warnBefore;

    @Option(names = "--public-url", description = "HTTP base URL clients see, when behind a proxy.")
    String publicUrl;

    @Option(names = "--public-sync-url", description = "Sync base URL clients see (ws:// or wss://), behind a proxy.")
    String publicSyncUrl;

    @Option(names = "--fsync", description = "Force every acknowledged edit to the disk device (survives power loss;"
            + " slower). Without it, acknowledged edits survive a crash of the server process.")
    boolean fsync;

    @Override
    public Integer call() throws InterruptedException {
        ServerConfig config = new ServerConfig(host, port, syncPort, data.dataDir(), data.usersFile, accessTtl,
                refreshTtl, dev, trustJwks, issuer, audience, expiredGrace, warnBefore, publicUrl, publicSyncUrl,
                fsync ? Durability.POWER_LOSS : Durability.PROCESS_CRASH, 600_000);
        QuireServer server = QuireServer.start(config, Clock.systemUTC());
        PrintWriter out = spec.commandLine().getOut();
        out.println("Quire server: " + server.httpUrl() + " (sync " + server.syncUrl() + ")"
                + (dev ? "  [DEV MODE: no login]" : ""));
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "quire-shutdown"));
        stopped.await();
        return 0;
    }
}
