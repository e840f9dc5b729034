package io.github.alru.autoconfigure;

import static java.util.concurrent.CompletableFuture.completedFuture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.alru.AlruCacheRegistry;
import io.github.alru.AlruCacheable;
import io.github.alru.autoconfigure.metrics.AlruMetricsAutoConfiguration;
import io.github.alru.spring.endpoint.AlruEndpoint;
import io.github.alru.spring.metrics.AlruCacheMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;

/** Semantics item 34 through Spring: {@code @AlruCacheable(refresh = ...)}, on plain and on {@code @Async} methods. */
class RefreshTests {

    static class Rates {
        final AtomicInteger runs = new AtomicInteger();
        volatile boolean failing;

        @AlruCacheable(name = "rates", ttl = "1m", refresh = "${rates.refresh:100ms}")
        public CompletableFuture<String> rate(String currency) {
            int run = runs.incrementAndGet();
            return failing ? CompletableFuture.failedFuture(new IllegalStateException("down"))
                    : completedFuture(currency + " v" + run);
        }
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AlruAutoConfiguration.class, AlruMetricsAutoConfiguration.class))
            .withBean("rates", Rates.class);

    /** The cache's meters, bound as Boot binds every MeterBinder bean. */
    private static MeterRegistry meters(org.springframework.context.ApplicationContext context) {
        MeterRegistry meters = new SimpleMeterRegistry();
        context.getBean(AlruCacheMetrics.class).bindTo(meters);
        return meters;
    }

    private static Rates target(Rates proxy) {
        return org.springframework.test.util.AopTestUtils.getUltimateTargetObject(proxy);
    }

    @Test
    void aHitOnAnEntryDueForRefreshServesTheOldValueAndOneReloadReplacesIt() {
        runner.run(context -> {
            Rates rates = context.getBean(Rates.class);
            assertThat(rates.rate("EUR")).isCompletedWithValue("EUR v1");

            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                    .until(() -> rates.rate("EUR").join().equals("EUR v2"));

            assertThat(target(rates).runs).hasValue(2);
            assertThat(context.getBean(AlruCacheRegistry.class).get("rates").info().misses()).isEqualTo(1);
            MeterRegistry meters = meters(context);
            assertThat(meters.get("alru.refreshes").tag("cache", "rates").tag("result", "success").functionCounter().count())
                    .isGreaterThanOrEqualTo(1);
            assertThat(new AlruEndpoint(context.getBean(AlruCacheRegistry.class)).cache("rates").refresh()).hasValue("PT0.1S");
        });
    }

    @Test
    void aFailedReloadKeepsTheOldValueAndIsCountedAsAFailure() {
        runner.run(context -> {
            Rates rates = context.getBean(Rates.class);
            rates.rate("USD").join();
            target(rates).failing = true;

            MeterRegistry meters = meters(context);
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> {
                assertThat(rates.rate("USD")).isCompletedWithValue("USD v1");
                return meters.get("alru.refreshes").tag("cache", "rates").tag("result", "failure").functionCounter().count() >= 1;
            });
            assertThat(context.getBean(AlruCacheRegistry.class).get("rates").contains("USD")).isTrue();
        });
    }

    @Test
    void theRefreshPropertyOverridesTheAnnotation() {
        runner.withPropertyValues("alru.caches.rates.refresh=45s").run(context ->
                assertThat(context.getBean(AlruCacheRegistry.class).get("rates").settings().refresh()).isEqualTo(Duration.ofSeconds(45)));
    }

    static class AsyncRates {
        final AtomicInteger runs = new AtomicInteger();

        @Async
        @AlruCacheable(name = "asyncRates", ttl = "1m", refresh = "100ms")
        public CompletableFuture<String> rate(String currency) {
            return completedFuture(currency + " v" + runs.incrementAndGet());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAsync
    static class AsyncConfiguration {
        @Bean
        CountingExecutor taskExecutor() {
            return new CountingExecutor();
        }

        @Bean
        AsyncRates asyncRates() {
            return new AsyncRates();
        }
    }

    @Test
    void onAnAsyncMethodTheReloadGoesThroughTheExecutorAndNoHitWaits() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(AlruAutoConfiguration.class))
                .withUserConfiguration(AsyncConfiguration.class).run(context -> {
                    AsyncRates rates = context.getBean(AsyncRates.class);
                    CountingExecutor executor = context.getBean(CountingExecutor.class);
                    rates.rate("GBP").join();
                    int submittedForTheMiss = executor.submissions();

                    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> {
                        CompletableFuture<String> hit = rates.rate("GBP");
                        assertThat(hit).as("a hit is complete when it returns").isDone();
                        return hit.join().equals("GBP v2");
                    });
                    assertThat(executor.submissions() - submittedForTheMiss).as("one task: the reload").isEqualTo(1);
                });
    }
}
