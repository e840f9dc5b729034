package io.github.alru;

/**
 * The time a cache reads for ttl, jitter and refresh, in nanoseconds from an arbitrary origin, as
 * {@link System#nanoTime()} counts it: only differences matter. A test passes a fake ticker to
 * {@link AlruCacheBuilder#ticker} and advances it instead of sleeping.
 */
@FunctionalInterface
public interface Ticker {

    /**
     * Reads the time.
     *
     * @return nanoseconds since an arbitrary, fixed origin
     */
    long read();

    /**
     * The system's ticker, {@link System#nanoTime()}: every cache's default.
     *
     * @return the system ticker
     */
    static Ticker systemTicker() {
        return SystemTicker.INSTANCE;
    }
}
