package io.github.alru.lincheck;

/**
 * The operations the Lincheck tests run, with results that are plain values: both the real cache
 * (through {@link CacheDriver}) and the sequential model of the contract ({@link ContractModel})
 * implement them, so that Lincheck can compare the two call by call.
 *
 * <p>Keys are small ints; values are {@code "ready-<key>"} for a load that {@link #getReady} starts
 * and {@code "later-<key>"} for one that {@link #getLater} starts and {@link #completeLater}
 * finishes.
 */
interface CacheOperations {

    /** The result of a {@code get} that started a load: its loader ran. */
    String MISS = "miss";
    /** The result of a {@code get} served without running its loader: a finished entry, or a load in flight joined. */
    String HIT = "hit";
    /** The result of a {@code get} on a closed cache: its future failed with {@code AlruCacheClosedException}. */
    String CLOSED = "closed";
    /** The result of {@link #peek} when the key has no finished entry, or the cache is closed. */
    String NONE = "none";

    /** The value a loader that completes at once gives {@code key}. */
    static String readyValue(int key) {
        return "ready-" + key;
    }

    /** The value {@link #completeLater} gives {@code key}. */
    static String laterValue(int key) {
        return "later-" + key;
    }

    /**
     * {@code get(key, loader)} with a loader that returns an already completed future.
     *
     * @return {@link #MISS}, {@link #HIT} or {@link #CLOSED}
     */
    String getReady(int key);

    /**
     * {@code get(key, loader)} with a loader that returns a future completed only by a later
     * {@link #completeLater} or {@link #failLater} of the key (or cancelled by {@code close(false)}).
     *
     * @return {@link #MISS}, {@link #HIT} or {@link #CLOSED}
     */
    String getLater(int key);

    /** Completes, with {@link #laterValue}, every future a {@link #getLater} loader made for {@code key} so far. */
    void completeLater(int key);

    /** Fails every future a {@link #getLater} loader made for {@code key} so far. */
    void failLater(int key);

    /**
     * {@code getIfPresent(key)}: a finished entry's value (a hit, a use in LRU order), else {@link #NONE}.
     *
     * @return the value or {@link #NONE}
     */
    String peek(int key);

    /** {@code contains(key)}. */
    boolean contains(int key);

    /** {@code invalidate(key)}. */
    boolean invalidate(int key);

    /** {@code clear()}. */
    void clear();

    /** {@code info().currentSize()}. */
    long currentSize();

    /** {@code close(wait)}; the future it returns is not looked at. */
    void close(boolean wait);

    /** {@code parameters().closed()}. */
    boolean closed();
}
