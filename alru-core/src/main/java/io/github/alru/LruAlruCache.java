package io.github.alru;

import java.lang.ref.WeakReference;
import java.util.Comparator;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import com.github.benmanes.caffeine.cache.Scheduler;

/**
 * The {@link Eviction#LRU} engine: {@code functools.lru_cache} order, with hits that take no lock
 * and write nothing that hits on other threads write.
 *
 * <p><b>Design.</b> Entries live in a concurrent map. Finished entries also sit in a doubly linked
 * list, least recently used first, which a lock guards, with everything else that changes the
 * cache: inserting, storing, replacing, removing, expiring and evicting. A hit does not touch the
 * list: it records its use in {@link UseBuffers}, striped ring buffers, one stripe per thread as
 * far as the stripes go. Every holder of the lock first drains the buffers, moving each used entry
 * to the end of the list in the order the uses were recorded; so does a hit that finds its stripe
 * full. With a ttl, a set ordered by expiry and one scheduled sweep per cache remove entries as
 * they expire; a call that finds its entry expired removes it at once.
 *
 * <p><b>Ordering argument (semantics item 2).</b> A thread's uses sit in its stripe in the order it
 * made them, and a drain takes each stripe in order: one thread's uses count in program order, so a
 * cache used from one thread keeps exact {@code functools} order. A use that happens before a write
 * is in its stripe when the write's drain reads the stripe's tail, so it counts before the write
 * and before every use that the write happens before: a write orders the uses on either side of
 * it. Uses on different stripes that no write separates are taken stripe by stripe, which may be
 * the opposite of the order they were made in; the contract allows exactly that. No use is lost:
 * a full stripe makes its hit drain under the lock instead of dropping the use.
 *
 * <p><b>A hit racing the eviction of its entry.</b> A hit reads its entry, then records the use; an
 * eviction in between must not take the entry while the hit returns its value, or the hit would
 * count neither before the eviction (the eviction did not see its use) nor after it (it served the
 * evicted value). So the evictor marks its victim {@link Entry#evicted} and drains once more, and
 * the hit reads the mark after recording its use; the compare-and-set that claims the hit's slot
 * and the volatile mark form a Dekker pair: either the drain sees the use (the victim moved to the
 * end of the list, the evictor clears the mark and picks again) or the hit sees the mark (and asks
 * again under the lock, where the eviction is decided). Lincheck's finding 3 was this race.
 *
 * <p><b>Memory.</b> A buffered use holds its entry until the next drain; every write drains before
 * it removes anything, so an entry removed by one thread stays referenced only by a hit of another
 * that raced the removal, until the next write.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class LruAlruCache<K, V> extends AbstractAlruCache<K, V> {

    /** Keeps expiry arithmetic on the ticker's nanoseconds free of overflow: about 146 years. */
    private static final long MAX_LIFETIME_NANOS = Long.MAX_VALUE >> 1;

    private final ConcurrentHashMap<Object, Entry<V>> entries = new ConcurrentHashMap<>();
    private final UseBuffers<Entry<V>> uses;
    private final Consumer<Entry<V>> applyUse = this::applyUse;
    private final ReentrantLock lock = new ReentrantLock();

    // Guarded by lock.
    private Entry<V> eldest;
    private Entry<V> newest;
    private final long expiryOrigin = ticker.read();
    // Expiry times are compared by their difference: the ticker's origin is arbitrary, so they may wrap around.
    private final TreeSet<Entry<V>> byExpiry = new TreeSet<>(
            Comparator.<Entry<V>>comparingLong(entry -> entry.expiresAt - expiryOrigin).thenComparingLong(entry -> entry.sequence));
    private long finishedCount;
    private long sequence;
    private Future<?> sweep;
    private long sweepAt;

    LruAlruCache(CacheSettings settings, int useBufferStripes) {
        super(settings);
        this.uses = new UseBuffers<>(useBufferStripes);
    }

    /** A load that, once finished and stored, sits in the use order. */
    static final class Entry<V> extends Load<V> {
        /** Set by an evictor that chose this entry, cleared if a use came in time; read by hits. */
        volatile boolean evicted;
        // Guarded by the lock.
        Entry<V> older;
        Entry<V> newer;
        boolean inOrder;
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
        Entry<V> entry = entries.get(key);
        if (entry == null || !entry.isDone()) {
            return entry;
        }
        if (settings.expires() && expired(entry, ticker.read())) {
            expire(entry);
            return null;
        }
        // The mark is read after the use is recorded (the Dekker pair of the class comment).
        if (uses.offer(entry) && !entry.evicted) {
            return entry;
        }
        return useUnderLock(entry) ? entry : null; // null: an eviction took it before this use
    }

    /**
     * Records a use under the lock: for a hit whose stripe was full, or that saw its entry marked by
     * an evictor. Returns false when the entry is gone, so the hit comes after its removal.
     */
    private boolean useUnderLock(Entry<V> entry) {
        lock.lock();
        try {
            // This thread's own uses first; those of other stripes may wait for the next write,
            // since no write separates them from this one.
            uses.drainThisThreadsStripe(applyUse);
            if (!entry.inOrder) {
                return false;
            }
            moveToNewest(entry);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Applies the recorded uses to the order; caller holds the lock. */
    private void drainUses() {
        uses.drain(applyUse);
    }

    /** One recorded use: its entry becomes the most recent, unless it was removed since. */
    private void applyUse(Entry<V> entry) {
        if (entry.inOrder) {
            moveToNewest(entry);
        }
    }

    @Override
    Load<V> insertIfAbsent(Object key, Load<V> load) {
        lock.lock();
        try {
            drainUses();
            Entry<V> existing = entries.get(key);
            if (existing != null) {
                if (!existing.isDone()) {
                    return existing;
                }
                if (!expired(existing, now())) {
                    moveToNewest(existing);
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
            drainUses();
            if (entries.get(entry.key) == entry) {
                link(entry);
                finishedCount++;
                recordPut();
                if (settings.expires()) {
                    startLifetime(entry);
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
            drainUses();
            if (entries.get(previous.key) != previous || !previous.inOrder) {
                return false;
            }
            unlink(previous);
            if (settings.expires()) {
                byExpiry.remove(previous);
            }
            link(entry);
            if (settings.expires()) {
                startLifetime(entry);
            }
            entry.finishEntry(value); // finished before it is visible, as find() relies on
            entries.replace(previous.key, previous, entry);
            recordPut();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Starts a finished entry's lifetime; caller holds the lock. */
    private void startLifetime(Entry<V> entry) {
        entry.expiresAt = ticker.read() + Math.min(entry.lifetime(settings), MAX_LIFETIME_NANOS);
        entry.sequence = sequence++;
        byExpiry.add(entry);
        scheduleSweep(entry.expiresAt);
    }

    /**
     * Evicts least recently used entries until the bound holds; caller holds the lock and has
     * drained the uses. Each victim is marked, then the uses are drained again: a hit that recorded
     * its use before the mark moved the victim away from the eldest place, and it stays.
     */
    private void evictWhileOverMaxSize() {
        if (settings.maxSize() == UNBOUNDED) {
            return;
        }
        while (finishedCount > settings.maxSize()) {
            Entry<V> victim = eldest;
            victim.evicted = true;
            drainUses();
            if (victim == eldest) {
                removeEntry(victim);
                recordEviction();
            } else {
                victim.evicted = false; // used just in time: no longer the least recently used
            }
        }
    }

    @Override
    void discard(Load<V> load) {
        lock.lock();
        try {
            drainUses();
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
            drainUses();
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
            drainUses();
            entries.clear();
            for (Entry<V> entry = eldest; entry != null;) {
                Entry<V> next = entry.newer;
                entry.older = null;
                entry.newer = null;
                entry.inOrder = false;
                entry = next;
            }
            eldest = null;
            newest = null;
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
            drainUses();
            expireEntries(now());
            return entries.size();
        } finally {
            lock.unlock();
        }
    }

    /** Appends a finished entry as the most recently used; caller holds the lock. */
    private void link(Entry<V> entry) {
        entry.older = newest;
        entry.newer = null;
        if (newest == null) {
            eldest = entry;
        } else {
            newest.newer = entry;
        }
        newest = entry;
        entry.inOrder = true;
    }

    /** Takes an entry out of the use order; caller holds the lock. */
    private void unlink(Entry<V> entry) {
        Entry<V> older = entry.older;
        Entry<V> newer = entry.newer;
        if (older == null) {
            eldest = newer;
        } else {
            older.newer = newer;
        }
        if (newer == null) {
            newest = older;
        } else {
            newer.older = older;
        }
        entry.older = null;
        entry.newer = null;
        entry.inOrder = false;
    }

    /** Makes an entry in the use order the most recently used; caller holds the lock. */
    private void moveToNewest(Entry<V> entry) {
        if (entry != newest) {
            unlink(entry);
            link(entry);
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
            drainUses();
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
        if (entry.inOrder) {
            unlink(entry);
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
            drainUses();
            expireEntries(ticker.read());
            if (!byExpiry.isEmpty()) {
                scheduleSweep(byExpiry.first().expiresAt);
            }
        } finally {
            lock.unlock();
        }
    }
}
