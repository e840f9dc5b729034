package io.github.alru.lincheck;

import io.github.alru.Eviction;

/**
 * {@link CacheContentsLincheckTest} on the {@link Eviction#TINY_LFU} engine, without {@code clear}:
 * this engine clears through Caffeine's {@code asMap().clear()}, which removes the entries one by
 * one while other calls go on, so an entry inserted during a {@code clear} may survive it while an
 * older one does not. No single point in time explains that, so {@code clear} is not linearizable
 * here by design, and is left out rather than checked with a weaker model.
 */
public class TinyLfuCacheContentsLincheckTest extends CacheContentsLincheckTest {

    /** A new TINY_LFU cache for each Lincheck invocation. */
    public TinyLfuCacheContentsLincheckTest() {
        super(Eviction.TINY_LFU);
    }
}
