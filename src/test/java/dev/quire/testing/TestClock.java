package dev.quire.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock a test moves by hand, shared by everything under test (servers, verifiers, tickets, timers), so that
 * expiry and timeouts are tested without sleeping. Thread-safe: servers read it from their own threads.
 */
public final class TestClock extends Clock {
    private final Instant start;
    private volatile Instant now;

    public TestClock(Instant start) {
        this.start = start;
        this.now = start;
    }

    public static TestClock at(String instant) {
        return new TestClock(Instant.parse(instant));
    }

    public Instant start() {
        return start;
    }

    public synchronized void advance(Duration d) {
        now = now.plus(d);
    }

    public void set(Instant instant) {
        now = instant;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
