package dev.quire.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the server keeps its data, shared by {@code quire server} and its {@code user}/{@code keys} subcommands. */
final class ServerDataOptions {
    @Option(names = "--data", paramLabel = "DIR", defaultValue = "quire-data",
            description = "Data directory: database, signing keys, users file (default ./${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--users", paramLabel = "FILE", description = "Users file (default DIR/users).")
    Path usersFile;

    Path dataDir() {
        return data;
    }

    Path users() {
        return usersFile != null ? usersFile : data.resolve("users");
    }
}
