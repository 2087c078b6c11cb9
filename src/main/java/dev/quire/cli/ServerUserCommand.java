package dev.quire.cli;

import dev.quire.server.auth.FileUserDirectory;
import dev.quire.server.auth.PasswordHasher;
import dev.quire.server.auth.User;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code quire server user add|list|disable|enable|delete}: the users file. Works while the server runs: the server
 * re-reads the file when it changes, and a deleted or disabled user's tokens stop working at once.
 */
@Command(name = "user", description = "Manage the server's users (the users file).")
final class ServerUserCommand {

    @Spec CommandSpec spec;

    private static FileUserDirectory users(ServerDataOptions data) {
        try {
            Files.createDirectories(data.users().toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + data.users().getParent() + ": " + e.getMessage(), e);
        }
        return new FileUserDirectory(data.users(), new SecureRandom());
    }

    @Command(name = "add", description = "Add a user; the password is read from standard input (one line).")
    int add(@Mixin ServerDataOptions data, @Parameters(paramLabel = "NAME") String name) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!User.isValidName(name)) {
            err.println("error: a user name is 1-64 of A-Z a-z 0-9 . _ -");
            return 2;
        }
        char[] password = readPassword();
        try {
            if (password.length < 8) {
                err.println("error: give a password of at least 8 characters on standard input");
                return 2;
            }
            User user = users(data).add(name, new PasswordHasher(PasswordHasher.DEFAULT_ITERATIONS, new SecureRandom())
                    .hash(password));
            out.println("added user " + user.name() + " (id " + user.id() + ") to " + data.users());
            return 0;
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    @Command(name = "list", description = "List users: id, name, and whether disabled.")
    int list(@Mixin ServerDataOptions data) {
        PrintWriter out = spec.commandLine().getOut();
        for (User u : users(data).list()) {
            out.println(u.id() + "\t" + u.name() + (u.disabled() ? "\tdisabled" : ""));
        }
        return 0;
    }

    @Command(name = "disable", description = "Disable a user: their tokens and connections are refused.")
    int disable(@Mixin ServerDataOptions data, @Parameters(paramLabel = "NAME") String name) {
        return setDisabled(data, name, true);
    }

    @Command(name = "enable", description = "Enable a disabled user.")
    int enable(@Mixin ServerDataOptions data, @Parameters(paramLabel = "NAME") String name) {
        return setDisabled(data, name, false);
    }

    @Command(name = "delete", description = "Delete a user: their tokens and connections are refused.")
    int delete(@Mixin ServerDataOptions data, @Parameters(paramLabel = "NAME") String name) {
        FileUserDirectory users = users(data);
        return users.byName(name).map(u -> {
            users.delete(u.id());
            spec.commandLine().getOut().println("deleted user " + name);
            return 0;
        }).orElseGet(() -> noSuchUser(data, name));
    }

    private int setDisabled(ServerDataOptions data, String name, boolean disabled) {
        FileUserDirectory users = users(data);
        return users.byName(name).map(u -> {
            users.setDisabled(u.id(), disabled);
            spec.commandLine().getOut().println((disabled ? "disabled" : "enabled") + " user " + name);
            return 0;
        }).orElseGet(() -> noSuchUser(data, name));
    }

    private int noSuchUser(ServerDataOptions data, String name) {
        spec.commandLine().getErr().println("error: no user " + name + " in " + data.users());
        return 1;
    }

    private static char[] readPassword() throws IOException {
        return StdinPassword.read(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
    }
}
