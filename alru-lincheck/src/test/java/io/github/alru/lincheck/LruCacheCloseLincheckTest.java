package io.github.alru.lincheck;

import io.github.alru.Eviction;

/** {@link CacheCloseLincheckTest} on the {@link Eviction#LRU} engine. */
public class LruCacheCloseLincheckTest extends CacheCloseLincheckTest {

    /** A new LRU cache for each Lincheck invocation. */
    public LruCacheCloseLincheckTest() {
        super(Eviction.LRU);
    }
}
