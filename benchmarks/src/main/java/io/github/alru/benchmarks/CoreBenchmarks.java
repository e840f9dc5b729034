package io.github.alru.benchmarks;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The engine alone, in async-lru's own benchmark scenarios, for alru's two engines beside
 * Caffeine's {@code AsyncCache}. Times are per operation (per key for the batch scenarios).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
public class CoreBenchmarks {

    static final Integer[] KEYS = new Integer[5_000];

    static {
        for (int i = 0; i < KEYS.length; i++) {
            KEYS[i] = i; // boxed once, so that no benchmark allocates its keys
        }
    }

    /** A cache of 128 with keys 0..99 loaded. */
    @State(Scope.Benchmark)
    public static class Warm {
        @Param({"LRU", "TINY_LFU", "CAFFEINE", "CAFFEINE_DEFAULT"})
        public String engine;

        CacheSubject cache;

        @Setup(Level.Trial)
        public void load() {
            cache = CacheSubject.of(engine, 128, null);
            for (int i = 0; i < 100; i++) {
                cache.get(KEYS[i]).join();
            }
        }
    }

    /** Each thread's position in the key cycle. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;

        int next(int bound) {
            int current = next;
            next = current + 1 == bound ? 0 : current + 1;
            return current;
        }
    }

    /** An empty cache, emptied again before each batch. */
    @State(Scope.Thread)
    public static class Empty {
        @Param({"LRU", "TINY_LFU", "CAFFEINE", "CAFFEINE_DEFAULT"})
        public String engine;

        CacheSubject unbounded;
        CacheSubject bounded;

        @Setup(Level.Trial)
        public void create() {
            unbounded = CacheSubject.of(engine, -1, null);
            bounded = CacheSubject.of(engine, 128, null);
        }

        @Setup(Level.Invocation)
        public void empty() {
            unbounded.clear();
            bounded.clear();
        }
    }

    /** A cache filled again before each batch. */
    @State(Scope.Thread)
    public abstract static class Filled {
        @Param({"LRU", "TINY_LFU", "CAFFEINE", "CAFFEINE_DEFAULT"})
        public String engine;

        CacheSubject cache;

        abstract int entries();

        @Setup(Level.Trial)
        public void create() {
            cache = CacheSubject.of(engine, -1, null);
        }

        @Setup(Level.Invocation)
        public void fill() {
            for (int i = 0; i < entries(); i++) {
                cache.get(KEYS[i]);
            }
        }
    }

    /** 198 entries, to invalidate one by one. */
    @State(Scope.Thread)
    public static class Filled198 extends Filled {
        @Override
        int entries() {
            return 198;
        }
    }

    /** 100 entries, to clear at once. */
    @State(Scope.Thread)
    public static class Filled100 extends Filled {
        @Override
        int entries() {
            return 100;
        }
    }

    /** A cache whose entries expire a nanosecond after they are written. */
    @State(Scope.Benchmark)
    public static class Expiring {
        @Param({"LRU", "TINY_LFU", "CAFFEINE", "CAFFEINE_DEFAULT"})
        public String engine;

        CacheSubject cache;

        @Setup(Level.Trial)
        public void create() {
            cache = CacheSubject.of(engine, 128, Duration.ofNanos(1));
        }
    }

    /** A hit on one of 10 warm keys. */
    @Benchmark
    public CompletableFuture<Object> hit(Warm warm, Cursor cursor) {
        return warm.cache.hit(KEYS[cursor.next(10)]);
    }

    /** Two threads hitting 100 warm keys at once. */
    @Benchmark
    @Threads(2)
    public CompletableFuture<Object> concurrentHits(Warm warm, Cursor cursor) {
        return warm.cache.hit(KEYS[cursor.next(100)]);
    }

    /** A load of each of 2,048 fresh keys (per key). */
    @Benchmark
    @OperationsPerInvocation(2_048)
    public void miss(Empty empty, Blackhole blackhole) {
        for (int i = 0; i < 2_048; i++) {
            blackhole.consume(empty.unbounded.get(KEYS[i]));
        }
    }

    /** 5,000 fresh keys through a cache of 128: a load and an eviction each (per key). */
    @Benchmark
    @OperationsPerInvocation(5_000)
    public void fillAndEvict(Empty empty, Blackhole blackhole) {
        for (int i = 0; i < 5_000; i++) {
            blackhole.consume(empty.bounded.get(KEYS[i]));
        }
    }

    /** Invalidating 198 entries (per key). */
    @Benchmark
    @OperationsPerInvocation(198)
    public void invalidate(Filled198 filled, Blackhole blackhole) {
        for (int i = 0; i < 198; i++) {
            blackhole.consume(filled.cache.invalidate(KEYS[i]));
        }
    }

    /** Clearing 100 entries at once. */
    @Benchmark
    public void clear(Filled100 filled) {
        filled.cache.clear();
    }

    /** A call on an expired entry: it leaves, and the key loads again. */
    @Benchmark
    public CompletableFuture<Object> expiredAndReloaded(Expiring expiring) {
        return expiring.cache.get(KEYS[1]);
    }

    /** Reading the statistics. */
    @Benchmark
    public Object info(Warm warm) {
        return warm.cache.info();
    }
}
