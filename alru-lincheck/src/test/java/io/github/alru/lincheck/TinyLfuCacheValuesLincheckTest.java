package io.github.alru.lincheck;

import io.github.alru.Eviction;

/**
 * {@link CacheValuesLincheckTest} on the {@link Eviction#TINY_LFU} engine, with {@code maxSize} 3,
 * which three keys never overfill, and without
 * {@code clear} (see {@link TinyLfuCacheContentsLincheckTest}).
 */
public class TinyLfuCacheValuesLincheckTest extends CacheValuesLincheckTest {

    /** A new TINY_LFU cache for each Lincheck invocation. */
    public TinyLfuCacheValuesLincheckTest() {
        super(Eviction.TINY_LFU, 3);
    }
}
