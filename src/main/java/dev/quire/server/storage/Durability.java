package dev.quire.server.storage;

/** What a committed (and therefore acknowledged) update survives. */
public enum Durability {
    /**
     * The update's journal record is written to the operating system before {@code appendUpdate} returns: it
     * survives a crash or {@code kill -9} of the server (what issue 5 asks for). The journal is forced to the device
     * about once a second while updates keep coming, so a power loss or kernel crash can lose the last second or so
     * of acknowledged updates. The default.
     */
    PROCESS_CRASH,
    /**
     * Also forces the journal to the device (fsync) before {@code appendUpdate} returns: survives power loss on
     * hardware that honours fsync. Writers that arrive during a force share the next one, so the cost is one device
     * flush per group of concurrent updates, not per update.
     */
    POWER_LOSS
}
