package io.github.alru.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import io.github.alru.testsupport.TestRedis;
import io.github.alru.AlruCacheRegistry;
import io.github.alru.AlruMethodCache;
import io.github.alru.cluster.ClusterTier;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The cluster tier's timed measurements, on a real {@code redis-server} on loopback with three
 * instances (Spring contexts) in this JVM:
 * <ol>
 * <li>the cross-instance stampede: 3 instances × 64 concurrent cold calls of a 50 ms method, for
 *     alru's CLUSTER cache and for Spring's {@code @Cacheable(sync = true)} on {@code RedisCacheManager};</li>
 * <li>invalidation propagation: from {@code invalidate} on one instance until the entry is gone on
 *     the two others, 500 times; p50, p99 and max.</li>
 * </ol>
 */
public final class ClusterHarness {

    private static final int CALLERS = 64;

    private ClusterHarness() {
    }

    /**
     * Runs both measurements and prints them.
     *
     * @param args ignored
     * @throws Exception if a call fails
     */
    public static void main(String[] args) throws Exception {
        try (TestRedis redis = TestRedis.start()) {
            List<ConfigurableApplicationContext> instances = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                instances.add(ClusterApp.start(redis.port()));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!instances.stream().allMatch(c -> c.getBean(ClusterTier.class).linkUp()) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            ClusterApp.workMillis = 50;
            System.out.println("Cross-instance stampede: 3 instances x " + CALLERS + " concurrent cold calls, 50 ms method");
            System.out.printf("  %-44s %d executions%n", "alru @AlruCacheable(scope = CLUSTER)",
                    stampede(instances, number -> instances.get(number % 3).getBean(ClusterApp.Peps.class)::alruCluster,
                            ClusterApp.ALRU_EXECUTIONS::get));
            System.out.printf("  %-44s %d executions%n", "Spring @Cacheable(sync = true) on RedisCache",
                    stampede(instances, number -> n -> CompletableFuture.completedFuture(
                            instances.get(number % 3).getBean(ClusterApp.Peps.class).springRedis(n)),
                            ClusterApp.SPRING_EXECUTIONS::get));
            ClusterApp.workMillis = 0;
            propagation(instances);
            instances.forEach(ConfigurableApplicationContext::close);
        }
        System.exit(0);
    }

    private static int stampede(List<ConfigurableApplicationContext> instances,
            IntFunction<IntFunction<CompletableFuture<String>>> callerOf, java.util.function.IntSupplier executions)
            throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(CALLERS * 3);
        try {
            int before = executions.getAsInt();
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<String>> calls = new ArrayList<>();
            for (int i = 0; i < CALLERS * 3; i++) {
                IntFunction<CompletableFuture<String>> call = callerOf.apply(i);
                calls.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return call.apply(8).join();
                }, callers));
            }
            start.countDown();
            for (CompletableFuture<String> call : calls) {
                call.get(60, TimeUnit.SECONDS);
            }
            return executions.getAsInt() - before;
        } finally {
            callers.shutdownNow();
        }
    }

    private static void propagation(List<ConfigurableApplicationContext> instances) throws Exception {
        int rounds = 500;
        long[] nanos = new long[rounds];
        AlruMethodCache[] caches = instances.stream()
                .map(c -> c.getBean(AlruCacheRegistry.class).get("alruCluster")).toArray(AlruMethodCache[]::new);
        for (int round = 0; round < rounds; round++) {
            int key = 10_000 + round;
            for (ConfigurableApplicationContext instance : instances) {
                instance.getBean(ClusterApp.Peps.class).alruCluster(key).get(5, TimeUnit.SECONDS);
            }
            long started = System.nanoTime();
            caches[0].invalidate(key);
            long limit = started + TimeUnit.SECONDS.toNanos(5);
            while ((caches[1].contains(key) || caches[2].contains(key)) && System.nanoTime() < limit) {
                Thread.onSpinWait();
            }
            nanos[round] = System.nanoTime() - started;
        }
        Arrays.sort(nanos);
        System.out.printf("Invalidation propagation to 2 other instances, %d rounds: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                rounds, millis(nanos[rounds / 2]), millis(nanos[(int) (rounds * 0.99) - 1]), millis(nanos[rounds - 1]));
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

}
