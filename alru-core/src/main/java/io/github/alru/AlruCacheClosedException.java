package io.github.alru;

/** The failure of a call made to a cache after {@link AlruCache#close(boolean)}. */
public class AlruCacheClosedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception for the named cache.
     *
     * @param cacheName the closed cache's name
     */
    public AlruCacheClosedException(String cacheName) {
        super("alru cache '" + cacheName + "' is closed");
    }
}
