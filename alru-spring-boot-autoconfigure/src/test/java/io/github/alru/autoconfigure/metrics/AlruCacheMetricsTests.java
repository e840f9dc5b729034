package io.github.alru.autoconfigure.metrics;

import static java.util.concurrent.CompletableFuture.completedFuture;
import static java.util.concurrent.CompletableFuture.failedFuture;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import io.github.alru.AlruCacheRegistry;
import io.github.alru.AlruCacheable;
import io.github.alru.AlruMethodCache;
import io.github.alru.autoconfigure.AlruAutoConfiguration;
import io.github.alru.spring.metrics.AlruCacheMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;
import org.springframework.test.util.AopTestUtils;

/** Semantics item 21: every cache's meters, named as Micrometer's cache binders name them. */
@SpringBootTest(classes = AlruCacheMetricsTests.Application.class)
class AlruCacheMetricsTests {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {

        @Bean
        Catalog catalog() {
            return new Catalog();
        }

        @Bean
        @Lazy
        Catalog lateCatalog() {
            return new Catalog();
        }
    }

    static class Catalog {
        final AtomicReference<CompletableFuture<String>> pending = new AtomicReference<>();

        @AlruCacheable
        public CompletableFuture<String> find(int id) {
            return id < 0 ? failedFuture(new IllegalArgumentException("negative")) : completedFuture("item " + id);
        }

        @AlruCacheable(maxSize = 1)
        public CompletableFuture<String> single(int id) {
            return completedFuture("single " + id);
        }

        @AlruCacheable
        public CompletableFuture<String> slow(int id) {
            CompletableFuture<String> future = new CompletableFuture<>();
            pending.set(future);
            return future;
        }
    }

    @Autowired
    Catalog catalog;

    @Autowired
    MeterRegistry meters;

    @Autowired
    AlruCacheRegistry caches;

    @Autowired
    ApplicationContext context;

    @BeforeEach
    void clear() {
        caches.names().forEach(name -> caches.get(name).clear());
    }

    private double counter(String name, String cache, String... tags) {
        return meters.get(name).tag("cache", cache).tag("cache.manager", "alru").tags(tags).functionCounter().count();
    }

    private double gauge(String name, String cache) {
        return meters.get(name).tag("cache", cache).tag("cache.manager", "alru").gauge().value();
    }

    @Test
    void oneMissAndTwoHitsShowAsGetsBySizeAndPut() {
        double hitsBefore = counter("cache.gets", "catalog.find", "result", "hit");
        double missesBefore = counter("cache.gets", "catalog.find", "result", "miss");
        double putsBefore = counter("cache.puts", "catalog.find");
        double loadsBefore = counter("cache.load", "catalog.find", "result", "success");
        catalog.find(1);
        catalog.find(1);
        catalog.find(1);

        assertThat(counter("cache.gets", "catalog.find", "result", "hit") - hitsBefore).isEqualTo(2);
        assertThat(counter("cache.gets", "catalog.find", "result", "miss") - missesBefore).isEqualTo(1);
        assertThat(gauge("cache.size", "catalog.find")).isEqualTo(1);
        assertThat(counter("cache.puts", "catalog.find") - putsBefore).isEqualTo(1);
        assertThat(counter("cache.load", "catalog.find", "result", "success") - loadsBefore).isEqualTo(1);
        assertThat(meters.get("cache.load.duration").tag("cache", "catalog.find").timeGauge().value()).isPositive();
    }

    @Test
    void evictionForcedByMaxSizeIsCounted() {
        double before = counter("cache.evictions", "catalog.single");
        catalog.single(1);
        catalog.single(2);

        assertThat(counter("cache.evictions", "catalog.single") - before).isEqualTo(1);
        assertThat(gauge("cache.size", "catalog.single")).isEqualTo(1);
    }

