package io.github.alru.lincheck;

import io.github.alru.Eviction;
import org.jetbrains.lincheck.datastructures.Operation;

/** {@link CacheContentsLincheckTest} on the {@link Eviction#LRU} engine, with {@code clear} among the operations. */
public class LruCacheContentsLincheckTest extends CacheContentsLincheckTest {

    /** A new LRU cache for each Lincheck invocation. */
    public LruCacheContentsLincheckTest() {
        super(Eviction.LRU);
    }

    @Operation
    public void clear() {
        cache.clear();
    }
}
