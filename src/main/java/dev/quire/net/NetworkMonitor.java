package dev.quire.net;

import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Tells when the machine's network comes and goes, so that connections retry at once when it is back instead of
 * waiting out their backoff (up to 30 s). The JDK has no portable network-change event, so this polls the interfaces
 * ({@link #interfacesUp()}) every {@code interval}; a change is reported once, on the scheduler's thread.
 */
public final class NetworkMonitor implements AutoCloseable {
    private final BooleanSupplier probe;
    private final Consumer<Boolean> onChange;
    private final ScheduledFuture<?> task;
    private Boolean last; // on the scheduler's thread only

    /**
     * @param probe    whether the network is up now (the OS by default: {@link #interfacesUp()}; a fault in tests)
     * @param onChange hears {@code true} when the network came back, {@code false} when it went
     */
    public NetworkMonitor(BooleanSupplier probe, ScheduledExecutorService scheduler, long intervalMillis,
                          Consumer<Boolean> onChange) {
        this.probe = Objects.requireNonNull(probe, "probe");
        this.onChange = Objects.requireNonNull(onChange, "onChange");
        this.task = scheduler.scheduleWithFixedDelay(this::check, 0, intervalMillis, TimeUnit.MILLISECONDS);
    }

    private void check() {
        boolean up;
        try {
            up = probe.getAsBoolean();
        } catch (RuntimeException e) {
            return; // no answer is no news
        }
        if (last != null && last != up) {
            onChange.accept(up);
        }
        last = up;
    }

    /** Whether any interface other than loopback is up with an address: the machine has some network. */
    public static boolean interfacesUp() {
        try {
            for (NetworkInterface i : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (i.isUp() && !i.isLoopback() && i.getInetAddresses().hasMoreElements()) {
                    return true;
                }
            }
            return false;
        } catch (SocketException e) {
            throw new IllegalStateException("cannot list network interfaces", e);
        }
    }

    @Override
    public void close() {
        task.cancel(false);
    }
}
