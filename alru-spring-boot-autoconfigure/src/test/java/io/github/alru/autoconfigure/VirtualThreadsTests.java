package io.github.alru.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.alru.AlruCacheable;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;

/**
 * Semantics item 17 on Boot's virtual-thread executor ({@code spring.threads.virtual.enabled=true},
 * JDK 21 and later; CI runs it on the newest JDK installed): 1,000 concurrent cold calls of an
 * {@code @Async} cached method run it once, and no virtual thread is pinned to its carrier while
 * they wait (JFR's {@code jdk.VirtualThreadPinned} event, recorded during the calls).
 */
@EnabledForJreRange(min = JRE.JAVA_21)
class VirtualThreadsTests {

    static class Pricing {
        final AtomicInteger runs = new AtomicInteger();

        @Async
        @AlruCacheable(name = "price")
        public CompletableFuture<Integer> price(String sku) throws InterruptedException {
            runs.incrementAndGet();
            Thread.sleep(200);
            return CompletableFuture.completedFuture(42);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAsync
    static class AsyncConfiguration {
        @Bean
        Pricing pricing() {
            return new Pricing();
        }
    }

    @Test
    void aThousandConcurrentColdCallsOnVirtualThreadsRunTheMethodOnceAndPinNoCarrier() throws Exception {
        List<String> pinned = new ArrayList<>();
        try (RecordingStream recording = new RecordingStream()) {
            recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
            recording.onEvent("jdk.VirtualThreadPinned", event -> {
                synchronized (pinned) {
                    pinned.add(String.valueOf(event.getStackTrace()));
                }
            });
            recording.startAsync();

            new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, TaskExecutionAutoConfiguration.class,
                            AlruAutoConfiguration.class))
                    .withUserConfiguration(AsyncConfiguration.class)
                    .withPropertyValues("spring.threads.virtual.enabled=true")
                    .run(context -> {
                        Pricing pricing = context.getBean(Pricing.class);
                        ExecutorService callers = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor")
                                .invoke(null);
                        try {
                            CountDownLatch start = new CountDownLatch(1);
                            List<Future<Integer>> calls = new ArrayList<>();
                            for (int i = 0; i < 1_000; i++) {
                                calls.add(callers.submit(() -> {
                                    start.await();
                                    return pricing.price("sku-1").get(10, TimeUnit.SECONDS);
                                }));
                            }
                            start.countDown();
                            for (Future<Integer> call : calls) {
                                assertThat(call.get(20, TimeUnit.SECONDS)).isEqualTo(42);
                            }
                        } finally {
                            callers.shutdownNow();
                        }
                        assertThat(org.springframework.test.util.AopTestUtils.<Pricing>getUltimateTargetObject(pricing).runs)
                                .hasValue(1);
                    });
        }
        synchronized (pinned) {
            assertThat(pinned).as("virtual threads pinned to their carriers").isEmpty();
        }
    }
}
