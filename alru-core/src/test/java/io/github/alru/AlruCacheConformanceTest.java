package io.github.alru;

import static java.util.concurrent.CompletableFuture.completedFuture;
import static java.util.concurrent.CompletableFuture.failedFuture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Semantics items 1-15 (docs/semantics.md), each pinned down by named tests, run against both engines.
 * Eviction-order tests specific to one policy live in {@link LruOrderTest} and {@link TinyLfuPolicyTest}.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Eviction.class)
class AlruCacheConformanceTest {

    @Parameter
    Eviction eviction;

    private final ExecutorService pool = Executors.newFixedThreadPool(8);

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    AlruCacheBuilder builder() {
        return AlruCache.builder().eviction(eviction);
    }

    <K, V> AlruCache<K, V> cache() {
        return builder().build();
    }

    static <V> Function<Object, CompletionStage<V>> constant(V value) {
        return key -> completedFuture(value);
    }

    static Throwable failureOf(CompletableFuture<?> future) {
        assertThat(future).isCompletedExceptionally();
        try {
            future.join();
            throw new AssertionError("not failed");
        } catch (CompletionException e) {
            return e.getCause();
        } catch (CancellationException e) {
            return e;
        }
    }

    @Nested
    class Item01OneExecutionPerKey {

        @Test
        void hundredConcurrentFirstCallsRunTheLoaderOnceWithOneMissAndNinetyNineHits() throws Exception {
            AlruCache<String, String> cache = cache();
            ManualLoader<String, String> loader = new ManualLoader<>();
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService hundredThreads = Executors.newFixedThreadPool(100);
            List<CompletableFuture<String>> results = new ArrayList<>();
            try {
                List<CompletableFuture<CompletableFuture<String>>> calls = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    calls.add(CompletableFuture.supplyAsync(() -> {
                        awaitQuietly(start);
                        return cache.get("k", loader);
                    }, hundredThreads));
                }
                start.countDown();
                for (CompletableFuture<CompletableFuture<String>> call : calls) {
                    results.add(call.get(10, TimeUnit.SECONDS));
                }
            } finally {
                hundredThreads.shutdownNow();
            }
            assertThat(results).allSatisfy(result -> assertThat(result).isNotDone());

            loader.complete("k", "value");

            assertThat(results).allSatisfy(result -> assertThat(result).isCompletedWithValue("value"));
            assertThat(loader.executions()).isEqualTo(1);
            assertThat(cache.info().misses()).isEqualTo(1);
            assertThat(cache.info().hits()).isEqualTo(99);
        }

        @Test
        void callAfterTheLoadFinishedIsAHitServedWithoutTheLoader() {
            AlruCache<String, String> cache = cache();
            ManualLoader<String, String> loader = new ManualLoader<>();
            cache.get("k", loader);
            loader.complete("k", "value");

            CompletableFuture<String> hit = cache.get("k", loader);

            assertThat(hit).isCompletedWithValue("value");
            assertThat(loader.executions()).isEqualTo(1);
            assertThat(cache.info()).isEqualTo(new AlruCacheInfo(1, 1, 128, 1));
        }

        @Test
        void getIfPresentServesOnlyFinishedEntriesAndNeverLoads() {
            AlruCache<String, String> cache = cache();
            ManualLoader<String, String> loader = new ManualLoader<>();
            assertThat(cache.getIfPresent("k")).as("absent").isNull();
            cache.get("k", loader);
            assertThat(cache.getIfPresent("k")).as("still loading").isNull();
            loader.complete("k", null);

            CompletableFuture<String> hit = cache.getIfPresent("k");

            assertThat(hit).isCompletedWithValue(null);
            assertThat(hit).isNotSameAs(cache.getIfPresent("k"));
            assertThat(loader.executions()).isEqualTo(1);
            assertThat(cache.info()).isEqualTo(new AlruCacheInfo(2, 1, 128, 1));
            cache.close(true);
            assertThat(cache.getIfPresent("k")).as("closed").isNull();
        }

