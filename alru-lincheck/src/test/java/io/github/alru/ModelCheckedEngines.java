package io.github.alru;

/**
 * The engines as the model checks build them. An {@link Eviction#LRU} cache records its hits' uses
 * through one stripe of its use buffers: the order of their claims is then a linearization of the
 * uses, which the exact {@code functools} model describes. With several stripes, uses that no write
 * separates may count in another order (semantics item 2 allows it), which no deterministic model
 * can check; {@code LruOrderTest} in alru-core checks that rule.
 */
public final class ModelCheckedEngines {

    private ModelCheckedEngines() {
    }

    /**
     * A builder for a cache of {@code eviction}.
     *
     * @param eviction the engine
     * @return the builder, with one use-buffer stripe for {@link Eviction#LRU}
     */
    public static AlruCacheBuilder builder(Eviction eviction) {
        AlruCacheBuilder builder = AlruCache.builder().eviction(eviction);
        return eviction == Eviction.LRU ? builder.useBufferStripes(1) : builder;
    }
}
