package io.github.alru.benchmarks;

import java.util.concurrent.TimeUnit;

import io.github.alru.autoconfigure.AlruAutoConfiguration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A hit on a cached Kotlin {@code suspend} function beside a hit on the same lookup returning a
 * {@code CompletableFuture}, awaited, both called from a coroutine through the Spring proxy
 * (1,000 calls per invocation, in one coroutine).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SuspendHitBenchmark {

    private static final int CALLS = 1_000;

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(AlruAutoConfiguration.class)
    static class App {
        @Bean
        SuspendPeps peps() {
            return new SuspendPeps();
        }
    }

    private AnnotationConfigApplicationContext context;
    private SuspendPeps peps;

    /** Starts the context and warms both entries. */
    @Setup(Level.Trial)
    public void start() {
        context = new AnnotationConfigApplicationContext(App.class);
        peps = context.getBean(SuspendPeps.class);
        SuspendLoops.suspendHits(peps, 1);
        SuspendLoops.futureHits(peps, 1);
    }

    /** Closes the context. */
    @TearDown(Level.Trial)
    public void stop() {
        context.close();
    }

    /**
     * Hits on the suspend function.
     *
     * @return the titles' total length
     */
    @Benchmark
    @OperationsPerInvocation(CALLS)
    public int suspendHit() {
        return SuspendLoops.suspendHits(peps, CALLS);
    }

    /**
     * Hits on the future-returning method, awaited.
     *
     * @return the titles' total length
     */
    @Benchmark
    @OperationsPerInvocation(CALLS)
    public int completableFutureHit() {
        return SuspendLoops.futureHits(peps, CALLS);
    }
}