        @Test
        void differentKeysLoadSeparately() {
            AlruCache<Integer, Integer> cache = cache();
            ManualLoader<Integer, Integer> loader = new ManualLoader<>();
            CompletableFuture<Integer> one = cache.get(1, loader);
            CompletableFuture<Integer> two = cache.get(2, loader);
            loader.complete(2, 20);
            loader.complete(1, 10);

            assertThat(one).isCompletedWithValue(10);
            assertThat(two).isCompletedWithValue(20);
            assertThat(cache.info().misses()).isEqualTo(2);
        }
    }

    @Nested
    class Item02Size {

        @Test
        void finishedEntriesNeverExceedMaxSizeOnceACallReturns() {
            AlruCache<Integer, Integer> cache = builder().maxSize(5).build();
            for (int i = 0; i < 50; i++) {
                cache.get(i, key -> completedFuture(key));
                assertThat(cache.info().currentSize()).isLessThanOrEqualTo(5);
            }
            assertThat(cache.info().currentSize()).isEqualTo(5);
        }

        @Test
        void inFlightEntriesAreNeverEvictedAndCountInCurrentSize() {
            AlruCache<Integer, Integer> cache = builder().maxSize(2).build();
            ManualLoader<Integer, Integer> slow = new ManualLoader<>();
            for (int key = 0; key < 5; key++) {
                cache.get(key, slow);
            }
            for (int key = 100; key < 150; key++) {
                cache.get(key, k -> completedFuture(k));
            }

            assertThat(cache.info().currentSize()).isEqualTo(2 + 5);
            for (int key = 0; key < 5; key++) {
                assertThat(cache.contains(key)).as("in-flight key %d", key).isTrue();
                cache.get(key, slow);
            }
            assertThat(slow.executions()).as("joined, not restarted").isEqualTo(5);

            for (int key = 0; key < 5; key++) {
                slow.complete(key, key);
            }
            assertThat(cache.parameters().inFlight()).isZero();
            assertThat(cache.info().currentSize()).isEqualTo(2);
        }

        @Test
        void unboundedCacheNeverEvicts() {
            AlruCache<Integer, Integer> cache = builder().maxSize(AlruCache.UNBOUNDED).build();
            for (int i = 0; i < 1_000; i++) {
                cache.get(i, key -> completedFuture(key));
            }
            assertThat(cache.info().currentSize()).isEqualTo(1_000);
            assertThat(cache.info().maxSize()).isEqualTo(AlruCache.UNBOUNDED);
            assertThat(cache.contains(0)).isTrue();
        }

        @Test
        void maxSizeZeroCachesNothingAndEveryCallRuns() {
            AlruCache<String, String> cache = builder().maxSize(0).build();
            ManualLoader<String, String> loader = new ManualLoader<>();
            CompletableFuture<String> first = cache.get("k", loader);
            CompletableFuture<String> second = cache.get("k", loader);
            assertThat(loader.executions()).as("concurrent calls are not joined").isEqualTo(2);
            assertThat(cache.contains("k")).isFalse();
            assertThat(cache.parameters().inFlight()).isEqualTo(2);

            loader.complete("k", "v");
            first.complete("ignored");
            assertThat(second).isCompletedWithValue("v");
            cache.get("k", constant("again"));

            assertThat(cache.info()).isEqualTo(new AlruCacheInfo(0, 3, 0, 0));
            assertThat(cache.contains("k")).isFalse();
        }
    }

    @Nested
    class Item03FailuresAreNotCached {

        @Test
        void loaderThatThrowsFailsTheCallersFutureWithThatExceptionAndRunsAgainNextTime() {
            AlruCache<String, String> cache = cache();
            IllegalStateException boom = new IllegalStateException("boom");
            AtomicInteger runs = new AtomicInteger();

            CompletableFuture<String> failed = cache.get("k", key -> {
                runs.incrementAndGet();
                throw boom;
            });

            assertThat(failureOf(failed)).isSameAs(boom);
            assertThat(cache.contains("k")).isFalse();
            assertThat(cache.get("k", key -> {
                runs.incrementAndGet();
                return completedFuture("ok");
            })).isCompletedWithValue("ok");
            assertThat(runs).hasValue(2);
        }

        @Test
        void loaderReturningNullFailsWithNullPointerExceptionAndIsNotCached() {
            AlruCache<String, String> cache = cache();
            CompletableFuture<String> failed = cache.get("k", key -> null);

            assertThat(failureOf(failed)).isInstanceOf(NullPointerException.class).hasMessageContaining("returned null");
            assertThat(cache.contains("k")).isFalse();
            assertThat(cache.info().currentSize()).isZero();
        }

        @Test
        void failedFutureFailsEveryJoinedCallerWithTheSameExceptionAndJoinersCountAsHits() {
            AlruCache<String, String> cache = cache();
            ManualLoader<String, String> loader = new ManualLoader<>();
            List<CompletableFuture<String>> callers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                callers.add(cache.get("k", loader));
            }
            RuntimeException boom = new RuntimeException("boom");

            loader.latest("k").completeExceptionally(boom);

            assertThat(callers).allSatisfy(caller -> assertThat(failureOf(caller)).isSameAs(boom));
            assertThat(cache.info()).isEqualTo(new AlruCacheInfo(5, 1, 128, 0));
            assertThat(cache.contains("k")).isFalse();
            cache.get("k", loader);
            assertThat(loader.executions()).isEqualTo(2);
        }

        @Test
        void failureWrappedInCompletionExceptionReachesCallersUnwrapped() {
            AlruCache<String, String> cache = cache();
            IllegalArgumentException cause = new IllegalArgumentException("bad");

            CompletableFuture<String> failed = cache.get("k", key -> failedFuture(new CompletionException(cause)));

            assertThat(failureOf(failed)).isSameAs(cause);
        }

        @Test
        void cancelledLoaderFutureFailsCallersWithCancellationAndIsNotCached() {
            AlruCache<String, String> cache = cache();
            ManualLoader<String, String> loader = new ManualLoader<>();
            CompletableFuture<String> caller = cache.get("k", loader);

            loader.latest("k").cancel(false);

            assertThat(caller).isCancelled();
            assertThat(cache.contains("k")).isFalse();
            assertThat(cache.parameters().inFlight()).isZero();
            cache.get("k", loader);
            assertThat(loader.executions()).isEqualTo(2);
        }

        @Test
        void entryIsRemovedBeforeAnyCallerIsToldSoARetryOnFailureRunsTheLoaderAgain() {
            AlruCache<String, String> cache = cache();
            ManualLoader<String, String> loader = new ManualLoader<>();
            AtomicReference<Boolean> containedWhenTold = new AtomicReference<>();
            AtomicReference<CompletableFuture<String>> retry = new AtomicReference<>();
            cache.get("k", loader).whenComplete((value, error) -> {
                containedWhenTold.set(cache.contains("k"));
                retry.set(cache.get("k", constant("second")));
            });

            loader.latest("k").completeExceptionally(new RuntimeException("first fails"));

            assertThat(containedWhenTold.get()).isFalse();
            assertThat(retry.get()).isCompletedWithValue("second");
            assertThat(cache.info().misses()).isEqualTo(2);
        }
    }

    @Nested
    class Item04NullIsAValue {

        @Test
        void futureCompletingWithNullIsCachedLikeAnyValue() {
            AlruCache<String, String> cache = cache();
            AtomicInteger runs = new AtomicInteger();
            Function<String, CompletionStage<String>> loader = key -> {
                runs.incrementAndGet();
                return completedFuture(null);
            };

            assertThat(cache.get("k", loader)).isCompletedWithValue(null);
            assertThat(cache.get("k", loader)).isCompletedWithValue(null);

            assertThat(runs).hasValue(1);
            assertThat(cache.contains("k")).isTrue();
            assertThat(cache.info()).isEqualTo(new AlruCacheInfo(1, 1, 128, 1));
        }
    }

    @Nested
    class Item05Ttl {

        final FakeTicker ticker = new FakeTicker();

        @Test
        void ttlStartsWhenTheLoadCompletesNotWhenItStarts() {
            AlruCache<String, String> cache = builder().ticker(ticker).ttl(Duration.ofSeconds(30)).build();
            ManualLoader<String, String> loader = new ManualLoader<>();
            cache.get("k", loader);
            ticker.advance(Duration.ofMinutes(1)); // the load outlasts the ttl

            loader.complete("k", "v");
            ticker.advance(Duration.ofSeconds(29));

            assertThat(cache.contains("k")).as("fresh 29 s after completion").isTrue();
            assertThat(cache.get("k", loader)).isCompletedWithValue("v");
            assertThat(loader.executions()).isEqualTo(1);
        }

        @Test
        void hitsDoNotExtendTheTtl() {
            AlruCache<String, String> cache = builder().ticker(ticker).ttl(Duration.ofSeconds(30)).build();
            AtomicInteger runs = new AtomicInteger();
            Function<String, CompletionStage<String>> loader = key -> completedFuture("v" + runs.incrementAndGet());
            cache.get("k", loader);

            for (int second = 1; second < 30; second++) {
                ticker.advance(Duration.ofSeconds(1));
                assertThat(cache.get("k", loader).join()).as("a hit %d s after the load", second).isEqualTo("v1");
            }
            ticker.advance(Duration.ofSeconds(1));

            assertThat(cache.get("k", loader).join()).as("30 s after the load, however many hits came between").isEqualTo("v2");
            assertThat(cache.info().misses()).isEqualTo(2);
        }

        @Test
        void anEntryIsGoneTheMomentItsTtlEndsForContainsCurrentSizeAndTheNextCall() {
            AlruCache<String, String> cache = builder().ticker(ticker).ttl(Duration.ofSeconds(10)).build();
            ManualLoader<String, String> loader = new ManualLoader<>();
            for (String key : List.of("a", "b", "c")) {
                cache.get(key, loader);
                loader.complete(key, key);
            }
            ticker.advance(Duration.ofSeconds(10).minusNanos(1));
            assertThat(cache.info().currentSize()).isEqualTo(3);
            assertThat(cache.contains("a")).isTrue();

            ticker.advance(Duration.ofNanos(1));

            assertThat(cache.contains("a")).isFalse();
            assertThat(cache.info().currentSize()).isZero();
            cache.get("b", loader);
            assertThat(loader.executions("b")).isEqualTo(2);
            assertThat(cache.info().misses()).isEqualTo(4);
        }

        @Test
        void expiredEntriesLeaveWithoutAnotherCall() {
            // Real time: the scheduled sweep is the feature here, not the clock.
            AlruCache<String, String> cache = builder().ttl(Duration.ofMillis(200)).build();
            ManualLoader<String, String> loader = new ManualLoader<>();
            for (String key : List.of("a", "b", "c")) {
                cache.get(key, loader);
                loader.complete(key, key);
            }

            await().atMost(Duration.ofSeconds(5)).until(() -> cache.info().currentSize() == 0);
            assertThat(cache.contains("a")).isFalse();
        }

        @Test
        void jitterSpreadsExpiryUniformlyOverTtlToTtlPlusJitter() {
            Duration ttl = Duration.ofSeconds(10);
            Duration jitter = Duration.ofSeconds(10);
            AlruCache<Integer, Integer> cache = builder().ticker(ticker).maxSize(AlruCache.UNBOUNDED).ttl(ttl).jitter(jitter).build();
            int count = 400;
            for (int key = 0; key < count; key++) {
                cache.get(key, k -> completedFuture(k));
            }
            int[] goneBySecond = new int[21];
            for (int second = 0; second <= 20; second++) {
                int live = 0;
                for (int key = 0; key < count; key++) {
                    live += cache.contains(key) ? 1 : 0;
                }
                goneBySecond[second] = count - live;
                ticker.advance(Duration.ofSeconds(1));
            }

            assertThat(goneBySecond[9]).as("gone before the ttl").isZero();
            assertThat(goneBySecond[20]).as("gone after ttl + jitter").isEqualTo(count);
            for (int second = 11; second <= 20; second++) {
                // uniform: each second of the jitter takes about a tenth (40 of 400; 5 sigma is about 30)
                assertThat(goneBySecond[second] - goneBySecond[second - 1]).as("gone in second %d", second).isBetween(10, 70);
            }
        }
    }

    @Nested
    class Item06Invalidate {

        @Test
        void invalidateRemovesAFinishedEntryAndReportsIt() {
            AlruCache<String, String> cache = cache();
            cache.get("k", constant("v"));

            assertThat(cache.invalidate("k")).isTrue();
            assertThat(cache.invalidate("k")).isFalse();
            assertThat(cache.invalidate("never")).isFalse();
            assertThat(cache.contains("k")).isFalse();
            assertThat(cache.info().currentSize()).isZero();
        }

        @Test
        void invalidateOfAnExpiredEntryReportsThatNothingWasThere() {
            FakeTicker ticker = new FakeTicker();
            AlruCache<String, String> cache = builder().ticker(ticker).ttl(Duration.ofSeconds(1)).build();
            cache.get("k", constant("v"));
            ticker.advance(Duration.ofSeconds(1));

            assertThat(cache.invalidate("k")).isFalse();
        }

        @Test
        void invalidatingAnInFlightLoadLetsCallersHaveItsResultButNeverWritesItBack() {
            AlruCache<String, String> cache = cache();
            ManualLoader<String, String> loader = new ManualLoader<>();
            CompletableFuture<String> caller = cache.get("k", loader);

            assertThat(cache.invalidate("k")).isTrue();
            assertThat(cache.contains("k")).isFalse();
            assertThat(cache.parameters().inFlight()).as("still running").isEqualTo(1);
            loader.complete("k", "v");

            assertThat(caller).isCompletedWithValue("v");
            assertThat(cache.contains("k")).isFalse();
            assertThat(cache.info().currentSize()).isZero();
            assertThat(cache.parameters().inFlight()).isZero();
        }

        @Test
        void oldLoadThatFailsAfterInvalidateLeavesTheNewerEntryAlone() {
            AlruCache<String, String> cache = cache();
            ManualLoader<String, String> loader = new ManualLoader<>();
            CompletableFuture<String> old = cache.get("k", loader);
            CompletableFuture<String> oldSource = loader.latest("k");
            cache.invalidate("k");
            cache.get("k", loader);
            loader.complete("k", "new");

            oldSource.completeExceptionally(new RuntimeException("old fails late"));

            assertThat(old).isCompletedExceptionally();
            assertThat(cache.contains("k")).isTrue();
            assertThat(cache.get("k", loader)).isCompletedWithValue("new");
            assertThat(loader.executions()).isEqualTo(2);
        }

        @Test
        void oldLoadThatSucceedsAfterInvalidateDoesNotOverwriteTheNewerEntry() {
            AlruCache<String, String> cache = cache();
            ManualLoader<String, String> loader = new ManualLoader<>();
            CompletableFuture<String> old = cache.get("k", loader);
            CompletableFuture<String> oldSource = loader.latest("k");
            cache.invalidate("k");
            CompletableFuture<String> newer = cache.get("k", loader);

            oldSource.complete("old");
            assertThat(old).isCompletedWithValue("old");
            assertThat(newer).as("still waits for its own load").isNotDone();
            loader.complete("k", "new");

            assertThat(cache.get("k", loader)).isCompletedWithValue("new");
        }

        @Test
        void oldLoadCancelledAfterInvalidateLeavesTheNewerInFlightEntryAlone() {
            AlruCache<String, String> cache = cache();
            ManualLoader<String, String> loader = new ManualLoader<>();
            CompletableFuture<String> old = cache.get("k", loader);
            cache.invalidate("k");
            CompletableFuture<String> newer = cache.get("k", loader);

            old.cancel(true); // its only caller gives up: the old load is cancelled

            assertThat(loader.executions()).isEqualTo(2);
            assertThat(cache.contains("k")).isTrue();
            loader.complete("k", "new");
            assertThat(newer).isCompletedWithValue("new");
            assertThat(cache.get("k", loader)).isCompletedWithValue("new");
        }
    }

    @Nested
    class Item07Clear {

        @Test
        void clearRemovesEveryEntryAndResetsHitsAndMisses() {
            AlruCache<Integer, Integer> cache = cache();
            for (int i = 0; i < 10; i++) {
                cache.get(i, key -> completedFuture(key));
                cache.get(i, key -> completedFuture(key));
            }

            cache.clear();

            assertThat(cache.info()).isEqualTo(new AlruCacheInfo(0, 0, 128, 0));
            assertThat(cache.contains(3)).isFalse();
        }

        @Test
        void clearResetsInfoButTheStatsCountersBehindMetricsOnlyGrow() {
            AlruCache<Integer, Integer> cache = cache();
            cache.get(1, key -> completedFuture(key));
            cache.get(1, key -> completedFuture(key));
            AlruCacheStats beforeClear = cache.stats();

            cache.clear();
            cache.get(1, key -> completedFuture(key));
            cache.get(1, key -> completedFuture(key));
            cache.get(1, key -> completedFuture(key));

            assertThat(cache.info().hits()).isEqualTo(2);
            assertThat(cache.info().misses()).isEqualTo(1);
            assertThat(cache.stats().hits()).isEqualTo(beforeClear.hits() + 2).isEqualTo(3);
            assertThat(cache.stats().misses()).isEqualTo(beforeClear.misses() + 1).isEqualTo(2);
        }

        @Test
        void loadsInFlightDuringClearRunOnForTheirCallersAndDoNotWriteBack() {
            AlruCache<String, String> cache = cache();
            ManualLoader<String, String> loader = new ManualLoader<>();
            CompletableFuture<String> caller = cache.get("k", loader);

            cache.clear();
            loader.complete("k", "v");

            assertThat(caller).isCompletedWithValue("v");
            assertThat(cache.contains("k")).isFalse();
            assertThat(cache.info().currentSize()).isZero();
            cache.get("k", loader);
            assertThat(loader.executions()).isEqualTo(2);
        }
    }

    @Nested
    class Item08Contains {

        @Test
        void containsSeesInFlightAndFinishedEntriesWithoutTouchingCounters() {
            AlruCache<String, String> cache = cache();
            ManualLoader<String, String> loader = new ManualLoader<>();
            assertThat(cache.contains("k")).isFalse();
            cache.get("k", loader);
            assertThat(cache.contains("k")).isTrue();
            loader.complete("k", "v");
            assertThat(cache.contains("k")).isTrue();

            assertThat(cache.info()).isEqualTo(new AlruCacheInfo(0, 1, 128, 1));
        }
    }

    @Nested
    class Item09PerCallerFutures {

        @Test
        void cancellingOneCallersFutureDoesNotAffectTheOthersOrLaterHits() {
            AlruCache<String, String> cache = cache();
            ManualLoader<String, String> loader = new ManualLoader<>();
            CompletableFuture<String> first = cache.get("k", loader);
            CompletableFuture<String> second = cache.get("k", loader);
            CompletableFuture<String> third = cache.get("k", loader);

            assertThat(second.cancel(true)).isTrue();
            assertThat(loader.latest("k")).as("others still wait").isNotDone();
            loader.complete("k", "v");

            assertThat(first).isCompletedWithValue("v");
            assertThat(second).isCancelled();
            assertThat(third).isCompletedWithValue("v");
            assertThat(cache.get("k", loader)).isCompletedWithValue("v");
        }

        @Test
        void completingOrObtrudingOneCallersFutureDoesNotAffectTheOthersOrLaterHits() {
            AlruCache<String, String> cache = cache();
            ManualLoader<String, String> loader = new ManualLoader<>();
            CompletableFuture<String> first = cache.get("k", loader);
            CompletableFuture<String> second = cache.get("k", loader);
            CompletableFuture<String> third = cache.get("k", loader);

            first.complete("forged");
            second.obtrudeValue("obtruded");
            loader.complete("k", "real");

            assertThat(first).isCompletedWithValue("forged");
            assertThat(third).isCompletedWithValue("real");
            CompletableFuture<String> hit = cache.get("k", loader);
            hit.obtrudeValue("obtruded hit");
            assertThat(cache.get("k", loader)).isCompletedWithValue("real");
            assertThat(hit).isNotSameAs(cache.get("k", loader));
        }

        @Test
        void whenEveryWaitingCallerCancelsTheLoadIsCancelledAndTheEntryRemoved() {
            AlruCache<String, String> cache = cache();
            ManualLoader<String, String> loader = new ManualLoader<>();
            List<CompletableFuture<String>> callers = List.of(cache.get("k", loader), cache.get("k", loader));

            callers.get(0).cancel(false);
            assertThat(loader.latest("k")).isNotCancelled();
            callers.get(1).cancel(false);

            assertThat(loader.latest("k")).isCancelled();
            assertThat(cache.contains("k")).isFalse();
            assertThat(cache.parameters().inFlight()).isZero();
            cache.get("k", loader);
            assertThat(loader.executions()).isEqualTo(2);
        }

        @Test
        void cancellingTheSameCallerTwiceCountsOnce() {
            AlruCache<String, String> cache = cache();
            ManualLoader<String, String> loader = new ManualLoader<>();
            CompletableFuture<String> first = cache.get("k", loader);
            CompletableFuture<String> second = cache.get("k", loader);

            first.cancel(false);
            first.cancel(false);

            assertThat(loader.latest("k")).isNotCancelled();
            loader.complete("k", "v");
            assertThat(second).isCompletedWithValue("v");
        }

        @Test
        void cancellingAfterTheLoadFinishedChangesNothing() {
            AlruCache<String, String> cache = cache();
            ManualLoader<String, String> loader = new ManualLoader<>();
            CompletableFuture<String> caller = cache.get("k", loader);
            loader.complete("k", "v");

            assertThat(caller.cancel(true)).isFalse();

            assertThat(cache.contains("k")).isTrue();
            assertThat(cache.get("k", loader)).isCompletedWithValue("v");
        }
    }

    @Nested
    class Item10Close {

        @Test
        void closeWithoutWaitCancelsInFlightLoadsDropsTheirEntriesAndKeepsFinishedOnes() {
            AlruCache<String, String> cache = cache();
            ManualLoader<String, String> loader = new ManualLoader<>();
            cache.get("done", loader);
            loader.complete("done", "v");
            CompletableFuture<String> waiting = cache.get("slow", loader);

            CompletableFuture<Void> closed = cache.close(false);

            assertThat(failureOf(waiting)).isInstanceOf(CancellationException.class);
            assertThat(loader.latest("slow")).isCancelled();
            assertThat(closed).isCompleted();
            assertThat(cache.contains("slow")).isFalse();
            assertThat(cache.contains("done")).isTrue();
            assertThat(cache.parameters().closed()).isTrue();
            assertThat(cache.parameters().inFlight()).isZero();
        }

        @Test
        void afterCloseGetFailsWithClosedExceptionAndRunsNothing() {
            AlruCache<String, String> cache = cache();
            cache.get("k", constant("v"));
            cache.close(true);
            AtomicInteger runs = new AtomicInteger();

            CompletableFuture<String> hit = cache.get("k", key -> completedFuture("x" + runs.incrementAndGet()));
            CompletableFuture<String> miss = cache.get("other", key -> completedFuture("x" + runs.incrementAndGet()));

            assertThat(failureOf(hit)).isInstanceOf(AlruCacheClosedException.class).hasMessageContaining(cache.name());
            assertThat(failureOf(miss)).isInstanceOf(AlruCacheClosedException.class);
            assertThat(runs).hasValue(0);
        }

        @Test
        void closeWithWaitLetsInFlightLoadsFinishForTheirCallersAndKeepsTheirResults() {
            AlruCache<String, String> cache = cache();
            ManualLoader<String, String> loader = new ManualLoader<>();
            CompletableFuture<String> caller = cache.get("k", loader);

            CompletableFuture<Void> closed = cache.close(true);
            assertThat(closed).isNotDone();
            assertThat(cache.parameters().closed()).isTrue();
            loader.complete("k", "v");

            assertThat(caller).isCompletedWithValue("v");
            assertThat(closed).isCompleted();
            assertThat(cache.contains("k")).isTrue();
            assertThat(cache.info().currentSize()).isEqualTo(1);
        }

        @Test
        void closeFutureAlsoWaitsForLoadsWhoseEntryWasInvalidated() {
            AlruCache<String, String> cache = cache();
            ManualLoader<String, String> loader = new ManualLoader<>();
            cache.get("k", loader);
            cache.invalidate("k");

            CompletableFuture<Void> closed = cache.close(true);

            assertThat(closed).isNotDone();
            loader.complete("k", "v");
            assertThat(closed).isCompleted();
        }

        @Test
        void closingAgainIsSafeNeverReopensAndCloseWithoutWaitCancelsWhatIsStillInFlight() {
            AlruCache<String, String> cache = cache();
            ManualLoader<String, String> loader = new ManualLoader<>();
            CompletableFuture<String> caller = cache.get("k", loader);
            CompletableFuture<Void> first = cache.close(true);

            CompletableFuture<Void> second = cache.close(false);

            assertThat(failureOf(caller)).isInstanceOf(CancellationException.class);
            assertThat(first).isCompleted();
            assertThat(second).isCompleted();
            assertThat(cache.close(true)).isCompleted();
            assertThat(cache.parameters().closed()).isTrue();
            assertThat(cache.get("k", constant("v"))).isCompletedExceptionally();
        }

        @Test
        void closeOfAnIdleCacheCompletesAtOnceAndItsFutureCannotBeForged() {
            AlruCache<String, String> cache = cache();
            CompletableFuture<Void> closed = cache.close(false);
            assertThat(closed).isCompleted();
            closed.obtrudeException(new RuntimeException("forged"));
            assertThat(cache.close(true)).isCompletedWithValue(null);
        }
    }

    @Nested
    class Item11Parameters {

        @Test
        void parametersReportMaxSizeTypedInFlightAndClosed() {
            AlruCache<Integer, Integer> cache = builder().maxSize(7).typed(true).build();
            ManualLoader<Integer, Integer> loader = new ManualLoader<>();
            cache.get(1, loader);
            cache.get(2, loader);
            cache.get(2, loader);

            assertThat(cache.parameters()).isEqualTo(new AlruCacheParameters(7, true, 2, false));
            loader.complete(1, 1);
            assertThat(cache.parameters().inFlight()).isEqualTo(1);
            cache.close(false);
            assertThat(cache.parameters()).isEqualTo(new AlruCacheParameters(7, true, 0, true));
        }

        @Test
        void nameIsTheOneGivenOrAGeneratedUniqueOne() {
            assertThat(builder().name("pep").build().name()).isEqualTo("pep");
            assertThat(builder().build().name()).isNotBlank().isNotEqualTo(builder().build().name());
        }
    }

    @Nested
    class Item12Keys {

        @Test
        void arraysCompareByContentDeeply() {
            AlruCache<Object, String> cache = cache();
            ManualLoader<Object, String> loader = new ManualLoader<>();
            cache.get(new int[] {1, 2}, loader);
            cache.get(new int[] {1, 2}, loader);
            cache.get(new Object[] {new long[] {3}, "a", null}, loader);
            cache.get(new Object[] {new long[] {3}, "a", null}, loader);
            cache.get(new int[] {2, 1}, loader);

            assertThat(loader.executions()).isEqualTo(3);
            assertThat(cache.contains(new Object[] {new long[] {3}, "a", null})).isTrue();
            assertThat(cache.invalidate(new int[] {1, 2})).isTrue();
        }

        @Test
        void arrayKeyChangedByTheCallerAfterTheCallLeavesTheStoredEntryIntact() {
            AlruCache<Object, String> cache = cache();
            int[] numbers = {1, 2};
            Object[] nested = {"a", new long[] {3}};
            cache.get(numbers, constant("numbers"));
            cache.get(nested, constant("nested"));

            numbers[0] = 9;
            ((long[]) nested[1])[0] = 4;

            assertThat(cache.contains(new int[] {1, 2})).isTrue();
            assertThat(cache.contains(numbers)).isFalse();
            assertThat(cache.contains(new Object[] {"a", new long[] {3}})).isTrue();
            assertThat(cache.invalidate(new int[] {1, 2})).isTrue();
            assertThat(cache.invalidate(new Object[] {"a", new long[] {3}})).isTrue();
            assertThat(cache.info().currentSize()).isZero();
        }

        @Test
        void nullKeyIsRejectedWithNullPointerException() {
            AlruCache<String, String> cache = cache();
            assertThatThrownBy(() -> cache.get(null, constant("v"))).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> cache.contains(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> cache.invalidate(null)).isInstanceOf(NullPointerException.class);
            assertThat(cache.info()).isEqualTo(new AlruCacheInfo(0, 0, 128, 0));
        }

        @Test
        void untypedCacheTreatsEqualKeysOfDifferentClassesAsOne() {
            AlruCache<Object, String> cache = cache();
            ManualLoader<Object, String> loader = new ManualLoader<>();
            cache.get(List.of(1), loader);
            cache.get(new ArrayList<>(List.of(1)), loader);
            assertThat(loader.executions()).isEqualTo(1);
        }

        @Test
        void typedCacheKeepsEqualKeysOfDifferentClassesApartInsideArraysToo() {
            AlruCache<Object, String> cache = builder().typed(true).build();
            ManualLoader<Object, String> loader = new ManualLoader<>();
            cache.get(List.of(1), loader);
            cache.get(new ArrayList<>(List.of(1)), loader);
            cache.get(new Object[] {List.of(1), "x"}, loader);
            cache.get(new Object[] {new ArrayList<>(List.of(1)), "x"}, loader);
            cache.get(new Object[] {List.of(1), "x"}, loader);
            cache.get(List.of(1), loader);

            assertThat(loader.executions()).isEqualTo(4);
            assertThat(cache.contains(new ArrayList<>(List.of(1)))).isTrue();
            assertThat(cache.contains(new java.util.LinkedList<>(List.of(1)))).isFalse();
        }
    }

    @Nested
    class Item13BadSettings {

        @Test
        void maxSizeBelowMinusOneIsRejectedNamingTheValue() {
            assertThatThrownBy(() -> builder().maxSize(-2))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxSize").hasMessageContaining("-2");
        }

        @Test
        void ttlThatIsNotPositiveIsRejectedNamingTheValue() {
            assertThatThrownBy(() -> builder().ttl(Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl").hasMessageContaining("PT0S");
            assertThatThrownBy(() -> builder().ttl(Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-1S");
        }

        @Test
        void negativeJitterIsRejectedNamingTheValue() {
            assertThatThrownBy(() -> builder().jitter(Duration.ofMillis(-5)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jitter").hasMessageContaining("PT-0.005S");
        }

        @Test
        void durationsTooLongToCountInNanosecondsAreRejectedByTheirOwnSetter() {
            assertThatThrownBy(() -> builder().ttl(Duration.ofDays(106_752)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl").hasMessageContaining("PT2562048H");
            assertThatThrownBy(() -> builder().ttl(Duration.ofSeconds(1)).jitter(Duration.ofDays(106_752)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jitter");
        }

        @Test
        void jitterWithoutTtlIsRejectedWhenBuilding() {
            AlruCacheBuilder builder = builder().jitter(Duration.ofSeconds(1));
            assertThatThrownBy(builder::build)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jitter").hasMessageContaining("ttl");
        }

        @Test
        void boundaryValuesAreAccepted() {
            assertThat(builder().maxSize(-1).build().info().maxSize()).isEqualTo(-1);
            assertThat(builder().maxSize(0).build().info().maxSize()).isZero();
            assertThat(builder().ttl(Duration.ofNanos(1)).jitter(Duration.ZERO).build()).isNotNull();
        }
    }

    @Nested
    class Item14ThreadSafety {

        @Test
        void loaderMayCallTheSameCacheRecursivelyWithoutDeadlock() {
            AlruCache<Integer, Long> cache = cache();
            Function<Integer, CompletionStage<Long>>[] fib = new Function[1];
            fib[0] = n -> n < 2
                    ? completedFuture((long) n)
                    : cache.get(n - 1, fib[0]).thenCombine(cache.get(n - 2, fib[0]), Long::sum);

            assertThat(cache.get(40, fib[0])).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(102_334_155L);
            // Keys 0..40 each start one load; fib(n) for n = 3..40 finds fib(n - 2) already cached.
            assertThat(cache.info().misses()).isEqualTo(41);
            assertThat(cache.info().hits()).isEqualTo(38);
        }

        @Test
        void loaderMayCallTheSameCacheFromAnotherThreadWhileItRuns() {
            AlruCache<Integer, Integer> cache = cache();
            CompletableFuture<Integer> outer = cache.get(1, key ->
                    CompletableFuture.supplyAsync(() -> cache.get(2, k -> completedFuture(20)).join() + 1, pool));

            assertThat(outer).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(21);
        }
    }

    @Nested
    class StatisticsAndSettings {

        @Test
        void statsCountLoadsByOutcomeAndPutsOnlyForStoredValues() {
            AlruCache<String, String> cache = cache();
            ManualLoader<String, String> loader = new ManualLoader<>();
            cache.get("stored", loader);
            cache.get("dropped", loader);
            cache.get("failed", loader);
            cache.get("stored", loader);
            cache.invalidate("dropped");

            loader.complete("stored", "v");
            loader.complete("dropped", "v");
            loader.latest("failed").completeExceptionally(new RuntimeException("no"));

            AlruCacheStats stats = cache.stats();
            assertThat(stats.loadSuccesses()).isEqualTo(2);
            assertThat(stats.loadFailures()).isEqualTo(1);
            assertThat(stats.puts()).as("the invalidated load stored nothing").isEqualTo(1);
            assertThat(stats.totalLoadTimeNanos()).isPositive();
            assertThat(stats.hits()).isEqualTo(cache.info().hits()).isEqualTo(1);
            assertThat(stats.misses()).isEqualTo(cache.info().misses()).isEqualTo(3);
        }

        @Test
        void evictionsCountEntriesRemovedByTheSizeBound() {
            AlruCache<Integer, Integer> cache = builder().maxSize(2).build();
            for (int key = 0; key < 5; key++) {
                cache.get(key, k -> completedFuture(k));
            }

            assertThat(cache.stats().puts()).isEqualTo(5);
            assertThat(cache.stats().evictions()).isEqualTo(3);
            assertThat(cache.info().currentSize()).isEqualTo(2);
        }

        @Test
        void evictionsCountExpiredEntries() {
            FakeTicker ticker = new FakeTicker();
            AlruCache<Integer, Integer> cache = builder().ticker(ticker).ttl(Duration.ofSeconds(5)).build();
            cache.get(1, k -> completedFuture(k));
            cache.get(2, k -> completedFuture(k));
            ticker.advance(Duration.ofSeconds(5));

            assertThat(cache.info().currentSize()).isZero();

            assertThat(cache.stats().evictions()).isEqualTo(2);
        }

        @Test
        void settingsReportWhatTheCacheWasBuiltWith() {
            AlruCache<Integer, Integer> cache = builder().name("s").maxSize(9).ttl(Duration.ofSeconds(10))
                    .jitter(Duration.ofSeconds(2)).typed(true).build();

            assertThat(cache.settings()).isEqualTo(new AlruCacheSettings("s", 9, Duration.ofSeconds(10),
                    Duration.ofSeconds(2), true, eviction, null));
            assertThat(builder().build().settings().ttl()).isNull();
        }
    }

    @Nested
    class LoadingCache {

        @Test
        void loadingCacheUsesTheLoaderItWasBuiltWith() {
            AtomicInteger runs = new AtomicInteger();
            AlruLoadingCache<Integer, String> cache = builder().name("loading")
                    .build(key -> completedFuture("v" + key + "#" + runs.incrementAndGet()));

            assertThat(cache.get(1)).isCompletedWithValue("v1#1");
            assertThat(cache.get(1)).isCompletedWithValue("v1#1");
            assertThat(cache.contains(1)).isTrue();
            assertThat(cache.name()).isEqualTo("loading");
            assertThat(cache.info().hits()).isEqualTo(1);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What the cluster tier relies on: loads a shared tier answers, lifetimes it sets, values it keeps out. */
    @Nested
    class TieredLoads {

        @Test
        void aLoadTheSharedTierAnswersCountsAsAHitAndIsKept() {
            AlruCache<String, String> cache = cache();
            AlruTieredLoader<String, String> fromRedis = key -> {
                AlruTieredLoad<String> load = new AlruTieredLoad<>();
                load.completeFromSharedTier("shared", null);
                return load;
            };

            assertThat(cache.get("k", fromRedis)).isCompletedWithValue("shared");
            assertThat(cache.get("k", constant("other"))).isCompletedWithValue("shared");

            assertThat(cache.info().hits()).isEqualTo(2);
            assertThat(cache.info().misses()).isZero();
            assertThat(cache.stats().hits()).isEqualTo(2);
        }

        @Test
        void aTieredLoadThatRanTheMethodIsAMissCountedWhenItCompletes() {
            AlruCache<String, String> cache = cache();
            AlruTieredLoad<String> pending = new AlruTieredLoad<>();
            CompletableFuture<String> first = cache.get("k", (AlruTieredLoader<String, String>) key -> pending);
            CompletableFuture<String> joined = cache.get("k", constant("never"));
            assertThat(cache.info().misses()).isZero();

            pending.completeLoaded("loaded", null);

            assertThat(first).isCompletedWithValue("loaded");
            assertThat(joined).isCompletedWithValue("loaded");
            assertThat(cache.info().misses()).isEqualTo(1);
            assertThat(cache.info().hits()).isEqualTo(1);
            assertThat(cache.contains("k")).isTrue();
        }

        @Test
        void aValueCompletedWithoutKeepingReachesEveryCallerButIsNotStored() {
            AlruCache<String, String> cache = cache();
            AlruTieredLoad<String> pending = new AlruTieredLoad<>();
            CompletableFuture<String> first = cache.get("k", (AlruTieredLoader<String, String>) key -> pending);
            CompletableFuture<String> joined = cache.get("k", constant("never"));

            pending.completeWithoutKeeping("stale");

            assertThat(first).isCompletedWithValue("stale");
            assertThat(joined).isCompletedWithValue("stale");
            assertThat(cache.contains("k")).isFalse();
            assertThat(cache.info().currentSize()).isZero();
            assertThat(cache.stats().puts()).isZero();
        }

        @Test
        void aFailedTieredLoadIsAMissAndIsNotCached() {
            AlruCache<String, String> cache = cache();
            AlruTieredLoader<String, String> failing = key -> {
                AlruTieredLoad<String> load = new AlruTieredLoad<>();
                load.completeExceptionally(new IllegalStateException("down"));
                return load;
            };
            AlruTieredLoader<String, String> throwing = key -> {
                throw new IllegalStateException("thrown");
            };

            assertThat(failureOf(cache.get("k", failing))).hasMessage("down");
            assertThat(failureOf(cache.get("k", throwing))).hasMessage("thrown");

            assertThat(cache.info().misses()).isEqualTo(2);
            assertThat(cache.contains("k")).isFalse();
        }

        @Test
        void theSharedCopysRemainingLifetimeBoundsTheLocalEntry() {
            FakeTicker ticker = new FakeTicker();
            AlruCache<String, String> cache = builder().ticker(ticker).ttl(Duration.ofMinutes(10)).build();
            cache.get("k", (AlruTieredLoader<String, String>) key -> {
                AlruTieredLoad<String> load = new AlruTieredLoad<>();
                load.completeFromSharedTier("shared", Duration.ofSeconds(15));
                return load;
            });
            ticker.advance(Duration.ofSeconds(15).minusNanos(1));
            assertThat(cache.contains("k")).isTrue();

            ticker.advance(Duration.ofNanos(1));

            assertThat(cache.contains("k")).isFalse();
            assertThat(cache.info().currentSize()).isZero();
        }

        @Test
        void aLifetimeGivenByTheLoadReplacesTheTtlAndJitter() {
            FakeTicker ticker = new FakeTicker();
            AlruCache<String, String> cache = builder().ticker(ticker).ttl(Duration.ofMinutes(10)).jitter(Duration.ofMinutes(1)).build();
            cache.get("k", (AlruTieredLoader<String, String>) key -> {
                AlruTieredLoad<String> load = new AlruTieredLoad<>();
                load.completeLoaded("loaded", Duration.ofSeconds(15));
                return load;
            });
            assertThat(cache.contains("k")).isTrue();

            ticker.advance(Duration.ofSeconds(15));

            assertThat(cache.contains("k")).isFalse();
        }

        @Test
        void invalidateAllDropsEveryEntryButKeepsTheCounters() {
            AlruCache<String, String> cache = cache();
            cache.get("a", constant("1"));
            cache.get("a", constant("1"));

            cache.invalidateAll();

            assertThat(cache.contains("a")).isFalse();
            assertThat(cache.info().hits()).isEqualTo(1);
            assertThat(cache.info().misses()).isEqualTo(1);
        }
    }

    /** Semantics item 34: refresh-ahead (stale-while-revalidate). */
    @Nested
    class Item34Refresh {

        final FakeTicker ticker = new FakeTicker();

        private AlruCache<String, String> refreshing(Duration refresh) {
            return builder().ticker(ticker).refreshAfter(refresh).ttl(Duration.ofMinutes(10)).build();
        }

        /** Lets the refresh period pass; the next hit serves the old value and starts the reload. */
        private void hitUntilTheReloadStarts(AlruCache<String, String> cache, ManualLoader<String, String> loader, String expected) {
            assertThat(cache.get("k", loader)).isCompletedWithValue(expected);
            assertThat(loader.executions()).as("no reload before the refresh period").isEqualTo(1);
            ticker.advance(Duration.ofSeconds(50));
            assertThat(cache.get("k", loader)).as("a hit serves the old value meanwhile").isCompletedWithValue(expected);
            assertThat(loader.executions()).as("the hit started the reload").isEqualTo(2);
        }

        @Test
        void aHitOnAnEntryOlderThanTheRefreshServesItAndStartsOneReloadWhateverHitsFollow() {
            AlruCache<String, String> cache = refreshing(Duration.ofSeconds(30));
            ManualLoader<String, String> loader = new ManualLoader<>();
            cache.get("k", loader);
            loader.complete("k", "v1");

            hitUntilTheReloadStarts(cache, loader, "v1");
            for (int i = 0; i < 100; i++) {
                assertThat(cache.get("k", loader)).isCompletedWithValue("v1");
            }
            assertThat(loader.executions()).as("one reload per key").isEqualTo(2);
            assertThat(cache.parameters().inFlight()).isEqualTo(1);

            loader.complete("k", "v2");

            assertThat(cache.get("k", loader)).isCompletedWithValue("v2");
            assertThat(cache.info().misses()).as("a reload is no miss").isEqualTo(1);
            assertThat(cache.stats().refreshSuccesses()).isEqualTo(1);
            assertThat(cache.parameters().inFlight()).isZero();
        }

        @Test
        void concurrentHitsOnADueEntryStartOneReload() throws Exception {
            AlruCache<String, String> cache = refreshing(Duration.ofSeconds(30));
            ManualLoader<String, String> loader = new ManualLoader<>();
            cache.get("k", loader);
            loader.complete("k", "v1");
            ticker.advance(Duration.ofSeconds(50));

            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> calls = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                calls.add(pool.submit(() -> {
                    start.await();
                    return cache.get("k", loader).join();
                }));
            }
            start.countDown();
            for (Future<String> call : calls) {
                assertThat(call.get(5, TimeUnit.SECONDS)).isEqualTo("v1");
            }

            assertThat(loader.executions()).isEqualTo(2);
        }

        @Test
        void aFailedReloadKeepsTheOldValueIsCountedAndALaterHitMayTryAgain() {
            AlruCache<String, String> cache = refreshing(Duration.ofSeconds(30));
            ManualLoader<String, String> loader = new ManualLoader<>();
            cache.get("k", loader);
            loader.complete("k", "v1");
            hitUntilTheReloadStarts(cache, loader, "v1");

            loader.latest("k").completeExceptionally(new IllegalStateException("upstream down"));

            assertThat(cache.contains("k")).isTrue();
            assertThat(cache.stats().refreshFailures()).isEqualTo(1);
            assertThat(cache.get("k", loader)).as("the old value, still").isCompletedWithValue("v1");
            assertThat(loader.executions()).as("the next hit on the still-due entry tried again").isEqualTo(3);
        }

        @Test
        void aReloadWhoseEntryWasInvalidatedMeanwhileStoresNothing() {
            AlruCache<String, String> cache = refreshing(Duration.ofSeconds(30));
            ManualLoader<String, String> loader = new ManualLoader<>();
            cache.get("k", loader);
            loader.complete("k", "v1");
            hitUntilTheReloadStarts(cache, loader, "v1");

            cache.invalidate("k");
            loader.complete("k", "v2");

            assertThat(cache.contains("k")).isFalse();
            assertThat(cache.info().currentSize()).isZero();
        }

        @Test
        void aReloadWhoseCacheWasClearedMeanwhileStoresNothing() {
            AlruCache<String, String> cache = refreshing(Duration.ofSeconds(30));
            ManualLoader<String, String> loader = new ManualLoader<>();
            cache.get("k", loader);
            loader.complete("k", "v1");
            hitUntilTheReloadStarts(cache, loader, "v1");

            cache.clear();
            loader.complete("k", "v2");

            assertThat(cache.contains("k")).isFalse();
        }

        @Test
        void theReloadedValueRestartsTheTtlSoASteadyStreamOfHitsNeverMisses() {
            AlruCache<String, String> cache = builder().ticker(ticker).ttl(Duration.ofSeconds(40)).refreshAfter(Duration.ofSeconds(10))
                    .build();
            AtomicInteger runs = new AtomicInteger();
            Function<String, CompletionStage<String>> loader = key -> completedFuture("v" + runs.incrementAndGet());
            cache.get("k", loader);

            // Three ttls of hits, one every 2 s: without the restart, the entry would expire and a call would miss.
            for (int second = 2; second <= 120; second += 2) {
                ticker.advance(Duration.ofSeconds(2));
                cache.get("k", loader);
                assertThat(cache.info().misses()).as("misses after %d s", second).isEqualTo(1);
            }
            assertThat(runs.get()).as("one load and a reload about every 10 s").isBetween(11, 13);
        }

        @Test
        void closingCancelsAReloadInFlightAndKeepsTheOldValue() {
            AlruCache<String, String> cache = refreshing(Duration.ofSeconds(30));
            ManualLoader<String, String> loader = new ManualLoader<>();
            cache.get("k", loader);
            loader.complete("k", "v1");
            hitUntilTheReloadStarts(cache, loader, "v1");

            assertThat(cache.close(false)).succeedsWithin(Duration.ofSeconds(5));

            assertThat(loader.latest("k")).isCancelled();
            assertThat(cache.contains("k")).isTrue();
        }

        @Test
        void aReloadWhoseStageRefusesTheCancelOfCloseWithoutWaitingNeverWritesBack() {
            AlruCache<String, String> cache = refreshing(Duration.ofSeconds(30));
            List<CompletableFuture<String>> sources = new CopyOnWriteArrayList<>();
            Function<String, CompletionStage<String>> loader = key -> {
                CompletableFuture<String> source = new CompletableFuture<>();
                sources.add(source);
                return source.minimalCompletionStage(); // its cancel() throws, so the reload runs on
            };
            cache.get("k", loader);
            sources.get(0).complete("v1");
            ticker.advance(Duration.ofSeconds(50));
            assertThat(cache.get("k", loader)).isCompletedWithValue("v1");
            assertThat(sources).as("the hit started the reload").hasSize(2);

            CompletableFuture<Void> closed = cache.close(false);
            sources.get(1).complete("v2");

            assertThat(closed).succeedsWithin(Duration.ofSeconds(5));
            assertThat(cache.stats().puts()).as("the cancelled reload stored nothing").isEqualTo(1);
            assertThat(cache.contains("k")).isTrue();
        }

        @Test
        void aRefreshThatIsNotPositiveOrNotShorterThanTheTtlIsRejected() {
            assertThatThrownBy(() -> builder().refreshAfter(Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refreshAfter").hasMessageContaining("PT0S");
            AlruCacheBuilder tooLong = builder().ttl(Duration.ofSeconds(5)).refreshAfter(Duration.ofSeconds(5));
            assertThatThrownBy(tooLong::build).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("refreshAfter (PT5S) must be shorter than the ttl (PT5S)");
            assertThat(builder().refreshAfter(Duration.ofSeconds(1)).build().settings().refresh()).isEqualTo(Duration.ofSeconds(1));
        }
    }
}
