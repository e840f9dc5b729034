package io.github.alru;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Semantics item 15: nothing removed from a cache (failure, eviction, invalidate, clear, cancel)
 * stays reachable from it, on both engines.
 *
 * <p>Each scenario runs in a helper method that returns only {@link WeakReference}s, so the test's
 * own stack holds nothing strongly; the cache stays strongly reachable throughout (it is used again
 * after the garbage collector has run), so whatever is cleared was not held by the cache.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Eviction.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LeakTest {

    private static final Duration GC_WAIT = Duration.ofSeconds(10);

    private final Eviction eviction;

    LeakTest(Eviction eviction) {
        this.eviction = eviction;
    }

    @Test
    void failedLoadsLeaveTheirKeysErrorsAndLoadersUnreachable() {
        AlruCache<Key, Object> cache = newCache(100);

        List<Tracked> tracked = failTenThousandLoads(cache);

        assertThat(tracked).hasSize(300);
        assertThat(cache.parameters().inFlight()).as("loads in flight").isZero();
        assertThat(cache.info().currentSize()).as("currentSize after failures only").isZero();
        assertThat(cache.info().misses()).as("misses (each failed load ran)").isEqualTo(10_000);
        awaitAllCollected(tracked);
        assertCacheStillWorks(cache, new Key(-1), new Value(-1));
    }

    @Test
    void valuesEvictedBySizeBecomeUnreachableWhileSurvivorsStayCached() {
        AlruCache<Integer, Value> cache = newCache(10);

        List<WeakReference<Value>> values = loadThousandDistinctKeys(cache);

        assertThat(cache.parameters().inFlight()).as("loads in flight").isZero();
        assertThat(cache.info().currentSize()).as("currentSize").isEqualTo(10);
        List<Tracked> evicted = new ArrayList<>();
        List<Integer> survivors = new ArrayList<>();
        for (int key = 0; key < values.size(); key++) {
            if (cache.contains(key)) {
                survivors.add(key);
            } else {
                evicted.add(new Tracked("value of evicted key " + key, values.get(key)));
            }
        }
        // Which ten survive is the policy's choice (LRU: the last ten; TINY_LFU: Caffeine's pick).
        assertThat(survivors).as("keys still cached").hasSize(10);

        awaitAllCollected(evicted);

        // Control: values the cache still holds were not collected, and are what a hit returns.
        for (int key : survivors) {
            Value value = values.get(key).get();
            assertThat(value).as("value of surviving key %d", key).isNotNull();
            assertThat(cache.get(key, LeakTest::unexpectedLoad).join()).isSameAs(value);
        }
    }

    @Test
    void valuesRemovedByInvalidateBecomeUnreachableWhileOthersStayCached() {
        AlruCache<Integer, Value> cache = newCache(100);

        List<WeakReference<Value>> values = loadValues(cache, 50);
        List<Tracked> invalidated = new ArrayList<>();
        for (int key = 0; key < 50; key += 2) {
            assertThat(cache.invalidate(key)).as("invalidate(%d)", key).isTrue();
            invalidated.add(new Tracked("value of invalidated key " + key, values.get(key)));
        }
        assertThat(cache.info().currentSize()).as("currentSize").isEqualTo(25);

        awaitAllCollected(invalidated);

        for (int key = 1; key < 50; key += 2) {
            Value value = values.get(key).get();
            assertThat(value).as("value of kept key %d", key).isNotNull();
            assertThat(cache.get(key, LeakTest::unexpectedLoad).join()).isSameAs(value);
        }
    }

    @Test
    void valuesRemovedByClearBecomeUnreachable() {
        AlruCache<Integer, Value> cache = newCache(100);

        List<WeakReference<Value>> values = loadValues(cache, 50);
        cache.clear();
        assertThat(cache.info().currentSize()).as("currentSize after clear").isZero();

        List<Tracked> cleared = new ArrayList<>();
        for (int key = 0; key < values.size(); key++) {
            cleared.add(new Tracked("value of cleared key " + key, values.get(key)));
        }
        awaitAllCollected(cleared);
        assertCacheStillWorks(cache, 1_000, new Value(-1));
    }

    @Test
    void loadsInvalidatedOrClearedInFlightAreNotWrittenBackAndBecomeUnreachable() {
        AlruCache<Key, Value> cache = newCache(100);

        List<Tracked> tracked = removeLoadsInFlightThenComplete(cache);

        assertThat(cache.parameters().inFlight()).as("loads in flight").isZero();
        assertThat(cache.info().currentSize()).as("currentSize (nothing written back)").isZero();
        awaitAllCollected(tracked);
        assertCacheStillWorks(cache, new Key(-1), new Value(-1));
    }

    @Test
    void loadsCancelledByEveryCallerLeaveTheirKeysLoadersAndFuturesUnreachable() {
        AlruCache<Key, Value> cache = newCache(100);

        List<Tracked> tracked = abandonLoads(cache);

        assertThat(cache.parameters().inFlight()).as("loads in flight").isZero();
        assertThat(cache.info().currentSize()).as("currentSize").isZero();
        awaitAllCollected(tracked);
        assertCacheStillWorks(cache, new Key(-1), new Value(-1));
    }

    // --- scenarios; each returns only weak references --------------------------------------

    /** Fails 10,000 loads of distinct keys: already-failed future, thrown, failed after get returned. */
    private static List<Tracked> failTenThousandLoads(AlruCache<Key, Object> cache) {
        List<Tracked> tracked = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            Key key = new Key(i);
            RuntimeException error = new IllegalStateException("load " + i + " failed");
            CompletableFuture<Object> pending = new CompletableFuture<>();
            Function<Key, CompletionStage<Object>> loader = switch (i % 3) {
                case 0 -> k -> CompletableFuture.failedFuture(error);
                case 1 -> k -> {
                    throw error;
                };
                default -> k -> pending;
            };
            CompletableFuture<Object> future = cache.get(key, loader);
            pending.completeExceptionally(error);
            assertThat(future).as("future of failed load %d", i).isCompletedExceptionally();
            Throwable cause = future.handle((value, failure) -> failure).join();
            assertThat(cause).as("cause seen by the caller of load %d", i).isSameAs(error);
            assertThat(cache.contains(key)).as("contains(failed key %d)", i).isFalse();
            if (i % 100 == 0) {
                tracked.add(new Tracked("key " + i, new WeakReference<>(key)));
                tracked.add(new Tracked("error of load " + i, new WeakReference<>(error)));
                tracked.add(new Tracked("loader of load " + i, new WeakReference<>(loader)));
            }
        }
        return tracked;
    }

    /** Loads keys 0..999 into a cache of maxSize 10, each with a fresh value. */
    private static List<WeakReference<Value>> loadThousandDistinctKeys(AlruCache<Integer, Value> cache) {
        List<WeakReference<Value>> values = new ArrayList<>();
        for (int key = 0; key < 1_000; key++) {
            Value value = new Value(key);
            // Half complete before get returns, half after (the entry is finished while in the cache).
            CompletableFuture<Value> pending = new CompletableFuture<>();
            boolean later = key % 2 == 0;
            CompletableFuture<Value> future = cache.get(key, k -> later ? pending : CompletableFuture.completedFuture(value));
            pending.complete(value);
            assertThat(future.join()).isSameAs(value);
            values.add(new WeakReference<>(value));
        }
        return values;
    }

    private static List<WeakReference<Value>> loadValues(AlruCache<Integer, Value> cache, int count) {
        List<WeakReference<Value>> values = new ArrayList<>();
        for (int key = 0; key < count; key++) {
            Value value = new Value(key);
            assertThat(cache.get(key, k -> CompletableFuture.completedFuture(value)).join()).isSameAs(value);
            values.add(new WeakReference<>(value));
        }
        assertThat(cache.info().currentSize()).isEqualTo(count);
        return values;
    }

    /** Starts 20 loads, invalidates ten and clears the rest while in flight, then completes them all. */
    private static List<Tracked> removeLoadsInFlightThenComplete(AlruCache<Key, Value> cache) {
        List<Key> keys = new ArrayList<>();
        List<CompletableFuture<Value>> pendings = new ArrayList<>();
        List<CompletableFuture<Value>> callers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Key key = new Key(i);
            CompletableFuture<Value> pending = new CompletableFuture<>();
            keys.add(key);
            pendings.add(pending);
            callers.add(cache.get(key, k -> pending));
        }
        assertThat(cache.parameters().inFlight()).isEqualTo(20);
        for (int i = 0; i < 10; i++) {
            assertThat(cache.invalidate(keys.get(i))).as("invalidate(in-flight key %d)", i).isTrue();
        }
        cache.clear();

        List<Tracked> tracked = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Value value = new Value(i);
            pendings.get(i).complete(value);
            String how = i < 10 ? "invalidated" : "cleared";
            // The callers that were waiting still get the load's value (semantics items 6 and 7)...
            assertThat(callers.get(i).join()).as("caller of %s in-flight key %d", how, i).isSameAs(value);
            // ...but it is not written back.
            assertThat(cache.contains(keys.get(i))).as("contains(%s key %d)", how, i).isFalse();
            tracked.add(new Tracked("value of " + how + " in-flight key " + i, new WeakReference<>(value)));
            tracked.add(new Tracked(how + " in-flight key " + i, new WeakReference<>(keys.get(i))));
        }
        keys.clear();
        pendings.clear();
        callers.clear();
        return tracked;
    }

    /** Starts 100 loads that never finish, joined by a second caller, and cancels both callers. */
    private static List<Tracked> abandonLoads(AlruCache<Key, Value> cache) {
        List<Tracked> tracked = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Key key = new Key(i);
            CompletableFuture<Value> source = new CompletableFuture<>();
            Function<Key, CompletionStage<Value>> loader = k -> source;
            CompletableFuture<Value> first = cache.get(key, loader);
            CompletableFuture<Value> second = cache.get(key, loader);
            assertThat(first).isNotSameAs(second);
            assertThat(first.cancel(false)).isTrue();
            assertThat(source).as("load %d after one of two callers cancelled", i).isNotDone();
            assertThat(second.cancel(false)).isTrue();
            assertThat(source).as("load %d after every caller cancelled", i).isCancelled();
            assertThat(cache.contains(key)).as("contains(abandoned key %d)", i).isFalse();
            tracked.add(new Tracked("abandoned key " + i, new WeakReference<>(key)));
            tracked.add(new Tracked("loader of abandoned key " + i, new WeakReference<>(loader)));
            tracked.add(new Tracked("loader's future of abandoned key " + i, new WeakReference<>(source)));
            tracked.add(new Tracked("first caller's future of abandoned key " + i, new WeakReference<>(first)));
        }
        return tracked;
    }

    // --- helpers ------------------------------------------------------------------------------

    private <K, V> AlruCache<K, V> newCache(long maxSize) {
        return AlruCache.builder().maxSize(maxSize).eviction(eviction).build();
    }

    /** Polls the garbage collector until every tracked object is gone; names the survivors if not. */
    private static void awaitAllCollected(List<Tracked> tracked) {
        await().atMost(GC_WAIT).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            System.gc();
            assertThat(tracked.stream().filter(t -> !t.ref().refersTo(null)).map(Tracked::what).limit(10).toList())
                    .as("objects still reachable (first 10)")
                    .isEmpty();
        });
    }

    /** Uses the cache after the collections, so it was strongly reachable all along. */
    private static <K, V> void assertCacheStillWorks(AlruCache<K, V> cache, K freshKey, V value) {
        assertThat(cache.get(freshKey, k -> CompletableFuture.completedFuture(value)).join()).isSameAs(value);
        assertThat(cache.contains(freshKey)).isTrue();
        Reference.reachabilityFence(cache);
    }

    private static <V> CompletionStage<V> unexpectedLoad(Object key) {
        throw new AssertionError("key " + key + " should have been cached, but was loaded again");
    }

    /** A key with value equality, but a distinct object each time, so that it can be tracked. */
    private record Key(int id) {}

    /** A value with identity equality. */
    private static final class Value {
        private final int id;

        Value(int id) {
            this.id = id;
        }

        @Override
        public String toString() {
            return "Value[" + id + "]";
        }
    }

    private record Tracked(String what, WeakReference<?> ref) {}
}
