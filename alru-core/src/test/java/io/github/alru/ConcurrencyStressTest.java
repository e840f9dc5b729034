package io.github.alru;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Many threads hammer one cache at once (semantics items 1, 2, 6, 7 and 14), on both engines.
 *
 * <p>Loaders complete their futures sometimes on the calling thread (already complete when
 * returned) and sometimes later on another executor, so both the "finished before get returns"
 * and the "joined while in flight" paths are raced.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Eviction.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConcurrencyStressTest {

    private static final int THREADS = 32;
    private static final int KEYS = 1_000;
    private static final int MAX_SIZE = 100;
    private static final int OPS_PER_THREAD = 3_000;
    private static final long JOIN_TIMEOUT_SECONDS = 30;

    private final Eviction eviction;
    private ExecutorService completer;

    ConcurrencyStressTest(Eviction eviction) {
        this.eviction = eviction;
    }

    @BeforeEach
    void startCompleter() {
        completer = Executors.newFixedThreadPool(4);
    }

    @AfterEach
    void stopCompleter() throws InterruptedException {
        completer.shutdownNow();
        assertThat(completer.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @RepeatedTest(3)
    void concurrentGetsNeverRunTwoLoadsOfOneKeyAtOnce() throws Exception {
        AlruCache<Integer, String> cache = newCache();
        TrackingLoader loader = new TrackingLoader(completer);
        AtomicLong joinedInFlight = new AtomicLong();

        List<List<Call>> perThread = runTogether(THREADS, thread -> {
            List<Call> calls = new ArrayList<>(OPS_PER_THREAD);
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int op = 0; op < OPS_PER_THREAD; op++) {
                int key = random.nextInt(KEYS);
                loader.ranOnThisThread.set(false);
                CompletableFuture<String> future = cache.get(key, loader);
                if (!loader.ranOnThisThread.get() && !future.isDone()) {
                    joinedInFlight.incrementAndGet(); // this call joined another call's load
                }
                calls.add(new Call(key, future));
            }
            return calls;
        });

        List<Call> calls = flatten(perThread);
        assertAllDeliverTheirKeysValue(calls);

        assertThat(loader.maxConcurrentLoadsOfOneKey.get())
                .as("most loads of one key in flight at the same time (only get() was called)")
                .isEqualTo(1);
        assertThat(joinedInFlight.get())
                .as("calls that joined a load in flight (else the check above proved nothing)")
                .isPositive();
        AlruCacheInfo info = cache.info();
        assertThat(info.misses()).as("misses vs loader executions").isEqualTo(loader.executions.get());
        assertThat(info.hits() + info.misses()).as("hits + misses vs calls").isEqualTo(calls.size());
        assertQuiescentWithinMaxSize(cache);
    }

    @Test
    void getsRacingInvalidateAndClearAlwaysDeliverTheKeysOwnValue() throws Exception {
        AlruCache<Integer, String> cache = newCache();
        TrackingLoader loader = new TrackingLoader(completer);
        AtomicLong invalidatedEntries = new AtomicLong();
        AtomicLong clears = new AtomicLong();

        List<List<Call>> perThread = runTogether(THREADS, thread -> {
            List<Call> calls = new ArrayList<>(OPS_PER_THREAD);
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int op = 0; op < OPS_PER_THREAD; op++) {
                int key = random.nextInt(KEYS);
                int dice = random.nextInt(10_000);
                if (dice < 5) {
                    cache.clear();
                    clears.incrementAndGet();
                } else if (dice < 500) {
                    if (cache.invalidate(key)) {
                        invalidatedEntries.incrementAndGet();
                    }
                } else {
                    calls.add(new Call(key, cache.get(key, loader)));
                }
            }
            return calls;
        });

        List<Call> calls = flatten(perThread);
        assertAllDeliverTheirKeysValue(calls);
        assertThat(invalidatedEntries.get()).as("invalidate calls that removed an entry").isPositive();
        assertThat(clears.get()).as("clear calls").isPositive();
        assertQuiescentWithinMaxSize(cache);

        // The cache still works normally afterwards: a second call for a key is served without a load.
        // Cleared first: in a full TINY_LFU cache, W-TinyLFU may rightly refuse a brand-new key.
        cache.clear();
        long before = loader.executions.get();
        assertThat(cache.get(KEYS + 1, loader).get(JOIN_TIMEOUT_SECONDS, TimeUnit.SECONDS)).isEqualTo("v" + (KEYS + 1));
        assertThat(cache.get(KEYS + 1, loader).get(JOIN_TIMEOUT_SECONDS, TimeUnit.SECONDS)).isEqualTo("v" + (KEYS + 1));
        assertThat(loader.executions.get() - before).as("loads for two calls of one fresh key").isEqualTo(1);
    }

    @Test
    void hundredSimultaneousFirstCallsForOneKeyRunOneLoadWithOneMissAndNinetyNineHits() throws Exception {
        int callers = 100;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            for (int round = 0; round < 20; round++) {
                AlruCache<String, Object> cache = newCache();
                AtomicInteger executions = new AtomicInteger();
                CompletableFuture<Object> pendingLoad = new CompletableFuture<>();
                Function<String, CompletionStage<Object>> loader = key -> {
                    executions.incrementAndGet();
                    return pendingLoad;
                };
                CountDownLatch ready = new CountDownLatch(callers);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<CompletableFuture<Object>>> calls = new ArrayList<>(callers);
                for (int i = 0; i < callers; i++) {
                    calls.add(pool.submit(() -> {
                        ready.countDown();
                        start.await();
                        return cache.get("the-key", loader);
                    }));
                }
                assertThat(ready.await(JOIN_TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
                start.countDown();
                List<CompletableFuture<Object>> futures = new ArrayList<>(callers);
                for (Future<CompletableFuture<Object>> call : calls) {
                    futures.add(call.get(JOIN_TIMEOUT_SECONDS, TimeUnit.SECONDS));
                }

                // Every call has returned while the one load is still in flight.
                assertThat(executions.get()).as("round %d: loader executions", round).isEqualTo(1);
                assertThat(futures).as("round %d: futures before the load completes", round)
                        .noneMatch(CompletableFuture::isDone);
                assertThat(futures.stream().distinct().count())
                        .as("round %d: distinct futures handed out (each caller gets its own)", round)
                        .isEqualTo(callers);

                Object value = new Object();
                pendingLoad.complete(value);
                for (CompletableFuture<Object> future : futures) {
                    assertThat(future.get(JOIN_TIMEOUT_SECONDS, TimeUnit.SECONDS)).isSameAs(value);
                }
                AlruCacheInfo info = cache.info();
                assertThat(info.misses()).as("round %d: misses", round).isEqualTo(1);
                assertThat(info.hits()).as("round %d: hits", round).isEqualTo(callers - 1);
                assertThat(executions.get()).as("round %d: loader executions", round).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    private <K, V> AlruCache<K, V> newCache() {
        return AlruCache.builder().maxSize(MAX_SIZE).eviction(eviction).build();
    }

    private static void assertQuiescentWithinMaxSize(AlruCache<Integer, String> cache) {
        // Every caller's future is done, and a load stops running before its callers are told.
        assertThat(cache.parameters().inFlight()).as("loads in flight at quiescence").isZero();
        assertThat(cache.info().currentSize()).as("currentSize at quiescence").isBetween(0L, (long) MAX_SIZE);
    }

    private static void assertAllDeliverTheirKeysValue(List<Call> calls) throws Exception {
        CompletableFuture<?>[] all = calls.stream().map(Call::future).toArray(CompletableFuture<?>[]::new);
        CompletableFuture.allOf(all).handle((ignored, error) -> null).get(JOIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        List<String> wrong = new ArrayList<>();
        for (Call call : calls) {
            String expected = "v" + call.key();
            try {
                String actual = call.future().getNow(null);
                if (!expected.equals(actual)) {
                    wrong.add("key " + call.key() + " got " + actual);
                }
            } catch (RuntimeException e) {
                wrong.add("key " + call.key() + " failed: " + e);
            }
            if (wrong.size() >= 10) {
                break;
            }
        }
        assertThat(wrong).as("calls that did not get their key's value (first 10)").isEmpty();
    }

    private static <T> List<T> flatten(List<List<T>> lists) {
        List<T> all = new ArrayList<>();
        lists.forEach(all::addAll);
        return all;
    }

    /** Runs {@code body} on {@code threads} threads released together by one latch; returns their results. */
    private static <T> List<T> runTogether(int threads, ThreadBody<T> body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> results = new ArrayList<>(threads);
            for (int i = 0; i < threads; i++) {
                int thread = i;
                results.add(pool.submit(() -> {
                    ready.countDown();
                    start.await();
                    return body.run(thread);
                }));
            }
            assertThat(ready.await(JOIN_TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
            start.countDown();
            List<T> out = new ArrayList<>(threads);
            for (Future<T> result : results) {
                out.add(result.get(JOIN_TIMEOUT_SECONDS, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @FunctionalInterface
    private interface ThreadBody<T> {
        T run(int thread) throws Exception;
    }

    private record Call(int key, CompletableFuture<String> future) {}

    /**
     * Loads {@code "v" + key}, completing at random either before returning or later on the
     * completer, and records how many loads of each key are in flight at once.
     */
    private static final class TrackingLoader implements Function<Integer, CompletionStage<String>> {
        final AtomicIntegerArray inFlightPerKey = new AtomicIntegerArray(KEYS + 2);
        final AtomicInteger maxConcurrentLoadsOfOneKey = new AtomicInteger();
        final AtomicLong executions = new AtomicLong();
        final ThreadLocal<Boolean> ranOnThisThread = ThreadLocal.withInitial(() -> false);
        private final ExecutorService completer;

        TrackingLoader(ExecutorService completer) {
            this.completer = completer;
        }

        @Override
        public CompletionStage<String> apply(Integer key) {
            ranOnThisThread.set(true);
            executions.incrementAndGet();
            int concurrent = inFlightPerKey.incrementAndGet(key);
            maxConcurrentLoadsOfOneKey.accumulateAndGet(concurrent, Math::max);
            String value = "v" + key;
            if (ThreadLocalRandom.current().nextBoolean()) {
                inFlightPerKey.decrementAndGet(key);
                return CompletableFuture.completedFuture(value);
            }
            CompletableFuture<String> future = new CompletableFuture<>();
            completer.execute(() -> {
                inFlightPerKey.decrementAndGet(key);
                future.complete(value);
            });
            return future;
        }
    }
}
