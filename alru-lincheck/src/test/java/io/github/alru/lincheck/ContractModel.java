package io.github.alru.lincheck;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The sequential specification: what semantics items 1-12 say of the operations of
 * {@link CacheOperations}, that is items 1, 2, 3, 6, 7, 8 and 10 (no ttl, no null values, int keys,
 * and callers' futures are not looked at), written from the contract alone, with entries kept as
 * {@code functools.lru_cache} keeps them. Lincheck runs it one operation at a time and asks
 * whether some such order explains what the real cache did.
 *
 * <ul>
 *   <li>Entries sit in a {@link LinkedHashMap}, least recently used first: a hit on a finished entry
 *       and the completion of a load move an entry to the end; {@code contains} moves nothing (items 2, 8).
 *       Once more than {@code maxSize} entries are finished, the first finished ones go; an entry in
 *       flight is never evicted (item 2).</li>
 *   <li>A {@code get} of a key with an entry, finished or in flight, is a hit and runs nothing (item 1);
 *       otherwise it is a miss: a loader that completes at once leaves a finished entry, one that
 *       completes later an entry in flight.</li>
 *   <li>A load in flight runs on when {@code invalidate} or {@code clear} drops its entry; its
 *       completion or failure touches only its own entry, if that is still there (items 3, 6, 7).
 *       A failed load leaves no entry (item 3).</li>
 *   <li>{@code close(false)} cancels every load in flight and drops their entries; {@code close(true)}
 *       lets them finish and keep their values; either way the cache is closed for good and later
 *       {@code get}s fail and run nothing; {@code getIfPresent} finds nothing (item 10).</li>
 * </ul>
 *
 * <p>Lincheck needs a public class with a public no-argument constructor: the nested classes fix the size bound.
 */
public abstract class ContractModel implements CacheOperations {

    private final long maxSize;
    private final LinkedHashMap<Integer, Entry> entries = new LinkedHashMap<>();
    /** Loads started by {@link #getLater} that have neither completed, failed nor been cancelled. */
    private final List<Load> running = new ArrayList<>();
    private boolean closed;

    ContractModel(long maxSize) {
        this.maxSize = maxSize;
    }

    /** The model of a cache of {@code maxSize} 2. */
    public static final class MaxSizeTwo extends ContractModel {
        /** A new, empty cache. */
        public MaxSizeTwo() {
            super(2);
        }
    }

    /** The model of a cache of {@code maxSize} 3. */
    public static final class MaxSizeThree extends ContractModel {
        /** A new, empty cache. */
        public MaxSizeThree() {
            super(3);
        }
    }

    /** The model class of a cache with {@code maxSize} 2 or 3, for {@code sequentialSpecification}. */
    static Class<? extends ContractModel> ofMaxSize(long maxSize) {
        if (maxSize == 2) {
            return MaxSizeTwo.class;
        }
        if (maxSize == 3) {
            return MaxSizeThree.class;
        }
        throw new IllegalArgumentException("no model of maxSize " + maxSize);
    }

    /** One load of a {@link #getLater} call; compared by identity, like the real cache's loads. */
    private static final class Load {
        final int key;

        Load(int key) {
            this.key = key;
        }
    }

    /** A cache entry: in flight with {@code load}, or finished with {@code value}. */
    private record Entry(Load load, String value) {
        boolean finished() {
            return value != null;
        }
    }

    @Override
    public String getReady(int key) {
        return get(key, null);
    }

    @Override
    public String getLater(int key) {
        return get(key, new Load(key));
    }

    private String get(int key, Load later) {
        if (closed) {
            return CLOSED;
        }
        Entry entry = entries.get(key);
        if (entry != null) {
            if (entry.finished()) {
                use(key, entry);
            }
            return HIT;
        }
        if (later == null) {
            finish(key, CacheOperations.readyValue(key));
        } else {
            running.add(later);
            entries.put(key, new Entry(later, null));
        }
        return MISS;
    }

    @Override
    public void completeLater(int key) {
        for (Load load : takeRunning(key)) {
            if (isEntryOf(load)) {
                finish(key, CacheOperations.laterValue(key));
            }
        }
    }

    @Override
    public void failLater(int key) {
        for (Load load : takeRunning(key)) {
            if (isEntryOf(load)) {
                entries.remove(key);
            }
        }
    }

    @Override
    public String peek(int key) {
        Entry entry = entries.get(key);
        if (closed || entry == null || !entry.finished()) {
            return NONE;
        }
        use(key, entry);
        return entry.value();
    }

    @Override
    public boolean contains(int key) {
        return entries.containsKey(key);
    }

    @Override
    public boolean invalidate(int key) {
        return entries.remove(key) != null;
    }

    @Override
    public void clear() {
        entries.clear();
    }

    @Override
    public long currentSize() {
        return entries.size();
    }

    @Override
    public void close(boolean wait) {
        closed = true;
        if (!wait) {
            for (Load load : running) {
                if (isEntryOf(load)) {
                    entries.remove(load.key);
                }
            }
            running.clear();
        }
    }

    @Override
    public boolean closed() {
        return closed;
    }

    private List<Load> takeRunning(int key) {
        List<Load> taken = new ArrayList<>();
        for (Iterator<Load> it = running.iterator(); it.hasNext();) {
            Load load = it.next();
            if (load.key == key) {
                taken.add(load);
                it.remove();
            }
        }
        return taken;
    }

    private boolean isEntryOf(Load load) {
        Entry entry = entries.get(load.key);
        return entry != null && entry.load() == load;
    }

    /** Makes a finished entry the most recently used. */
    private void use(int key, Entry entry) {
        entries.remove(key);
        entries.put(key, entry);
    }

    /** Stores a finished entry as the most recently used, then evicts the least recently used finished ones. */
    private void finish(int key, String value) {
        entries.remove(key);
        entries.put(key, new Entry(null, value));
        long finished = entries.values().stream().filter(Entry::finished).count();
        for (Iterator<Entry> it = entries.values().iterator(); finished > maxSize && it.hasNext();) {
            if (it.next().finished()) {
                it.remove();
                finished--;
            }
        }
    }
}
