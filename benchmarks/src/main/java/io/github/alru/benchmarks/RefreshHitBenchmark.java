package io.github.alru.benchmarks;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.github.alru.AlruCache;
import io.github.alru.Eviction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Refresh ahead's cost on the hit path: a plain hit beside a hit on an entry due for refresh whose
 * reload runs already (every call but the one that started it), on both engines.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RefreshHitBenchmark {

    @Param({"LRU", "TINY_LFU"})
    Eviction eviction;

    private AlruCache<Integer, String> plain;
    private AlruCache<Integer, String> refreshing;
    private final Function<Integer, CompletionStage<String>> loaded = key -> CompletableFuture.completedFuture("v" + key);
    /** The reload never completes, so every measured hit finds the entry due and its reload running. */
    private final Function<Integer, CompletionStage<String>> hanging = key -> new CompletableFuture<>();

    /** Builds both caches and warms key 1; the refreshing cache's entry is due at once. */
    @Setup
    public void setUp() throws InterruptedException {
        plain = AlruCache.builder().eviction(eviction).ttl(Duration.ofHours(1)).build();
        refreshing = AlruCache.builder().eviction(eviction).ttl(Duration.ofHours(1)).refreshAfter(Duration.ofNanos(1)).build();
        plain.get(1, loaded).join();
        refreshing.get(1, loaded).join();
        Thread.sleep(1);
        refreshing.get(1, hanging).join(); // starts the one reload, which never ends
    }

    /**
     * A hit on a cache without refresh.
     *
     * @return the value
     */
    @Benchmark
    public String plainHit() {
        return plain.get(1, loaded).join();
    }

    /**
     * A hit on an entry due for refresh, whose reload runs already.
     *
     * @return the value
     */
    @Benchmark
    public String dueForRefreshHit() {
        return refreshing.get(1, hanging).join();
    }
}
