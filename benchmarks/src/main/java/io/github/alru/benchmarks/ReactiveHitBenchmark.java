package io.github.alru.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.alru.AlruCacheable;
import io.github.alru.autoconfigure.AlruAutoConfiguration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Flux;

/**
 * A hit on a method returning a {@code Flux} of 10 elements, through the Spring proxy, collected by
 * the caller: alru's replay beside Spring's {@code @Cacheable} on the same method (Caffeine, async
 * cache mode, which caches a Flux as its collected list too).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ReactiveHitBenchmark {

    /** The same Flux method under each cache. */
    public static class Authors {

        /**
         * Cached by alru.
         *
         * @param number a PEP
         * @return 10 authors
         */
        @AlruCacheable(name = "authors")
        public Flux<String> alru(int number) {
            return Flux.range(1, 10).map(i -> "author " + i);
        }

        /**
         * Cached by Spring.
         *
         * @param number a PEP
         * @return 10 authors
         */
        @Cacheable("authors")
        public Flux<String> spring(int number) {
            return Flux.range(1, 10).map(i -> "author " + i);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(AlruAutoConfiguration.class)
    @EnableCaching
    static class App {
        @Bean
        Authors authors() {
            return new Authors();
        }

        @Bean
        CaffeineCacheManager cacheManager() {
            CaffeineCacheManager manager = new CaffeineCacheManager();
            manager.setAsyncCacheMode(true);
            return manager;
        }
    }

    @Param({"alru", "springCacheable"})
    public String variant;

    private AnnotationConfigApplicationContext context;
    private Authors authors;

    /** Starts the context and warms the entry. */
    @Setup(Level.Trial)
    public void start() {
        context = new AnnotationConfigApplicationContext(App.class);
        authors = context.getBean(Authors.class);
        hit();
    }

    /** Closes the context. */
    @TearDown(Level.Trial)
    public void stop() {
        context.close();
    }

    /**
     * One call of a warm key, its 10 elements collected.
     *
     * @return the elements
     */
    @Benchmark
    public List<String> hit() {
        Flux<String> flux = variant.equals("alru") ? authors.alru(1) : authors.spring(1);
        return flux.collectList().block();
    }
}
