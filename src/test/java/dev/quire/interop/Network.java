package dev.quire.interop;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Messages between replicas, delivered in a seeded random order (like Yjs's TestConnector in tests/testHelper.js,
 * but also out of order per sender and with duplicates): every update a replica emits goes into every other
 * replica's inbox, and a delivery takes any message from an inbox, not the oldest.
 */
final class Network {
    /** Applies a message to a replica and returns the updates that replica emitted in reaction (format cleanup). */
    @FunctionalInterface
    interface Receiver {
        List<byte[]> apply(int replica, byte[] update);
    }

    record Message(int from, byte[] update) {
    }

    private final Random rng;
    private final Receiver receiver;
    private final int duplicatePercent;
    private final List<Message> log = new ArrayList<>();
    private final List<List<Integer>> inboxes = new ArrayList<>();
    private final List<List<Integer>> delivered = new ArrayList<>();
    private int deliveries;

    Network(int replicas, Random rng, int duplicatePercent, Receiver receiver) {
        this.rng = rng;
        this.receiver = receiver;
        this.duplicatePercent = duplicatePercent;
        for (int i = 0; i < replicas; i++) {
            inboxes.add(new ArrayList<>());
            delivered.add(new ArrayList<>());
        }
    }

    /** Every message ever sent, in the order it was sent. */
    List<Message> log() {
        return log;
    }

    int deliveries() {
        return deliveries;
    }

    void send(int from, List<byte[]> updates) {
        for (byte[] u : updates) {
            int id = log.size();
            log.add(new Message(from, u));
            for (int to = 0; to < inboxes.size(); to++) {
                if (to != from) {
                    inboxes.get(to).add(id);
                }
            }
        }
    }

    boolean quiet() {
        return inboxes.stream().allMatch(List::isEmpty);
    }

    /** Delivers one random message to one random replica that has mail; sometimes a duplicate instead. */
    void deliverOne() {
        List<Integer> candidates = new ArrayList<>();
        for (int to = 0; to < inboxes.size(); to++) {
            if (!inboxes.get(to).isEmpty()) {
                candidates.add(to);
            }
        }
        if (candidates.isEmpty()) {
            return;
        }
        int to = candidates.get(rng.nextInt(candidates.size()));
        List<Integer> seen = delivered.get(to);
        if (!seen.isEmpty() && rng.nextInt(100) < duplicatePercent) {
            deliver(to, seen.get(rng.nextInt(seen.size())));
        }
        List<Integer> inbox = inboxes.get(to);
        int id = inbox.remove(rng.nextInt(inbox.size()));
        seen.add(id);
        deliver(to, id);
    }

    /** Delivers until every inbox is empty (reactions included). */
    void flush() {
        while (!quiet()) {
            deliverOne();
        }
    }

    private void deliver(int to, int id) {
        deliveries++;
        send(to, receiver.apply(to, log.get(id).update()));
    }
}
