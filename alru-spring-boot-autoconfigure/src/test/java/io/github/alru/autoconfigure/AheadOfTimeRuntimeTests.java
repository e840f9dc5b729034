package io.github.alru.autoconfigure;

import static java.util.concurrent.CompletableFuture.completedFuture;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.alru.AlruCacheable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.aop.support.AopUtils;
import org.springframework.aot.AotDetector;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;

/**
 * Semantics item 35, at run time: this test class runs twice in {@code ./mvnw -B verify}, once as
 * usual and once on the code {@code process-test-aot} generated ({@code -Dspring.aot.enabled=true}).
 * Both runs cache exactly alike; the second also proves that each cached bean's proxy class was
 * loaded from the generated class files, not generated at run time, as a native image requires.
 */
@SpringBootTest(classes = AheadOfTimeRuntimeTests.Application.class)
class AheadOfTimeRuntimeTests {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @EnableAsync
    static class Application {

        @Bean
        Executions executions() {
            return new Executions();
        }

        @Bean
        AheadOfTimeService aheadOfTimeService(Executions executions) {
            return new AheadOfTimeService(executions);
        }

        @Bean
        AheadOfTimeAsyncService aheadOfTimeAsyncService(Executions executions) {
            return new AheadOfTimeAsyncService(executions);
        }
    }

    /** What the services did, kept outside the proxied beans. */
    static class Executions {
        final AtomicInteger plain = new AtomicInteger();
        final AtomicInteger async = new AtomicInteger();
        final CountDownLatch gate = new CountDownLatch(1);
    }

    /** Proxied by alru alone. */
    static class AheadOfTimeService {
        private final Executions executions;

        AheadOfTimeService(Executions executions) {
            this.executions = executions;
        }

        @AlruCacheable
        public CompletableFuture<String> fetch(int number) {
            executions.plain.incrementAndGet();
            return CompletableFuture.supplyAsync(() -> {
                await(executions.gate);
                return "pep-" + number;
            });
        }
    }

    /** Proxied by {@code @Async} first, then advised by alru. */
    static class AheadOfTimeAsyncService {
        private final Executions executions;

        AheadOfTimeAsyncService(Executions executions) {
            this.executions = executions;
        }

        @Async
        @AlruCacheable
        public CompletableFuture<String> fetch(int number) {
            executions.async.incrementAndGet();
            return completedFuture("pep-" + number);
        }
    }

    @Autowired
    Executions executions;

    @Autowired
    AheadOfTimeService service;

    @Autowired
    AheadOfTimeAsyncService asyncService;

    @Test
    void concurrentColdCallsShareOneExecutionThenHit() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(16);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<CompletableFuture<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                calls.add(CompletableFuture.supplyAsync(() -> {
                    await(start);
                    return service.fetch(7);
                }, callers));
            }
            start.countDown();
            List<CompletableFuture<String>> results = new ArrayList<>();
            for (CompletableFuture<CompletableFuture<String>> call : calls) {
                results.add(call.get(10, TimeUnit.SECONDS));
            }
            executions.gate.countDown();
            for (CompletableFuture<String> result : results) {
                assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("pep-7");
            }
            assertThat(service.fetch(7)).isCompletedWithValue("pep-7");
            assertThat(executions.plain).hasValue(1);
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void anAsyncCachedMethodRunsOnceThenHitsOnTheCallersThread() throws Exception {
        assertThat(asyncService.fetch(3).get(10, TimeUnit.SECONDS)).isEqualTo("pep-3");
        assertThat(asyncService.fetch(3)).isCompletedWithValue("pep-3");
        assertThat(executions.async).hasValue(1);
    }

    @Test
    @EnabledIfSystemProperty(named = "spring.aot.enabled", matches = "true")
    void eachCachedBeansProxyClassWasGeneratedAheadOfTime() {
        assertThat(AotDetector.useGeneratedArtifacts()).as("running on the code generated ahead of time").isTrue();
        for (Object bean : List.of(service, asyncService)) {
            assertThat(AopUtils.isCglibProxy(bean)).as(bean.getClass().getName()).isTrue();
            Class<?> proxyClass = bean.getClass();
            String classFile = proxyClass.getName().replace('.', '/') + ".class";
            assertThat(proxyClass.getClassLoader().getResource(classFile))
                    .as("%s loaded from the class files of process-test-aot", proxyClass.getName()).isNotNull();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("latch not released in 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
