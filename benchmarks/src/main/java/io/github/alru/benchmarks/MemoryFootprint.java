package io.github.alru.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.alru.AlruCache;
import io.github.alru.Eviction;
import org.openjdk.jol.info.GraphLayout;

/**
 * Memory per entry: pushes 1,000,000 distinct keys through a cache of {@code maxSize} 10,000, for
 * alru's two engines and Caffeine's {@code AsyncCache} (with maintenance on the calling thread, as
 * alru's TINY_LFU runs it, and with Caffeine's default executor), and prints for each:
 * <ul>
 * <li>the retained size of the cache's object graph (JOL's {@link GraphLayout}) and the used heap
 *   after a full GC, at 100,000, 500,000 and 1,000,000 keys pushed: neither may grow with the keys
 *   pushed ({@code bounded: yes}); the program exits with status 1 if one does;</li>
 * <li>bytes per entry: the graph's size with 10,000 entries, less that of the same cache empty,
 *   divided by the entries. Keys ({@code Integer}) and values (distinct {@code Integer}s) are
 *   counted, for every cache alike; the figure without them is printed beside it.</li>
 * </ul>
 * Every load completes at once ({@code completedFuture}), so no entry is in flight when measured.
 *
 * <p>Run, after {@code ./mvnw -B -q -pl benchmarks -am package -DskipTests}:
 * <pre>java -Djdk.attach.allowAttachSelf=true -cp benchmarks/target/benchmarks.jar io.github.alru.benchmarks.MemoryFootprint</pre>
 * The flag lets JOL attach its agent to this JVM, for exact object sizes.
 */
public final class MemoryFootprint {

    private static final int MAX_SIZE = 10_000;
    private static final int KEYS = 1_000_000;
    private static final int[] CHECKPOINTS = {100_000, 500_000, 1_000_000};
    /** Growth from the first checkpoint to the last that still counts as bounded: GC and JOL noise. */
    private static final double TOLERATED_GROWTH = 0.05;
    private static final long TOLERATED_HEAP_GROWTH_BYTES = 4L << 20;

    private MemoryFootprint() {
    }

    /**
     * Measures every cache and prints one table.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        long keyAndValueBytes = GraphLayout.parseInstance(Integer.valueOf(KEYS)).totalSize()
                + GraphLayout.parseInstance(Integer.valueOf(KEYS + 1)).totalSize();
        System.out.printf("%d distinct keys through maxSize %d; keys and values (Integer, %d B per pair) counted%n",
                KEYS, MAX_SIZE, keyAndValueBytes);
        System.out.printf("%-18s %9s %11s %12s %14s %14s %14s %14s %14s %14s %8s%n", "cache", "entries",
                "B/entry", "B/entry-kv", "graph@100k", "graph@500k", "graph@1M", "heap@100k", "heap@500k", "heap@1M",
                "bounded");
        boolean allBounded = true;
        // Built one at a time, so that a measured cache is garbage while the next one is measured.
        for (Supplier<Subject> subject : List.<Supplier<Subject>>of(() -> new AlruSubject(Eviction.LRU),
                () -> new AlruSubject(Eviction.TINY_LFU), () -> new CaffeineSubject("Caffeine", true),
                () -> new CaffeineSubject("Caffeine default", false))) {
            allBounded &= measure(subject.get(), keyAndValueBytes);
        }
        if (!allBounded) {
            System.out.println("FAILED: a cache grew with the keys pushed through it");
            System.exit(1);
        }
    }

    private static boolean measure(Subject subject, long keyAndValueBytes) {
        long emptyBytes = retainedBytes(subject);
        List<Long> graphBytes = new ArrayList<>();
        List<Long> heapBytes = new ArrayList<>();
        int checkpoint = 0;
        for (int key = 0; key < KEYS; key++) {
            subject.load(key, Integer.valueOf(key));
            if (key + 1 == CHECKPOINTS[checkpoint]) {
                subject.size(); // lets pending maintenance run first
                heapBytes.add(usedHeapAfterGc());
                graphBytes.add(retainedBytes(subject));
                checkpoint++;
            }
        }
        long entries = subject.size();
        double perEntry = (double) (graphBytes.get(graphBytes.size() - 1) - emptyBytes) / entries;
        long first = graphBytes.get(0);
        long last = graphBytes.get(graphBytes.size() - 1);
        boolean bounded = entries <= MAX_SIZE && last <= first * (1 + TOLERATED_GROWTH)
                && heapBytes.get(heapBytes.size() - 1) <= heapBytes.get(0) + TOLERATED_HEAP_GROWTH_BYTES;
        System.out.printf("%-18s %9d %11.1f %12.1f %14d %14d %14d %14d %14d %14d %8s%n", subject.name(), entries,
                perEntry, perEntry - keyAndValueBytes, graphBytes.get(0), graphBytes.get(1), graphBytes.get(2),
                heapBytes.get(0), heapBytes.get(1), heapBytes.get(2), bounded ? "yes" : "NO");
        return bounded;
    }

    /**
     * The size of the cache's object graph, less what is reachable from {@link ForkJoinPool#commonPool()}:
     * Caffeine's default executor, whose worker threads would otherwise count as the cache's.
     */
    private static long retainedBytes(Subject subject) {
        ForkJoinPool shared = ForkJoinPool.commonPool();
        return GraphLayout.parseInstance(subject.root(), shared).totalSize() - GraphLayout.parseInstance(shared).totalSize();
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** A cache under measurement. */
    private interface Subject {
        String name();

        /** Loads {@code value} for {@code key} through the cache's normal path, and waits for it. */
        void load(Integer key, Integer value);

        /** The number of entries, after any pending maintenance. */
        long size();

        /** The object whose graph is the cache. */
        Object root();
    }

    /** An alru cache of either engine. */
    private static final class AlruSubject implements Subject {
        private final Eviction eviction;
        private final AlruCache<Integer, Integer> cache;

        AlruSubject(Eviction eviction) {
            this.eviction = eviction;
            this.cache = AlruCache.builder().maxSize(MAX_SIZE).eviction(eviction).build();
        }

        @Override
        public String name() {
            return "alru " + eviction;
        }

        @Override
        public void load(Integer key, Integer value) {
            cache.get(key, k -> CompletableFuture.completedFuture(value)).join();
        }

        @Override
        public long size() {
            return cache.info().currentSize();
        }

        @Override
        public Object root() {
            return cache;
        }
    }

    /** Caffeine's {@code AsyncCache}, with maintenance on the calling thread or on its default executor. */
    private static final class CaffeineSubject implements Subject {
        private final String name;
        private final AsyncCache<Integer, Integer> cache;

        CaffeineSubject(String name, boolean maintenanceOnCaller) {
            this.name = name;
            Caffeine<Object, Object> builder = Caffeine.newBuilder().maximumSize(MAX_SIZE);
            if (maintenanceOnCaller) {
                builder.executor(Runnable::run);
            }
            this.cache = builder.buildAsync();
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void load(Integer key, Integer value) {
            cache.get(key, (k, executor) -> CompletableFuture.completedFuture(value)).join();
        }

        @Override
        public long size() {
            cache.synchronous().cleanUp();
            return cache.synchronous().estimatedSize();
        }

        @Override
        public Object root() {
            return cache;
        }
    }
}
