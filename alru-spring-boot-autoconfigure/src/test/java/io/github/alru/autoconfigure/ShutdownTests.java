package io.github.alru.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.alru.AlruCacheClosedException;
import io.github.alru.AlruCacheRegistry;
import io.github.alru.AlruCacheable;
import io.github.alru.AlruMethodCache;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;

/**
 * Semantics item 23: when the context closes, caches close before Boot's task executor shuts down,
 * so an {@code @Async} load in flight finishes for its caller; {@code alru.shutdown.*} tunes it.
 */
class ShutdownTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, TaskExecutionAutoConfiguration.class,
                    AlruAutoConfiguration.class))
            .withUserConfiguration(AsyncConfiguration.class);

    /** Lets the test see a call start, and decide when it ends. */
    static class Gate {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
    }

    static class SlowService {
        private final Gate gate;

        SlowService(Gate gate) {
            this.gate = gate;
        }

        @Async
        @AlruCacheable(name = "slow")
        public CompletableFuture<String> fetch(int number) throws InterruptedException {
            gate.started.countDown();
            gate.release.await();
            return CompletableFuture.completedFuture("slow " + number);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAsync
    static class AsyncConfiguration {

        @Bean
        Gate gate() {
            return new Gate();
        }

        @Bean
        SlowService slowService(Gate gate) {
            return new SlowService(gate);
        }
    }

    @Test
    void asyncLoadInFlightWhenTheContextClosesStillCompletesForItsCallerAndIsKept() {
        runner.run(context -> {
            Gate gate = context.getBean(Gate.class);
            AlruMethodCache cache = context.getBean(AlruCacheRegistry.class).get("slow");
            CompletableFuture<String> call = context.getBean(SlowService.class).fetch(1);
            assertThat(gate.started.await(5, TimeUnit.SECONDS)).as("running on the executor").isTrue();

            CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
            await().atMost(Duration.ofSeconds(5)).until(() -> cache.parameters().closed());
            assertThat(closing).as("closing waits for the load").isNotDone();
            gate.release.countDown();

            assertThat(call).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("slow 1");
            assertThat(closing).succeedsWithin(Duration.ofSeconds(5));
            assertThat(cache.contains(1)).isTrue();
            assertThat(cache.parameters().inFlight()).isZero();
        });
    }

    @Test
    void withShutdownWaitFalseLoadsInFlightAreCancelledWhenTheContextCloses() {
        runner.withPropertyValues("alru.shutdown.wait=false").run(context -> {
            Gate gate = context.getBean(Gate.class);
            AlruMethodCache cache = context.getBean(AlruCacheRegistry.class).get("slow");
            CompletableFuture<String> call = context.getBean(SlowService.class).fetch(2);
            call.whenComplete((value, error) -> gate.release.countDown()); // the work stops once cancelled
            assertThat(gate.started.await(5, TimeUnit.SECONDS)).isTrue();

            context.close();

            assertThat(call).isCancelled();
            assertThat(cache.contains(2)).isFalse();
        });
    }

    @Test
    void loadsStillRunningAfterTheShutdownTimeoutAreCancelled() {
        runner.withPropertyValues("alru.shutdown.timeout=200ms").run(context -> {
            Gate gate = context.getBean(Gate.class);
            CompletableFuture<String> call = context.getBean(SlowService.class).fetch(3);
            call.whenComplete((value, error) -> gate.release.countDown()); // the work stops once cancelled
            assertThat(gate.started.await(5, TimeUnit.SECONDS)).isTrue();
            long closingStarted = System.nanoTime();

            context.close();

            assertThat(Duration.ofNanos(System.nanoTime() - closingStarted)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
            assertThat(call).isCompletedExceptionally();
            assertThat(call.handle((value, error) -> error).join()).isInstanceOf(CancellationException.class);
        });
    }

    @Test
    void callsAfterTheContextClosedFailWithTheCacheClosedAndRunNothing() {
        runner.run(context -> {
            SlowService service = context.getBean(SlowService.class);
            Gate gate = context.getBean(Gate.class);
            context.close();

            assertThat(service.fetch(4)).failsWithin(Duration.ofSeconds(1))
                    .withThrowableThat().havingCause().isInstanceOf(AlruCacheClosedException.class);
            assertThat(gate.started.getCount()).as("the method never ran").isEqualTo(1);
        });
    }
}
