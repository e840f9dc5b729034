package io.github.alru.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Hits that do not share a key at the same moment: each thread cycles through the same 1,024 warm
 * keys from its own random starting point, in a cache of 2,048. Run at {@code -t 1} and
 * {@code -t 2}: what scales here is what a hit writes that other threads' hits also write.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class WarmKeysHitBenchmark {

    static final int KEY_COUNT = 1024;
    static final Integer[] KEYS = new Integer[KEY_COUNT];

    static {
        for (int i = 0; i < KEYS.length; i++) {
            KEYS[i] = i;
        }
    }

    /** A cache of 2,048 with keys 0..1023 loaded. */
    @State(Scope.Benchmark)
    public static class Warm {
        @Param({"LRU", "TINY_LFU", "CAFFEINE", "CAFFEINE_DEFAULT"})
        public String engine;

        CacheSubject cache;

        @Setup(Level.Trial)
        public void load() {
            cache = CacheSubject.of(engine, 2 * KEY_COUNT, null);
            for (Integer key : KEYS) {
                cache.get(key).join();
            }
        }
    }

    /** Each thread's place in the cycle, starting anywhere. */
    @State(Scope.Thread)
    public static class Cursor {
        int next = ThreadLocalRandom.current().nextInt(KEY_COUNT);

        Integer next() {
            int current = next;
            next = (current + 1) & (KEY_COUNT - 1);
            return KEYS[current];
        }
    }

    /** A hit: alru's {@code get}, Caffeine's {@code getIfPresent}. */
    @Benchmark
    public CompletableFuture<Object> hit(Warm warm, Cursor cursor) {
        return warm.cache.hit(cursor.next());
    }
}
