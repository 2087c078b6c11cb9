package dev.quire.session;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The refresh token in the freedesktop Secret Service through libsecret's {@code secret-tool} (no native binding
 * needed). The secret goes to the command on stdin and comes back on stdout, never in its arguments, which any user
 * can read in {@code ps}. Entries are found by the attributes {@code service=dev.quire} and {@code account=...}.
 */
final class SecretToolVault implements RefreshTokenVault {
    static final String COMMAND = "secret-tool";
    private static final String SERVICE = "dev.quire";

    private final String command;
    private final String account;
    private final Duration timeout;

    SecretToolVault(String command, String account, Duration timeout) {
        this.command = Objects.requireNonNull(command);
        this.account = Objects.requireNonNull(account);
        this.timeout = Objects.requireNonNull(timeout);
    }

    /** Stores, reads back and clears a probe entry: the command may exist without a D-Bus session or a keyring. */
    boolean works() {
        SecretToolVault probe = new SecretToolVault(command, account + "#probe", timeout);
        try {
            String value = "probe-" + System.nanoTime();
            probe.store(value);
            boolean ok = probe.load().map(value::equals).orElse(false);
            probe.clear();
            return ok;
        } catch (VaultException e) {
            return false;
        }
    }

    @Override
    public Optional<String> load() {
        Result r = run(null, "lookup", "service", SERVICE, "account", account);
        if (r.exit == 1 && r.stdout.isEmpty()) {
            return Optional.empty(); // secret-tool lookup: exit 1 means "no such item"
        }
        check(r, "read");
        String token = r.stdout.strip();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    @Override
    public void store(String refreshToken) {
        // "store" replaces an item with the same attributes, in one step.
        check(run(refreshToken, "store", "--label=Quire refresh token (" + account + ")", "service", SERVICE,
                "account", account), "store");
    }

    @Override
    public void clear() {
        Result r = run(null, "clear", "service", SERVICE, "account", account);
        if (r.exit != 0 && r.exit != 1) {
            check(r, "clear");
        }
    }

    private record Result(int exit, String stdout) {
        @Override
        public String toString() {
            return "Result[exit=" + exit + "]"; // stdout may hold the secret
        }
    }

    private void check(Result r, String what) {
        if (r.exit != 0) {
            throw new VaultException("secret-tool could not " + what + " the refresh token of " + account + " (exit "
                    + r.exit + ")", null);
        }
    }

    private Result run(String stdin, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(command);
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new VaultException(command + " is not available: " + e.getClass().getSimpleName(), e);
        }
        try {
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            // Wait first, read after: the answer is one short line, well within a pipe's buffer, so the command never
            // blocks on its output; and a locked keyring may wait for a password prompt nobody answers.
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new VaultException(command + " did not answer within " + timeout, null);
            }
            byte[] out;
            try (InputStream o = p.getInputStream()) {
                out = o.readAllBytes();
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            p.destroyForcibly();
            throw new VaultException(command + " failed: " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new VaultException("interrupted while waiting for " + command, e);
        }
    }

    @Override
    public String toString() {
        return "SecretToolVault[" + account + "]";
    }
}
