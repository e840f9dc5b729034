package io.github.alru;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.Comparator;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import com.github.benmanes.caffeine.cache.Scheduler;

/**
 * The {@link Eviction#LRU} engine: exact {@code functools.lru_cache} order, with lock-free hits.
 *
 * <p><b>Design.</b> Entries live in a concurrent map. Every use of a finished entry takes the next
 * stamp of a cache-wide clock (unless the entry holds the newest stamp already), so
 * stamps order all uses. A hit only writes its stamp into the entry; a lock guards everything
 * else: inserting, storing, removing and evicting. To evict, the lock holder takes the entry with
 * the oldest stamp from {@link UseOrder}, where entries sit by the stamp they had when last placed:
 * if the entry was used since, it is placed again by its newer stamp; if not, no entry was used
 * less recently, and it goes. With a ttl, a set ordered by expiry and one scheduled sweep per cache
 * remove entries as they expire.
 *
 * <p><b>Ordering argument.</b> A use takes its stamp with an atomic increment, so the stamps of
 * any two uses differ, and a use that finishes before another starts has the smaller stamp: the
 * order of stamps is a linearization of the uses, consistent with real time across threads. An
 * entry's stamp only grows, and its place in the use order is never newer than its stamp, so the
 * eldest placed entry whose placed stamp is still its stamp has the oldest last use of all: that is
 * the least recently used entry. A hit that skips the increment because its entry holds the newest
 * stamp changes nothing in that order: the entry was the most recently used and still is. Two hits
 * on one entry may write their stamps in the opposite order to taking them, so a hit only ever
 * raises the entry's stamp (a compare-and-set), which Lincheck's model checking found necessary.
 * And a hit finds its entry before it stamps it: an eviction in between must not take the entry
 * while the hit returns its value. So the eviction marks the entry evicted with a compare-and-set
 * from the stamp it was placed by; if a hit's stamp came first, the entry is placed again, and if
 * the mark came first, the hit misses, as if it came after the eviction (Lincheck found this too).
 *
 * <p><b>Why every use that changes the order writes one shared line.</b> Exact LRU that agrees with
 * real time cannot be kept by hits that write only memory of their own thread (per-thread clocks
 * or use buffers): if thread 1 uses A and then, after some synchronisation of their own, thread 2
 * uses B, memory ends exactly as in the opposite run, where B was used first, yet the two runs must
 * evict different entries. The information has to reach a shared place on every such use, or come
 * from a hardware clock, and {@link System#nanoTime()} costs several times a whole hit (45 ns on
 * the benchmark machine, against 10 to 30 ns for a whole hit). So a use that makes another entry the most
 * recent writes the clock and its entry's stamp; a hit on the most recent entry (a hot key) reads
 * the clock and writes nothing (padding the clock onto a cache line of its own measured no better).
 * Caffeine avoids the write by recording reads in lossy buffers, and gives up exact order to do it.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class LruAlruCache<K, V> extends AbstractAlruCache<K, V> {

    /** Keeps expiry arithmetic on the ticker's nanoseconds free of overflow: about 146 years. */
    private static final long MAX_LIFETIME_NANOS = Long.MAX_VALUE >> 1;

    private final ConcurrentHashMap<Object, Entry<V>> entries = new ConcurrentHashMap<>();
    private final AtomicLong clock = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();

    // Guarded by lock.
    private final UseOrder<V> useOrder = new UseOrder<>();
    private final long expiryOrigin = ticker.read();
    // Expiry times are compared by their difference: the ticker's origin is arbitrary, so they may wrap around.
    private final TreeSet<Entry<V>> byExpiry = new TreeSet<>(
            Comparator.<Entry<V>>comparingLong(entry -> entry.expiresAt - expiryOrigin).thenComparingLong(entry -> entry.sequence));
    private long finishedCount;
    private long sequence;
    private Future<?> sweep;
    private long sweepAt;

    LruAlruCache(CacheSettings settings) {
        super(settings);
    }

    /** A load that, once finished and stored, carries its last use and sits in the use order. */
    static final class Entry<V> extends Load<V> {
        private static final VarHandle LAST_USE;

        static {
            try {
                LAST_USE = MethodHandles.lookup().findVarHandle(Entry.class, "lastUse", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        /** A last use above every stamp: the entry was evicted. */
        static final long EVICTED = Long.MAX_VALUE;

        /** The stamp of the latest use; written by hits without the lock, through {@link #LAST_USE}. */
        @SuppressWarnings("unused")
        private long lastUse;
        /** The stamp by which the entry sits in the use order. Guarded by the lock. */
        long queuedUse;
        /** The entry's place in the use order, or -1. Guarded by the lock. */
        int heapIndex = -1;
        long expiresAt;
        long sequence;

        Entry(Object key, AbstractAlruCache<?, V> cache) {
            super(key, cache);
        }

        /**
         * Raises the entry's last use to {@code stamp}, unless an eviction took it; returns false
         * then. Two hits may take their stamps in one order and write them in the other: the older
         * stamp must not overwrite the newer.
         */
        boolean use(long stamp) {
            long current = lastUse();
            while (current < stamp) {
                long witness = (long) LAST_USE.compareAndExchange(this, current, stamp);
                if (witness == current) {
                    return true;
                }
                current = witness;
            }
            return current != EVICTED;
        }

        /**
         * Marks the entry evicted if no use came after {@code stamp}; a hit that finds it marked
         * misses. The hit's compare-and-set and this one decide which came first.
         */
        boolean evictIfUnusedSince(long stamp) {
            return LAST_USE.compareAndSet(this, stamp, EVICTED);
        }

        long lastUse() {
            return (long) LAST_USE.getOpaque(this);
        }
    }

    @Override
    Load<V> newLoad(Object key) {
        return new Entry<>(key, this);
    }

    @Override
    Load<V> find(Object key) {
        Entry<V> entry = entries.get(key);
        if (entry == null || !entry.isDone()) {
            return entry;
        }
        if (settings.expires() && expired(entry, ticker.read())) {
            expire(entry);
            return null;
        }
        return recordUse(entry) ? entry : null; // null: an eviction took it before this use
    }

    /**
     * Stamps a use of a finished entry. An entry holding the newest stamp is the most recently used
     * already, so it needs none: a hot key is read by every thread and written by none. Returns
     * false when an eviction took the entry before the use.
     */
    private boolean recordUse(Entry<V> entry) {
        return entry.lastUse() == clock.get() || entry.use(clock.incrementAndGet());
    }

    @Override
    Load<V> insertIfAbsent(Object key, Load<V> load) {
        lock.lock();
        try {
            Entry<V> existing = entries.get(key);
            if (existing != null) {
                if (!existing.isDone()) {
                    return existing;
                }
                if (!expired(existing, now())) {
                    recordUse(existing);
                    return existing;
                }
                removeEntry(existing);
                recordEviction();
            }
            entries.put(key, (Entry<V>) load);
            return null;
        } finally {
            lock.unlock();
        }
    }

    @Override
    void store(Load<V> load, V value) {
        Entry<V> entry = (Entry<V>) load;
        lock.lock();
        try {
            if (entries.get(entry.key) == entry) {
                long stamp = clock.incrementAndGet();
                entry.queuedUse = stamp;
                entry.use(stamp);
                useOrder.add(entry);
                finishedCount++;
                recordPut();
                if (settings.expires()) {
                    entry.expiresAt = ticker.read() + Math.min(entry.lifetime(settings), MAX_LIFETIME_NANOS);
                    entry.sequence = sequence++;
                    byExpiry.add(entry);
                    scheduleSweep(entry.expiresAt);
                }
                evictWhileOverMaxSize();
            }
            entry.finishEntry(value); // finished only once it is in the use order, as find() relies on
        } finally {
            lock.unlock();
        }
    }

    @Override
    boolean replace(Load<V> old, Load<V> fresh, V value) {
        Entry<V> previous = (Entry<V>) old;
        Entry<V> entry = (Entry<V>) fresh;
        lock.lock();
        try {
            if (entries.get(previous.key) != previous || previous.heapIndex < 0) {
                return false;
            }
            useOrder.remove(previous);
            if (settings.expires()) {
                byExpiry.remove(previous);
            }
            long stamp = clock.incrementAndGet();
            entry.queuedUse = stamp;
            entry.use(stamp);
            useOrder.add(entry);
            if (settings.expires()) {
                entry.expiresAt = ticker.read() + Math.min(entry.lifetime(settings), MAX_LIFETIME_NANOS);
                entry.sequence = sequence++;
                byExpiry.add(entry);
                scheduleSweep(entry.expiresAt);
            }
            entry.finishEntry(value); // finished before it is visible, as find() relies on
            entries.replace(previous.key, previous, entry);
            recordPut();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Evicts least recently used entries until the bound holds; caller holds the lock. */
    private void evictWhileOverMaxSize() {
        if (settings.maxSize() == UNBOUNDED) {
            return;
        }
        while (finishedCount > settings.maxSize()) {
            Entry<V> eldest = useOrder.eldest();
            if (eldest.evictIfUnusedSince(eldest.queuedUse)) {
                removeEntry(eldest);
                recordEviction();
            } else {
                eldest.queuedUse = eldest.lastUse(); // used since it was placed: place it again by that use
                useOrder.moved(eldest);
            }
        }
    }

    @Override
    void discard(Load<V> load) {
        lock.lock();
        try {
            if (entries.get(load.key) == load) {
                removeEntry((Entry<V>) load);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    boolean containsKey(Object key) {
        Entry<V> entry = entries.get(key);
        return entry != null && !expired(entry, now());
    }

    @Override
    boolean remove(Object key) {
        lock.lock();
        try {
            Entry<V> entry = entries.get(key);
            if (entry == null) {
                return false;
            }
            boolean wasLive = !expired(entry, now());
            removeEntry(entry);
            if (!wasLive) {
                recordEviction();
            }
            return wasLive;
        } finally {
            lock.unlock();
        }
    }

    @Override
    void removeAll() {
        lock.lock();
        try {
            entries.clear();
            useOrder.clear();
            byExpiry.clear();
            finishedCount = 0;
            if (sweep != null) {
                sweep.cancel(false);
                sweep = null;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    long size() {
        lock.lock();
        try {
            expireEntries(now());
            return entries.size();
        } finally {
            lock.unlock();
        }
    }

    private long now() {
        return settings.expires() ? ticker.read() : 0L;
    }

    private boolean expired(Entry<V> entry, long now) {
        return settings.expires() && entry.isDone() && entry.expiresAt - now <= 0;
    }

    /** Removes an entry a hit found expired, unless someone else removed it first. */
    private void expire(Entry<V> entry) {
        lock.lock();
        try {
            if (entries.get(entry.key) == entry) {
                removeEntry(entry);
                recordEviction();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Removes a current entry from every structure; caller holds the lock. */
    private void removeEntry(Entry<V> entry) {
        entries.remove(entry.key, entry);
        if (entry.heapIndex >= 0) {
            useOrder.remove(entry);
            finishedCount--;
            if (settings.expires()) {
                byExpiry.remove(entry);
            }
        }
    }

    private void expireEntries(long now) {
        while (!byExpiry.isEmpty() && byExpiry.first().expiresAt - now <= 0) {
            removeEntry(byExpiry.first());
            recordEviction();
        }
    }

    /** Makes sure one sweep is due no later than {@code at}; caller holds the lock. */
    private void scheduleSweep(long at) {
        if (sweep != null && at - sweepAt >= 0) {
            return;
        }
        if (sweep != null) {
            sweep.cancel(false);
        }
        sweepAt = at;
        long delay = Math.max(0L, at - ticker.read());
        sweep = Scheduler.systemScheduler().schedule(Runnable::run, new Sweep(this), delay, TimeUnit.NANOSECONDS);
    }

    /**
     * A scheduled sweep. A cancelled one stays queued until its time, so it holds the cache
     * weakly: a cache nobody uses any more is not kept alive by its timer.
     */
    private static final class Sweep implements Runnable {
        private final WeakReference<LruAlruCache<?, ?>> cache;

        Sweep(LruAlruCache<?, ?> cache) {
            this.cache = new WeakReference<>(cache);
        }

        @Override
        public void run() {
            LruAlruCache<?, ?> target = cache.get();
            if (target != null) {
                target.sweep();
            }
        }
    }

    private void sweep() {
        lock.lock();
        try {
            sweep = null;
            expireEntries(ticker.read());
            if (!byExpiry.isEmpty()) {
                scheduleSweep(byExpiry.first().expiresAt);
            }
        } finally {
            lock.unlock();
        }
    }
}
