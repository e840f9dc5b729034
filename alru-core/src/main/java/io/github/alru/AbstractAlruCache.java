package io.github.alru;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * The semantics both engines share: one load per key, a future per caller, failures never
 * cached, statistics and closing. Subclasses only store entries and pick what to evict.
 *
 * <p><b>Closing.</b> Loads and {@link #close} agree through {@link #closed} and one atomic
 * state word: a closed bit, the loads that have claimed a place and are putting their entry in,
 * and the loads running. {@code close} sets {@link #closed} (the moment it takes effect), then the
 * bit. A load claims its place before its entry goes in, and keeps it only if it then still finds
 * {@link #closed} false; so a {@code get} either comes before the close (its entry goes in, its
 * load runs and is counted) or after it (nothing goes in, nothing runs), never half of each.
 * {@code close(false)} waits for the few claims still putting their entry in (only the key's
 * {@code hashCode} and {@code equals} run there, and a claim is given back if they throw), then cancels every load in {@link #running}. Its future completes when the word reads
 * exactly "closed, nothing inserting, nothing running": whichever thread makes it so completes it.
 * The count lives in the word, not in the size of {@link #running}: a concurrent set's size is
 * not read atomically, and the fault soak once saw it read empty while a load still ran.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
abstract class AbstractAlruCache<K, V> implements AlruCache<K, V> {

    final CacheSettings settings;
    /** The time of ttl, jitter, refresh and load times: {@link CacheSettings#ticker()}. */
    final Ticker ticker;
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

    private static final long RUNNING = 1L;
    private static final long RUNNING_MASK = (1L << 31) - 1;
    private static final long INSERTING = 1L << 31;
    private static final long INSERTING_MASK = RUNNING_MASK << 31;
    private static final long CLOSED = 1L << 62;
    /** The closed bit, the loads inserting their entry (bits 31-61) and the loads running (bits 0-30). */
    private final AtomicLong state = new AtomicLong();
    /** The loads running, for close(false) to cancel: each is counted in state while it is here. */
    private final Set<Load<V>> running = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    /**
     * Whether the cache is closed: close() sets this first (the moment it takes effect), then the
     * bit of state. A claim checks this after its own write to state, so one of the two sees the other.
     */
    private volatile boolean closed;

    AbstractAlruCache(CacheSettings settings) {
        this.settings = settings;
        this.ticker = settings.ticker();
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
                if (!claim()) {
                    return CompletableFuture.failedFuture(new AlruCacheClosedException(settings.name()));
                }
                load = insertClaimed(fresh);
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
        if (closed && load.delivered()) {
            stopRunning(load); // close(false) came between the entry going in and here, and cancelled it
            return caller;
        }
        boolean tiered = loader instanceof AlruTieredLoader;
        if (!tiered) {
            misses.increment(); // a tiered load is counted when it completes, as a hit if the shared tier answered
        }
        load.startedAt = ticker.read();
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
        if (entry.refreshRunning() || closed || ticker.read() - entry.completedAt < settings.refreshNanos()
                || !entry.startRefresh()) {
            return;
        }
        Load<V> fresh = newLoad(entry.key);
        if (!claim()) {
            entry.refreshFailed();
            return;
        }
        startRunning(fresh);
        if (closed && fresh.delivered()) {
            entry.refreshFailed();
            stopRunning(fresh);
            return;
        }
        fresh.startedAt = ticker.read();
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
        loadNanos.add(ticker.read() - fresh.startedAt);
        if (error == null) {
            loadSuccesses.increment();
            refreshSuccesses.increment();
            if ((tiered == null || tiered.keep()) && !fresh.delivered()) { // delivered: close(false) cancelled it
                fresh.lifetimeNanos = tiered != null ? tiered.lifetimeNanos() : -1;
                fresh.completedAt = ticker.read();
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
        loadNanos.add(ticker.read() - load.startedAt);
        load.completedAt = ticker.read();
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

    /** Claims a place for a new load, unless the cache is closed: the load may then insert its entry. */
    private boolean claim() {
        for (;;) {
            long current = state.get();
            if ((current & CLOSED) != 0) {
                return false;
            }
            if (state.compareAndSet(current, current + INSERTING)) {
                if (closed) { // close() came between its flag and its bit: it saw this claim, so give it back
                    release(INSERTING);
                    return false;
                }
                return true;
            }
        }
    }

    /**
     * Inserts a load whose place is claimed and turns the claim into a running load, which
     * close(false) will find; or gives the claim back and returns the live entry found instead.
     * The key's {@code hashCode} and {@code equals} run here: if they throw, the claim is given back
     * too, or close(false) would wait for it for ever.
     */
    private @Nullable Load<V> insertClaimed(Load<V> fresh) {
        Load<V> existing;
        try {
            existing = insertIfAbsent(fresh.key, fresh);
            if (existing == null) {
                startRunning(fresh); // its last step turns the claim into a running load: nothing throws after it
            }
        } catch (Throwable error) {
            try {
                discard(fresh);
            } catch (Throwable again) {
                error.addSuppressed(again);
            } finally {
                release(INSERTING);
            }
            throw error;
        }
        if (existing != null) {
            release(INSERTING);
        }
        return existing;
    }

    /** Turns a claimed place into a running load, which close(false) will find. */
    private void startRunning(Load<V> load) {
        running.add(load);
        state.addAndGet(RUNNING - INSERTING);
    }

    private void stopRunning(Load<V> load) {
        running.remove(load);
        release(RUNNING);
    }

    private void release(long unit) {
        if (state.addAndGet(-unit) == CLOSED) {
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
        long current = state.getAndUpdate(value -> value | CLOSED);
        if (!wait) {
            // Claims made before the bit are putting their entry in: let them, so none goes in after this.
            for (int spins = 0; (current & INSERTING_MASK) != 0; spins++) {
                if (spins < 64) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield(); // the claimer may be waiting for a core, or for an engine lock
                }
                current = state.get();
            }
            for (Load<V> load : running) {
                if (!load.isDone()) { // a load whose value is stored already is no longer in flight
                    discard(load);
                    load.abort(new CancellationException("alru cache '" + settings.name() + "' was closed"));
                }
            }
        }
        if (state.get() == CLOSED) {
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
        return new AlruCacheParameters(settings.maxSize(), settings.typed(), (int) (state.get() & RUNNING_MASK),
                closed);
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
