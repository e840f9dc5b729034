package io.github.alru;

/** How a bounded cache picks the finished entry to evict when it is full. */
public enum Eviction {

    /** The least recently used finished entry, exactly as {@code functools.lru_cache} orders them. */
    LRU,

    /** Caffeine's W-TinyLFU, which weighs recency against frequency. */
    TINY_LFU
}
