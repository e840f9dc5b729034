package io.github.alru.lincheck;

import io.github.alru.Eviction;
import org.jetbrains.lincheck.datastructures.Operation;

/**
 * {@link CacheValuesLincheckTest} on the {@link Eviction#LRU} engine, with {@code maxSize} 2, which
 * three keys overfill, and with {@code clear} among the operations.
 */
public class LruCacheValuesLincheckTest extends CacheValuesLincheckTest {

    /** A new LRU cache for each Lincheck invocation. */
    public LruCacheValuesLincheckTest() {
        super(Eviction.LRU, 2);
    }

    @Operation
    public void clear() {
        cache.clear();
    }
}
