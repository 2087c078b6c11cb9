package dev.quire.server.storage;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The server side of {@link KillDurabilityTest}, run in its own JVM: appends updates to one document as fast as it
 * can and prints a line for each one as soon as {@code appendUpdate} returns, i.e. when the server would send the
 * ack. Each line ends with " ." so that a line cut short by the kill is not mistaken for an ack.
 *
 * <p>Arguments: data directory, document id, client id.
 */
public final class KillDurabilityChild {
    private KillDurabilityChild() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        String docId = args[1];
        long clientId = Long.parseLong(args[2]);
        Editor editor = new Editor(clientId);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos(); // in case nobody kills us
        try (H2DocumentStore store = H2DocumentStore.open(dir)) {
            for (int i = 0; System.nanoTime() < deadline; i++) {
                String token = "<" + i + ">";
                byte[] update = editor.edit(t -> t.insert(t.length(), token));
                Appended ack = store.appendUpdate(docId, update, "writer", "child-connection", Instant.now());
                System.out.println("ACK " + ack.seq() + " " + ack.clockOf(clientId) + " " + update.length + " "
                        + token + " .");
                System.out.flush();
                if (System.out.checkError()) {
                    return; // the test is gone
                }
            }
        }
    }
}
