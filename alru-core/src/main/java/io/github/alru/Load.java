package io.github.alru;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One execution of a loader for one key: the cache entry while it runs and after it succeeds.
 *
 * <p>As a future, a load is private to the cache (the TINY_LFU engine stores it in Caffeine). It
 * completes, with itself, once its value is loaded and, if it is still its key's entry, stored; so
 * for an entry in the cache {@link #isDone()} means "finished". It never completes exceptionally,
 * because a failed load is removed instead. Callers never see
 * it: each gets a {@link CallerFuture} of its own, completed by {@link #succeed} or {@link #fail}.
 *
 * @param <V> the value type
 */
class Load<V> extends CompletableFuture<Object> {

    private enum State { RUNNING, SUCCEEDED, FAILED, ABANDONED }

    final Object key;
    private final AbstractAlruCache<?, V> cache;
    private V value;
    /** When the loader was called, by the cache's {@link Ticker}. */
    long startedAt;
    /** The finished entry's lifetime when a tiered load set one, else -1 for the cache's ttl and jitter; set before it is stored. */
    long lifetimeNanos = -1;
    /** When the load completed, by the cache's {@link Ticker}: the age refresh-ahead counts from. Set before it is stored. */
    long completedAt;
    /** 1 while a background reload of this entry runs: one per key, however many hits. */
    private volatile int refreshing;
    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<Load> REFRESHING = AtomicIntegerFieldUpdater.newUpdater(Load.class, "refreshing");

    // Guarded by this.
    private State state = State.RUNNING;
    private List<CallerFuture<V>> callers = new ArrayList<>(2);
    private CompletionStage<?> source;
    private boolean cancelSourceWhenKnown;

    Load(Object key, AbstractAlruCache<?, V> cache) {
        this.key = key;
        this.cache = cache;
    }

    /** The finished entry's lifetime: the one its tiered load set, or a fresh draw of the cache's ttl and jitter. */
    final long lifetime(CacheSettings settings) {
        return lifetimeNanos >= 0 ? lifetimeNanos : settings.lifetimeNanos();
    }

    /** Whether a background reload of this entry runs. */
    final boolean refreshRunning() {
        return refreshing != 0;
    }

    /** Claims this entry's one background reload; false when one runs already. */
    final boolean startRefresh() {
        return refreshing == 0 && REFRESHING.compareAndSet(this, 0, 1);
    }

    /** Lets a later hit start a reload again, after one failed. */
    final void refreshFailed() {
        refreshing = 0;
    }

    /** The loaded value; read only after {@link #isDone()} returned true. */
    final V value() {
        return value;
    }

    /** Marks this entry finished with {@code loadedValue}. */
    final void finishEntry(V loadedValue) {
        value = loadedValue;
        complete(this);
    }

    /** Registers a new caller, or returns null when the load has already delivered its outcome. */
    final synchronized CallerFuture<V> addCaller() {
        if (state != State.RUNNING) {
            return null;
        }
        CallerFuture<V> caller = new CallerFuture<>(this);
        callers.add(caller);
        return caller;
    }

    /** Whether the load has delivered its outcome to its callers (or was abandoned by them). */
    final synchronized boolean delivered() {
        return state != State.RUNNING;
    }

    /** Remembers the loader's future, so that it can be cancelled. */
    final void sourceKnown(CompletionStage<?> stage) {
        boolean cancel;
        synchronized (this) {
            source = stage;
            cancel = cancelSourceWhenKnown;
        }
        if (cancel) {
            cancelSource(stage);
        }
    }

    /** Called when a caller cancels its own future: the last one to do so abandons the load. */
    final void callerCancelled(CallerFuture<V> caller) {
        CompletionStage<?> toCancel;
        synchronized (this) {
            if (state != State.RUNNING || !callers.remove(caller) || !callers.isEmpty() || isDone()) {
                return; // others still wait, or the value is stored already and only awaits delivery
            }
            state = State.ABANDONED;
            toCancel = takeSourceForCancel();
        }
        cache.discard(this);
        cancelSource(toCancel);
    }

    final void succeed(V result) {
        for (CallerFuture<V> caller : deliver(State.SUCCEEDED)) {
            caller.complete(result);
        }
    }

    final void fail(Throwable error) {
        for (CallerFuture<V> caller : deliver(State.FAILED)) {
            caller.completeExceptionally(error);
        }
    }

    /** Fails the callers still waiting with {@code error} and cancels the loader's future. */
    final void abort(Throwable error) {
        CompletionStage<?> toCancel;
        synchronized (this) {
            toCancel = takeSourceForCancel();
        }
        fail(error);
        cancelSource(toCancel);
    }

    private synchronized List<CallerFuture<V>> deliver(State outcome) {
        if (state != State.RUNNING) {
            return List.of();
        }
        state = outcome;
        List<CallerFuture<V>> waiting = callers;
        callers = List.of();
        source = null;
        return waiting;
    }

    private CompletionStage<?> takeSourceForCancel() {
        if (source == null) {
            cancelSourceWhenKnown = true;
        }
        return source;
    }

    private static void cancelSource(CompletionStage<?> stage) {
        if (stage instanceof Future<?> future) {
            try {
                future.cancel(false);
            } catch (RuntimeException unsupported) {
                // Some stages (CompletableFuture.minimalCompletionStage) refuse; the load then runs on, unstored.
            }
        }
    }
}