    @Test
    void failedLoadsAreCountedAsLoadFailures() {
        double before = counter("cache.load", "catalog.find", "result", "failure");
        catalog.find(-1);
        catalog.find(-1);

        assertThat(counter("cache.load", "catalog.find", "result", "failure") - before).isEqualTo(2);
    }

    @Test
    void loadsInFlightAreGauged() {
        catalog.slow(1);
        assertThat(gauge("alru.loads.in.flight", "catalog.slow")).isEqualTo(1);

        // A class-based proxy has fields of its own: read the bean's.
        AopTestUtils.<Catalog>getUltimateTargetObject(catalog).pending.get().complete("done");

        assertThat(gauge("alru.loads.in.flight", "catalog.slow")).isZero();
    }

    @Test
    void cacheCreatedAfterStartUpStillGetsMeters() {
        assertThat(meters.find("cache.gets").tag("cache", "lateCatalog.find").meters()).isEmpty();

        Catalog late = context.getBean("lateCatalog", Catalog.class);
        late.find(7);
        late.find(7);

        assertThat(counter("cache.gets", "lateCatalog.find", "result", "hit")).isEqualTo(1);
        assertThat(counter("cache.gets", "lateCatalog.find", "result", "miss")).isEqualTo(1);
    }

    @Test
    void clearResetsInfoButTheGetsCountersNeverGoBackwards() {
        catalog.find(1);
        catalog.find(1);
        double hitsBefore = counter("cache.gets", "catalog.find", "result", "hit");
        double missesBefore = counter("cache.gets", "catalog.find", "result", "miss");

        caches.get("catalog.find").clear();
        assertThat(caches.get("catalog.find").info().hits()).isZero();
        assertThat(counter("cache.gets", "catalog.find", "result", "hit")).isEqualTo(hitsBefore);
        catalog.find(1);
        catalog.find(1);

        assertThat(counter("cache.gets", "catalog.find", "result", "hit")).isEqualTo(hitsBefore + 1);
        assertThat(counter("cache.gets", "catalog.find", "result", "miss")).isEqualTo(missesBefore + 1);
    }

    @Test
    void countsMatchStatsExactlyAtQuiescence() {
        Random random = new Random(42);
        for (int i = 0; i < 500; i++) {
            int id = random.nextInt(40) - 5;
            catalog.find(id);
            if (random.nextInt(20) == 0) {
                caches.get("catalog.find").invalidate(id);
            }
        }

        AlruMethodCache cache = caches.get("catalog.find");
        assertThat(counter("cache.gets", "catalog.find", "result", "hit")).isEqualTo(cache.stats().hits());
        assertThat(counter("cache.gets", "catalog.find", "result", "miss")).isEqualTo(cache.stats().misses());
        assertThat(counter("cache.puts", "catalog.find")).isEqualTo(cache.stats().puts());
        assertThat(gauge("cache.size", "catalog.find")).isEqualTo(cache.info().currentSize());
    }

    static class Plain {
        @AlruCacheable(name = "plain")
        public CompletableFuture<String> find(int id) {
            return completedFuture("x");
        }
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AlruAutoConfiguration.class, AlruMetricsAutoConfiguration.class))
            .withBean(SimpleMeterRegistry.class)
            .withBean("plain", Plain.class);

    @Test
    void metricsCanBeSwitchedOff() {
        runner.withPropertyValues("alru.metrics.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(AlruCacheMetrics.class));
    }

    @Test
    void noMetricsWithoutMicrometer() {
        runner.withClassLoader(new FilteredClassLoader(CacheMeterBinder.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(AlruCacheMetrics.class));
    }

    @Test
    void binderBindsEveryCacheToTheRegistryItIsGiven() {
        runner.run(context -> {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            context.getBean(AlruCacheMetrics.class).bindTo(registry);
            assertThat(registry.get("cache.gets").tag("cache", "plain").tag("cache.manager", "alru").functionCounters()).hasSize(2);
        });
    }
}
