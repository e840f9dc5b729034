package io.github.alru;

/**
 * A snapshot of a cache's parameters and life-cycle state.
 *
 * @param maxSize the size bound, or {@link AlruCache#UNBOUNDED}
 * @param typed whether equal keys of different runtime classes are kept apart
 * @param inFlight loads this cache started that have not finished, including those whose entry
 *     was invalidated or cleared
 * @param closed whether {@link AlruCache#close(boolean)} has been called
 */
public record AlruCacheParameters(long maxSize, boolean typed, int inFlight, boolean closed) {
}
