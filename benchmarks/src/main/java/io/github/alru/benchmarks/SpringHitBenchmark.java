package io.github.alru.benchmarks;

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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cache-hit path through Spring, side by side: a direct call, a proxy with a no-op advice,
 * Spring's {@code @Cacheable} (Caffeine, async mode), {@code @AlruCacheable} on both engines, and
 * the same on {@code @Async} methods. Every call joins its future. Run with {@code -t 1} and {@code -t 2}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class SpringHitBenchmark {

    private static final Integer KEY = 8;

    @Param({"direct", "noopProxy", "springCacheable", "springCacheableSync", "alruLru", "alruTinyLfu",
            "springCacheableAsync", "alruLruAsync", "alruTinyLfuAsync"})
    public String variant;

    private Variants.Built built;
    private PepService service;

    @Setup(Level.Trial)
    public void start() {
        built = Variants.build(variant);
        service = built.service();
        service.fetch(KEY).join(); // the miss; from now on every call is a hit
    }

    @TearDown(Level.Trial)
    public void stop() {
        built.close();
    }

    /** One call of a warm key, joined. */
    @Benchmark
    public String hit() {
        return service.fetch(KEY).join();
    }
}
