package io.github.alru;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A ticker that stands still until a test advances it: ttl tests without sleeping. */
final class FakeTicker implements Ticker {

    // Far from zero, and near the end of the long range, so that expiry arithmetic must survive overflow.
    private final AtomicLong nanos = new AtomicLong(Long.MAX_VALUE - Duration.ofDays(1).toNanos());

    @Override
    public long read() {
        return nanos.get();
    }

    FakeTicker advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
        return this;
    }
}
