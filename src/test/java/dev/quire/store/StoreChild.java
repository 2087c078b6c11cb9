package dev.quire.store;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The other process of {@link ProcessLockTest} and {@link KillDurabilityTest}, run in its own JVM.
 *
 * <p>{@code open DIR}: tries to open the store and prints {@code OPENED} or {@code FAILED <reason>}.
 * {@code append DIR DOC USER CLIENT}: appends one-token inserts as fast as it can, printing {@code APPENDED <seq>
 * <token> .} after each append returns; the final " ." tells a complete line from one cut short by a kill.
 */
public final class StoreChild {
    private StoreChild() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[1]);
        if (args[0].equals("open")) {
            try (LocalStore store = LocalStore.open(dir, Clock.systemUTC())) {
                System.out.println("OPENED");
            } catch (LocalStoreException e) {
                System.out.println("FAILED " + e.reason() + " " + e.getMessage());
            }
            return;
        }
        String doc = args[2];
        String user = args[3];
        Editor editor = new Editor(Long.parseLong(args[4]));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos(); // in case nobody kills us
        try (LocalStore store = LocalStore.open(dir, Clock.systemUTC())) {
            for (int i = 0; System.nanoTime() < deadline; i++) {
                String token = "<" + i + ">";
                OutboxEntry e = store.appendLocal(doc, user, editor.edit(t -> t.insert(t.length(), token)));
                System.out.println("APPENDED " + e.seq() + " " + token + " .");
                System.out.flush();
                if (System.out.checkError()) {
                    return; // the test is gone
                }
            }
        }
    }

    /** A command line that runs this class in a new JVM with the test class path. */
    static ProcessBuilder command(String... args) {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m", "-cp",
                System.getProperty("java.class.path"), StoreChild.class.getName()));
        cmd.addAll(java.util.List.of(args));
        return new ProcessBuilder(cmd);
    }
}
