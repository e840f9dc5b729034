package io.github.alru;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Builds {@link AlruCache} instances. Every setter checks its value at once and throws
 * {@link IllegalArgumentException} naming a bad one; {@link #build()} checks the combination.
 * A builder may build any number of independent caches.
 */
public final class AlruCacheBuilder {

    private static final AtomicLong ANONYMOUS = new AtomicLong();

    private String name;
    private long maxSize = 128;
    private Duration ttl;
    private Duration jitter;
    private boolean typed;
    private Eviction eviction = Eviction.LRU;
    private Duration refreshAfter;
    private Ticker ticker = Ticker.systemTicker();
    private int useBufferStripes = UseBuffers.DEFAULT_STRIPES;

    AlruCacheBuilder() {
    }

    /**
     * Names the cache, for statistics, errors and metrics.
     *
     * @param name a non-blank name
     * @return this builder
     */
    public AlruCacheBuilder name(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank, was: '" + name + "'");
        }
        this.name = name;
        return this;
    }

    /**
     * Bounds the number of finished entries.
     *
     * @param maxSize {@link AlruCache#UNBOUNDED} for no bound, 0 to cache nothing, or a positive bound
     * @return this builder
     */
    public AlruCacheBuilder maxSize(long maxSize) {
        if (maxSize < AlruCache.UNBOUNDED) {
            throw new IllegalArgumentException(
                    "maxSize must be -1 (unbounded), 0 (cache nothing) or positive, was: " + maxSize);
        }
        this.maxSize = maxSize;
        return this;
    }

    /**
     * Sets how long a finished entry lives, counted from the completion of its load.
     *
     * @param ttl a positive duration, at most about 292 years ({@code Long.MAX_VALUE} nanoseconds)
     * @return this builder
     */
    public AlruCacheBuilder ttl(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isZero() || ttl.isNegative()) {
            throw new IllegalArgumentException("ttl must be positive, was: " + ttl);
        }
        nanos("ttl", ttl);
        this.ttl = ttl;
        return this;
    }

    /**
     * Adds to each entry's ttl a random time, uniform in [0, jitter]. Needs a {@link #ttl}.
     *
     * @param jitter zero or a positive duration, at most about 292 years
     * @return this builder
     */
    public AlruCacheBuilder jitter(Duration jitter) {
        Objects.requireNonNull(jitter, "jitter");
        if (jitter.isNegative()) {
            throw new IllegalArgumentException("jitter must not be negative, was: " + jitter);
        }
        nanos("jitter", jitter);
        this.jitter = jitter;
        return this;
    }

    /**
     * Keeps apart equal keys of different runtime classes (and, inside array keys, equal elements
     * of different classes).
     *
     * @param typed whether keys are compared by class as well as by value
     * @return this builder
     */
    public AlruCacheBuilder typed(boolean typed) {
        this.typed = typed;
        return this;
    }

    /**
     * Refreshes ahead (stale-while-revalidate): a finished entry older than {@code refreshAfter},
     * counted from its load's completion, is still served as a hit, and the first such hit starts
     * one reload in the background with that call's loader. The reloaded value replaces the entry
     * and restarts its ttl; a failed reload keeps the old value until its ttl.
     *
     * @param refreshAfter a positive duration, shorter than the ttl when there is one
     * @return this builder
     */
    public AlruCacheBuilder refreshAfter(Duration refreshAfter) {
        Objects.requireNonNull(refreshAfter, "refreshAfter");
        if (refreshAfter.isZero() || refreshAfter.isNegative()) {
            throw new IllegalArgumentException("refreshAfter must be positive, was: " + refreshAfter);
        }
        nanos("refreshAfter", refreshAfter);
        this.refreshAfter = refreshAfter;
        return this;
    }

    /**
     * Chooses the eviction policy.
     *
     * @param eviction {@link Eviction#LRU} or {@link Eviction#TINY_LFU}
     * @return this builder
     */
    public AlruCacheBuilder eviction(Eviction eviction) {
        this.eviction = Objects.requireNonNull(eviction, "eviction");
        return this;
    }

    /**
     * Sets the time source of ttl, jitter and refresh: {@link Ticker#systemTicker()} unless a test
     * passes one it advances. An entry the ticker has expired is gone at once for
     * {@code contains}, {@code currentSize} and the next call.
     *
     * @param ticker reads nanoseconds
     * @return this builder
     */
    public AlruCacheBuilder ticker(Ticker ticker) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        return this;
    }

    /** Package-private, for the model checks: how many stripes an LRU cache's use buffers have. */
    AlruCacheBuilder useBufferStripes(int stripes) {
        this.useBufferStripes = stripes;
        return this;
    }

    /**
     * Builds a cache whose callers pass the loader to each {@link AlruCache#get} call.
     *
     * @param <K> the key type
     * @param <V> the value type
     * @return a new, empty cache
     * @throws IllegalArgumentException if a jitter is set without a ttl, or refreshAfter is not shorter than the ttl
     */
    public <K, V> AlruCache<K, V> build() {
        CacheSettings settings = settings();
        if (settings.maxSize() == 0) {
            return new UncachedAlruCache<>(settings);
        }
        return switch (settings.eviction()) {
            case LRU -> new LruAlruCache<>(settings, useBufferStripes);
            case TINY_LFU -> new TinyLfuAlruCache<>(settings);
        };
    }

    /**
     * Builds a cache that loads with {@code loader}.
     *
     * @param loader makes the value's future for a key that is neither cached nor loading
     * @param <K> the key type
     * @param <V> the value type
     * @return a new, empty cache
     * @throws IllegalArgumentException if a jitter is set without a ttl, or refreshAfter is not shorter than the ttl
     */
    public <K, V> AlruLoadingCache<K, V> build(Function<? super K, ? extends CompletionStage<V>> loader) {
        Objects.requireNonNull(loader, "loader");
        AlruCache<K, V> cache = build();
        return new LoadingAlruCache<>(cache, loader);
    }

    private CacheSettings settings() {
        if (jitter != null && ttl == null) {
            throw new IllegalArgumentException("jitter (" + jitter + ") needs a ttl, but no ttl is set");
        }
        if (refreshAfter != null && ttl != null && refreshAfter.compareTo(ttl) >= 0) {
            throw new IllegalArgumentException("refreshAfter (" + refreshAfter + ") must be shorter than the ttl (" + ttl + ")");
        }
        String cacheName = name != null ? name : "alru-" + ANONYMOUS.incrementAndGet();
        return new CacheSettings(cacheName, maxSize, nanos("ttl", ttl), nanos("jitter", jitter), typed, eviction,
                nanos("refreshAfter", refreshAfter), ticker);
    }

    private static long nanos(String setting, Duration duration) {
        if (duration == null) {
            return 0;
        }
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(setting + " is too long to count in nanoseconds, was: " + duration, e);
        }
    }
}
