package io.github.alru.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.alru.spring.DefaultAlruCacheRegistry;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;

/**
 * Semantics item 17: with {@code @Async} the cache sits outside the executor. A hit returns a
 * completed future on the caller's thread without submitting a task; concurrent cold calls submit
 * exactly one; no executor thread blocks on another call's future. Proven for CGLIB and JDK proxies.
 */
class AsyncOrderingTests {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @EnableAsync
    static class AsyncApplication {

        @Bean
        CountingExecutor countingExecutor() {
            return new CountingExecutor();
        }

        @Bean
        Calls calls() {
            return new Calls();
        }

        @Bean
        SlowPepService pepService(Calls calls) {
            return new SlowPepService(calls);
        }
    }

    /** What the service saw, kept outside the proxied bean. */
    static class Calls {
        final AtomicInteger executions = new AtomicInteger();
        final Set<String> threads = ConcurrentHashMap.newKeySet();
        volatile CountDownLatch gate = new CountDownLatch(0);
    }

    /** Waits on a gate so that concurrent calls overlap; records the threads it ran on. */
    static class SlowPepService implements AsyncPepService {
        private final Calls calls;

        SlowPepService(Calls calls) {
            this.calls = calls;
        }

        @Override
        @Async("countingExecutor")
        public CompletableFuture<String> fetch(int number) {
            calls.executions.incrementAndGet();
            calls.threads.add(Thread.currentThread().getName());
            try {
                calls.gate.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return CompletableFuture.completedFuture("PEP " + number);
        }
    }

    abstract static class Scenarios {

        @Autowired
        AsyncPepService service;

        @Autowired
        Calls target;

        @Autowired
        CountingExecutor executor;

        @Autowired
        DefaultAlruCacheRegistry registry;

        @Test
        void hitReturnsACompletedFutureOnTheCallersThreadWithoutSubmittingATask() throws Exception {
            registry.get("peps").clear();
            int before = executor.submissions();
            String first = service.fetch(8).get(5, TimeUnit.SECONDS);
            assertThat(executor.submissions() - before).as("the miss runs on the executor").isEqualTo(1);

            CompletableFuture<String> hit = service.fetch(8);

            assertThat(hit).as("already completed when returned").isCompletedWithValue(first);
            assertThat(executor.submissions() - before).as("the hit submitted nothing").isEqualTo(1);
            assertThat(target.threads).allSatisfy(thread -> assertThat(thread).startsWith("counting-executor"));
        }

        @Test
        void fiftyConcurrentColdCallsSubmitOneTaskAndRunTheMethodOnce() throws Exception {
            registry.get("peps").clear();
            int submissionsBefore = executor.submissions();
            int executionsBefore = target.executions.get();
            target.gate = new CountDownLatch(1);
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService callers = Executors.newFixedThreadPool(50);
            try {
                List<CompletableFuture<CompletableFuture<String>>> calls = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    calls.add(CompletableFuture.supplyAsync(() -> {
                        awaitQuietly(start);
                        return service.fetch(290);
                    }, callers));
                }
                start.countDown();
                List<CompletableFuture<String>> results = new ArrayList<>();
                for (CompletableFuture<CompletableFuture<String>> call : calls) {
                    results.add(call.get(10, TimeUnit.SECONDS));
                }
                target.gate.countDown();

                for (CompletableFuture<String> result : results) {
                    assertThat(result).succeedsWithin(Duration.ofSeconds(10)).isEqualTo("PEP 290");
                }
            } finally {
                callers.shutdownNow();
            }
            assertThat(executor.submissions() - submissionsBefore).as("tasks submitted").isEqualTo(1);
            assertThat(target.executions.get() - executionsBefore).as("executions").isEqualTo(1);
            assertThat(registry.get("peps").info().misses()).isEqualTo(1);
            assertThat(registry.get("peps").info().hits()).isEqualTo(49);
        }

        private static void awaitQuietly(CountDownLatch latch) {
            try {
                latch.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Nested
    @SpringBootTest(classes = AsyncApplication.class)
    class CglibProxy extends Scenarios {

        @Test
        void beanIsAClassBasedProxy() {
            assertThat(AopUtils.isCglibProxy(service)).isTrue();
        }
    }

    @Nested
    @SpringBootTest(classes = AsyncApplication.class, properties = "spring.aop.proxy-target-class=false")
    class JdkProxy extends Scenarios {

        @Test
        void beanIsAnInterfaceBasedProxy() {
            assertThat(AopUtils.isJdkDynamicProxy(service)).isTrue();
        }
    }
}
