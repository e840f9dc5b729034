package io.github.alru;

import java.lang.ref.WeakReference;
import java.util.Comparator;
import java.util.HashMap;
import java.util.TreeSet;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import com.github.benmanes.caffeine.cache.Scheduler;

/**
 * The {@link Eviction#LRU} engine: exact {@code functools.lru_cache} order. One lock guards a hash
 * map of entries, a doubly linked list of the finished ones from least to most recently used, and,
 * when entries expire, a set ordered by expiry that one scheduled sweep per cache walks.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class LruAlruCache<K, V> extends AbstractAlruCache<K, V> {

    /** Keeps expiry arithmetic on {@link System#nanoTime()} free of overflow: about 146 years. */
    private static final long MAX_LIFETIME_NANOS = Long.MAX_VALUE >> 1;

    private final ReentrantLock lock = new ReentrantLock();
    private final HashMap<Object, Entry<V>> entries = new HashMap<>();
    private final TreeSet<Entry<V>> byExpiry = new TreeSet<>(
            Comparator.<Entry<V>>comparingLong(entry -> entry.expiresAt).thenComparingLong(entry -> entry.sequence));
    private Entry<V> eldest;
    private Entry<V> youngest;
    private long finishedCount;
    private long sequence;
    private Future<?> sweep;
    private long sweepAt;

    LruAlruCache(CacheSettings settings) {
        super(settings);
    }

    /** A load that, once finished, is linked into the use order and, with a ttl, the expiry order. */
    static final class Entry<V> extends Load<V> {
        Entry<V> older;
        Entry<V> newer;
        long expiresAt;
        long sequence;

        Entry(Object key, AbstractAlruCache<?, V> cache) {
            super(key, cache);
        }
    }

    @Override
    Load<V> newLoad(Object key) {
        return new Entry<>(key, this);
    }

    @Override
    Load<V> find(Object key) {
        lock.lock();
        try {
            return liveEntry(key);
        } finally {
            lock.unlock();
        }
    }

    @Override
    Load<V> insertIfAbsent(Object key, Load<V> load) {
        lock.lock();
        try {
            Entry<V> live = liveEntry(key);
            if (live == null) {
                entries.put(key, (Entry<V>) load);
            }
            return live;
        } finally {
            lock.unlock();
        }
    }

    @Override
    void store(Load<V> load, V value) {
        Entry<V> entry = (Entry<V>) load;
        lock.lock();
        try {
            entry.finishEntry(value);
            if (entries.get(entry.key) != entry) {
                return;
            }
            linkYoungest(entry);
            finishedCount++;
            recordPut();
            if (settings.expires()) {
                entry.expiresAt = System.nanoTime() + Math.min(settings.lifetimeNanos(), MAX_LIFETIME_NANOS);
                entry.sequence = sequence++;
                byExpiry.add(entry);
                scheduleSweep(entry.expiresAt);
            }
            if (settings.maxSize() != UNBOUNDED) {
                while (finishedCount > settings.maxSize()) {
                    removeEntry(eldest);
                    recordEviction();
                }
            }
        } finally {
            lock.unlock();
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
        lock.lock();
        try {
            Entry<V> entry = entries.get(key);
            return entry != null && !expired(entry, now());
        } finally {
            lock.unlock();
        }
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
            byExpiry.clear();
            for (Entry<V> entry = eldest; entry != null; ) {
                Entry<V> next = entry.newer;
                entry.older = null;
                entry.newer = null;
                entry = next;
            }
            eldest = null;
            youngest = null;
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

    /** The live entry for {@code key}; an expired one is removed on the way. Moves a finished one to youngest. */
    private Entry<V> liveEntry(Object key) {
        Entry<V> entry = entries.get(key);
        if (entry == null || !entry.isDone()) {
            return entry;
        }
        if (expired(entry, now())) {
            removeEntry(entry);
            recordEviction();
            return null;
        }
        if (entry != youngest) {
            unlink(entry);
            linkYoungest(entry);
        }
        return entry;
    }

    private long now() {
        return settings.expires() ? System.nanoTime() : 0L;
    }

    private boolean expired(Entry<V> entry, long now) {
        return settings.expires() && entry.isDone() && entry.expiresAt - now <= 0;
    }

    private void removeEntry(Entry<V> entry) {
        entries.remove(entry.key);
        if (entry.isDone()) {
            unlink(entry);
            finishedCount--;
            if (settings.expires()) {
                byExpiry.remove(entry);
            }
        }
    }

    private void linkYoungest(Entry<V> entry) {
        entry.older = youngest;
        entry.newer = null;
        if (youngest == null) {
            eldest = entry;
        } else {
            youngest.newer = entry;
        }
        youngest = entry;
    }

    private void unlink(Entry<V> entry) {
        Entry<V> older = entry.older;
        Entry<V> newer = entry.newer;
        if (older == null) {
            eldest = newer;
        } else {
            older.newer = newer;
        }
        if (newer == null) {
            youngest = older;
        } else {
            newer.older = older;
        }
        entry.older = null;
        entry.newer = null;
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
        long delay = Math.max(0L, at - System.nanoTime());
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
            expireEntries(System.nanoTime());
            if (!byExpiry.isEmpty()) {
                scheduleSweep(byExpiry.first().expiresAt);
            }
        } finally {
            lock.unlock();
        }
    }
}
