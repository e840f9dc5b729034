package io.github.alru;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * The semantics both engines share: one load per key, a future per caller, failures never
 * cached, statistics and closing. Subclasses only store entries and pick what to evict.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
abstract class AbstractAlruCache<K, V> implements AlruCache<K, V> {

    final CacheSettings settings;
    // Hits and misses only grow, for metrics; info() reports them since the last clear() by
    // subtracting what they were then. Increments only, so a later sum() is never below an earlier one.
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private volatile Baseline sinceClear = new Baseline(0, 0);
    private final LongAdder puts = new LongAdder();
    private final LongAdder evictions = new LongAdder();
    private final LongAdder loadSuccesses = new LongAdder();
    private final LongAdder loadFailures = new LongAdder();
    private final LongAdder loadNanos = new LongAdder();
    private final LongAdder refreshSuccesses = new LongAdder();
    private final LongAdder refreshFailures = new LongAdder();
    private final AlruCacheSettings publicSettings;
    private final Set<Load<V>> running = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private volatile boolean closed;

    AbstractAlruCache(CacheSettings settings) {
        this.settings = settings;
        this.publicSettings = settings.toPublic();
    }

    /** Counts a load whose value the engine stored. */
    final void recordPut() {
        puts.increment();
    }

    /** Counts a finished entry removed by the size bound or by expiry. */
    final void recordEviction() {
        evictions.increment();
    }

    /** Returns the key's live entry (finished and unexpired, or in flight), recording its use. */
    abstract Load<V> find(Object key);

    /** Stores {@code load} for {@code key} unless a live entry exists, which is then returned. */
    abstract Load<V> insertIfAbsent(Object key, Load<V> load);

    abstract Load<V> newLoad(Object key);

    /** Finishes the load's entry with {@code value}, if the load is still its key's entry. */
    abstract void store(Load<V> load, V value);

    /** Removes the load's entry, if the load is still its key's entry. */
    abstract void discard(Load<V> load);

    /**
     * Puts {@code fresh}, finished with {@code value}, in the place of {@code old}, restarting its
     * ttl, if {@code old} is still its key's entry; returns whether it did.
     */
    abstract boolean replace(Load<V> old, Load<V> fresh, V value);

    abstract boolean containsKey(Object key);

    abstract boolean remove(Object key);

    abstract void removeAll();

    abstract long size();

    @Override
    public final CompletableFuture<V> get(K key, Function<? super K, ? extends CompletionStage<V>> loader) {
        Object internalKey = Keys.internal(key, settings.typed());
        Objects.requireNonNull(loader, "loader");
        for (;;) {
            if (closed) {
                return CompletableFuture.failedFuture(new AlruCacheClosedException(settings.name()));
            }
            Load<V> load = find(internalKey);
            if (load == null) {
                Load<V> fresh = newLoad(Keys.forStorage(internalKey));
                // The first caller is registered before the load is visible, so that no joiner can
                // abandon the load before its starter waits on it.
                CompletableFuture<V> first = fresh.addCaller();
                load = insertIfAbsent(fresh.key, fresh);
                if (load == null) {
                    return start(fresh, first, key, loader);
                }
            }
            if (load.isDone()) {
                CompletableFuture<V> hit = hit(load);
                if (settings.refreshes()) {
                    refreshIfDue(load, key, loader);
                }
                return hit;
            }
            CompletableFuture<V> joined = load.addCaller();
            if (joined != null) {
                hits.increment();
                return joined;
            }
            if (!load.isDone()) {
                discard(load); // failed or abandoned, and perhaps not yet removed: never join it
            }
        }
    }

    @Override
    public final @Nullable CompletableFuture<V> getIfPresent(K key) {
        Object internalKey = Keys.internal(key, settings.typed());
        if (closed) {
            return null;
        }
        Load<V> load = find(internalKey);
        return load != null && load.isDone() ? hit(load) : null;
    }

    /** Serves a call from a finished entry: a future of the caller's own, already completed. */
    private CompletableFuture<V> hit(Load<V> load) {
        hits.increment();
        return CompletableFuture.completedFuture(load.value());
    }

    private CompletableFuture<V> start(Load<V> load, CompletableFuture<V> caller, K key,
            Function<? super K, ? extends CompletionStage<V>> loader) {
        running.add(load);
        if (closed) {
            // close() set the flag before it looked for running loads, so it may have missed this one.
            discard(load);
            load.fail(new AlruCacheClosedException(settings.name()));
            stopRunning(load);
            return caller;
        }
        boolean tiered = loader instanceof AlruTieredLoader;
        if (!tiered) {
            misses.increment(); // a tiered load is counted when it completes, as a hit if the shared tier answered
        }
        load.startedAt = System.nanoTime();
        CompletionStage<V> stage;
        try {
            stage = loader.apply(key);
            if (stage == null) {
                throw new NullPointerException("the loader of alru cache '" + settings.name() + "' returned null");
            }
        } catch (Throwable error) {
            if (tiered) {
                misses.increment();
            }
            finish(load, null, error, null);
            return caller;
        }
        load.sourceKnown(stage);
        AlruTieredLoad<V> tieredStage = tiered && stage instanceof AlruTieredLoad<V> t ? t : null;
        if (tiered && tieredStage == null) {
            misses.increment();
        }
        stage.whenComplete((value, error) -> finish(load, value, error, tieredStage));
        return caller;
    }

