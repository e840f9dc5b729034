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
 * {@link WarmKeysHitBenchmark} through Spring: each thread cycles through 1,024 warm keys of a
 * cached method from its own starting point, every call joined, against the proxy with a no-op
 * advice. Run at {@code -t 1} and {@code -t 2}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class WarmKeysSpringHitBenchmark {

    @Param({"noopProxy", "alruLruWide", "alruTinyLfuWide"})
    public String variant;

    private Variants.Built built;
    private PepService service;

    @Setup(Level.Trial)
    public void start() {
        built = Variants.build(variant);
        service = built.service();
        for (Integer key : WarmKeysHitBenchmark.KEYS) {
            service.fetch(key).join();
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        built.close();
    }

    /** One call of a warm key, joined. */
    @Benchmark
    public String hit(WarmKeysHitBenchmark.Cursor cursor) {
        return service.fetch(cursor.next()).join();
    }
}
