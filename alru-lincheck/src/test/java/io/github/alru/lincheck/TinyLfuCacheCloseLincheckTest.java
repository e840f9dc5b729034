package io.github.alru.lincheck;

import io.github.alru.Eviction;

/** {@link CacheCloseLincheckTest} on the {@link Eviction#TINY_LFU} engine. */
public class TinyLfuCacheCloseLincheckTest extends CacheCloseLincheckTest {

    /** A new TINY_LFU cache for each Lincheck invocation. */
    public TinyLfuCacheCloseLincheckTest() {
        super(Eviction.TINY_LFU);
    }
}