    /**
     * Refresh-ahead: when the entry a hit was served by is older than the refresh period, and no
     * reload of it runs yet, reloads it with this call's loader, in the background of the call.
     */
    private void refreshIfDue(Load<V> entry, K key, Function<? super K, ? extends CompletionStage<V>> loader) {
        // The cheap checks first: once a reload runs, the hits that follow read one field and go.
        if (entry.refreshRunning() || closed || System.nanoTime() - entry.completedAt < settings.refreshNanos()
                || !entry.startRefresh()) {
            return;
        }
        Load<V> fresh = newLoad(entry.key);
        running.add(fresh);
        if (closed) {
            entry.refreshFailed();
            stopRunning(fresh);
            return;
        }
        fresh.startedAt = System.nanoTime();
        CompletionStage<V> stage;
        try {
            stage = loader instanceof AlruTieredLoader<?, ?> ? reloadThroughTier(loader, key) : loader.apply(key);
            if (stage == null) {
                throw new NullPointerException("the loader of alru cache '" + settings.name() + "' returned null");
            }
        } catch (Throwable error) {
            refreshed(entry, fresh, null, error, null);
            return;
        }
        fresh.sourceKnown(stage);
        AlruTieredLoad<V> tiered = stage instanceof AlruTieredLoad<V> t ? t : null;
        stage.whenComplete((value, error) -> refreshed(entry, fresh, value, error, tiered));
    }

    @SuppressWarnings("unchecked")
    private static <K, V> CompletionStage<V> reloadThroughTier(Function<? super K, ? extends CompletionStage<V>> loader, K key) {
        return ((AlruTieredLoader<K, V>) loader).reload(key);
    }

    private void refreshed(Load<V> entry, Load<V> fresh, V value, @Nullable Throwable error, @Nullable AlruTieredLoad<V> tiered) {
        loadNanos.add(System.nanoTime() - fresh.startedAt);
        if (error == null) {
            loadSuccesses.increment();
            refreshSuccesses.increment();
            if (tiered == null || tiered.keep()) {
                fresh.lifetimeNanos = tiered != null ? tiered.lifetimeNanos() : -1;
                fresh.completedAt = System.nanoTime();
                replace(entry, fresh, value); // not if the entry was invalidated, cleared or evicted meanwhile
            } else {
                entry.refreshFailed(); // the value may not be kept: a later hit may try again
            }
            fresh.succeed(value);
        } else {
            loadFailures.increment();
            refreshFailures.increment();
            entry.refreshFailed(); // the old value stays until its ttl
            fresh.fail(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
        }
        stopRunning(fresh);
    }

    private void finish(Load<V> load, V value, Throwable error, @Nullable AlruTieredLoad<V> tiered) {
        loadNanos.add(System.nanoTime() - load.startedAt);
        load.completedAt = System.nanoTime();
        (error == null ? loadSuccesses : loadFailures).increment();
        if (tiered != null) {
            (error == null && tiered.fromSharedTier() ? hits : misses).increment();
        }
        if (error == null) {
            if (tiered != null) {
                load.lifetimeNanos = tiered.lifetimeNanos();
                if (!tiered.keep()) {
                    discard(load); // callers get the value; the entry goes, as if invalidated while loading
                }
            }
            store(load, value);
            load.succeed(value);
        } else {
            discard(load);
            load.fail(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
        }
        stopRunning(load); // after the callers are told, so that close()'s future completes last
    }

    private void stopRunning(Load<V> load) {
        running.remove(load);
        if (closed && running.isEmpty()) {
            terminated.complete(null);
        }
    }

    @Override
    public final boolean contains(K key) {
        return containsKey(Keys.internal(key, settings.typed()));
    }

    @Override
    public final boolean invalidate(K key) {
        return remove(Keys.internal(key, settings.typed()));
    }

    @Override
    public final void invalidateAll() {
        removeAll();
    }

    @Override
    public final void clear() {
        removeAll();
        sinceClear = new Baseline(hits.sum(), misses.sum());
    }

    @Override
    public final CompletableFuture<Void> close(boolean wait) {
        closed = true;
        if (!wait) {
            for (Load<V> load : running) {
                if (!load.isDone()) { // a load whose value is stored already is no longer in flight
                    discard(load);
                    load.abort(new CancellationException("alru cache '" + settings.name() + "' was closed"));
                }
            }
        }
        if (running.isEmpty()) {
            terminated.complete(null);
        }
        return terminated.copy();
    }

    @Override
    public final AlruCacheInfo info() {
        Baseline baseline = sinceClear;
        return new AlruCacheInfo(hits.sum() - baseline.hits(), misses.sum() - baseline.misses(),
                settings.maxSize(), size());
    }

    @Override
    public final AlruCacheParameters parameters() {
        return new AlruCacheParameters(settings.maxSize(), settings.typed(), running.size(), closed);
    }

    @Override
    public final AlruCacheStats stats() {
        return new AlruCacheStats(hits.sum(), misses.sum(), puts.sum(), evictions.sum(), loadSuccesses.sum(),
                loadFailures.sum(), loadNanos.sum(), refreshSuccesses.sum(), refreshFailures.sum());
    }

    @Override
    public final AlruCacheSettings settings() {
        return publicSettings;
    }

    @Override
    public final String name() {
        return settings.name();
    }

    /** The totals of hits and misses at the last {@link #clear()}. */
    private record Baseline(long hits, long misses) {
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + settings.name() + ", " + info() + "]";
    }
}
