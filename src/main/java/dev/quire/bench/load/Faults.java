package dev.quire.bench.load;

/**
 * Faults injected into the generator, to show that the checks catch them: client {@code client} silently drops
 * every {@code dropEvery}-th incoming sync update. {@link #NONE} for a real run.
 */
record Faults(int client, int dropEvery) {
    static final Faults NONE = new Faults(-1, 0);

    boolean drops(int clientIndex, long incomingUpdateNumber) {
        return clientIndex == client && dropEvery > 0 && incomingUpdateNumber % dropEvery == 0;
    }
}
