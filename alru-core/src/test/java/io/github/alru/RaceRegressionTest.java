package io.github.alru;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Interleavings found in review, each pinned so that it cannot come back. */
class RaceRegressionTest {

    private static <K, V> AlruCache<K, V> cache(Eviction eviction) {
        return AlruCache.builder().maxSize(1_000).eviction(eviction).build();
    }

    /**
     * A joiner that cancels while the starting call is still publishing the load must not leave the
     * starter without a future (items 1, 9). One thread starts loads of fresh keys while another
     * joins and cancels each as soon as it is visible.
     */
    @ParameterizedTest
    @EnumSource(Eviction.class)
    void getNeverReturnsNullWhenAJoinerCancelsTheLoadAsItIsPublished(Eviction eviction) throws Exception {
        AlruCache<Long, String> cache = cache(eviction);
        AtomicLong newest = new AtomicLong(-1);
        AtomicBoolean stop = new AtomicBoolean();
        Thread canceller = new Thread(() -> {
            while (!stop.get()) {
                long key = newest.get() + 1;
                if (cache.contains(key)) {
                    cache.get(key, k -> new CompletableFuture<>()).cancel(false);
                }
            }
        });
        canceller.start();
        int nulls = 0;
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(700);
            for (long key = 0; System.nanoTime() < deadline; key++) {
                newest.set(key - 1);
                CompletableFuture<String> future = cache.get(key, k -> new CompletableFuture<>());
                if (future == null) {
                    nulls++;
                } else {
                    future.cancel(false);
                }
                if (key % 1_000 == 0) {
                    cache.clear();
                }
            }
        } finally {
            stop.set(true);
            canceller.join();
        }
        assertThat(nulls).as("get() returned null").isZero();
        assertThat(cache.parameters().inFlight()).isZero();
    }

    /**
     * A key whose {@code equals} throws while its entry goes in (a user's bug) makes that {@code get}
     * throw, and leaves the cache working: the load claimed a place before inserting, and gives it
     * back, so {@code close(false)} still completes instead of waiting for it for ever (item 10).
     */
    @ParameterizedTest
    @EnumSource(Eviction.class)
    void aKeyWhoseEqualsThrowsOnInsertionLeavesCloseWorking(Eviction eviction) {
        AlruCache<Object, String> cache = cache(eviction);
        cache.get(new CollidingKey(Integer.MAX_VALUE), k -> new CompletableFuture<>());
        CollidingKey faulty = new CollidingKey(1); // its first comparison (the lookup) passes, the next throw

        assertThatThrownBy(() -> cache.get(faulty, k -> CompletableFuture.completedFuture("never")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("equals of key 1");
        assertThat(cache.parameters().inFlight()).isEqualTo(1);
        assertThat(cache.get(new CollidingKey(2), k -> CompletableFuture.completedFuture("two"))).isCompletedWithValue("two");

        CompletableFuture<Void> closed = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> cache.close(false));
        assertThat(closed).succeedsWithin(Duration.ofSeconds(5));
        assertThat(cache.parameters().inFlight()).isZero();
    }

    /** Keys that all share one hash; key 1's {@code equals} throws from its second call on. */
    private static final class CollidingKey {
        private final int id;
        private final AtomicInteger comparisons = new AtomicInteger();

        CollidingKey(int id) {
            this.id = id;
        }

        @Override
        public int hashCode() {
            return 42;
        }

        @Override
        public boolean equals(Object other) {
            if (id == 1 && comparisons.incrementAndGet() > 1) {
                throw new IllegalStateException("equals of key 1 broke");
            }
            return other instanceof CollidingKey that && that.id == id;
        }
    }

    /** A loader stage whose cancel() throws (the JDK's minimal stage) breaks neither cancel nor close (items 9, 10). */
    @ParameterizedTest
    @EnumSource(Eviction.class)
    void stageThatRefusesCancellationBreaksNeitherCallerCancelNorClose(Eviction eviction) {
        AlruCache<String, String> cache = cache(eviction);
        CompletableFuture<String> source = new CompletableFuture<>();
        CompletableFuture<String> first = cache.get("a", k -> source.minimalCompletionStage());
        CompletableFuture<String> second = cache.get("a", k -> source.minimalCompletionStage());
        CompletableFuture<String> other = cache.get("b", k -> new CompletableFuture<String>().minimalCompletionStage());

        assertThatCode(() -> {
            first.cancel(false);
            second.cancel(false);
        }).doesNotThrowAnyException();
        assertThat(cache.contains("a")).as("abandoned entry removed").isFalse();

        CompletableFuture<Void> closed = cache.close(false);
        assertThat(closed).isNotNull();
        assertThat(other).isCompletedExceptionally();
        assertThat(other.handle((value, error) -> error).join()).isInstanceOf(CancellationException.class);
    }

    /** close()'s future completes after the last load's callers have been told (items 10, 23). */
    @ParameterizedTest
    @EnumSource(Eviction.class)
    void closeFutureCompletesOnlyAfterTheCallersOfTheLastLoadAreTold(Eviction eviction) {
        AlruCache<String, String> cache = cache(eviction);
        CompletableFuture<String> source = new CompletableFuture<>();
        CompletableFuture<String> caller = cache.get("k", k -> source);
        CompletableFuture<Void> closed = cache.close(true);
        AtomicReference<Boolean> closedWhenCallerWasTold = new AtomicReference<>();
        caller.whenComplete((value, error) -> closedWhenCallerWasTold.set(closed.isDone()));

        source.complete("v");

        assertThat(closedWhenCallerWasTold.get()).isFalse();
        assertThat(closed).isCompleted();
    }

    /**
     * A cancel after the load's value is stored, but before its callers are told, changes nothing
     * (item 9): the finished entry stays. TINY_LFU only, because the pause is made inside
     * Caffeine's completion handler, where the key is hashed after the value is in place.
     */
    @Test
    void cancelAfterTheValueIsStoredButBeforeDeliveryKeepsTheEntry() throws Exception {
        AlruCache<ParkingKey, String> cache = cache(Eviction.TINY_LFU);
        ParkingKey key = new ParkingKey(7);
        AtomicInteger runs = new AtomicInteger();
        CompletableFuture<String> source = new CompletableFuture<>();
        CompletableFuture<String> only = cache.get(key, k -> {
            runs.incrementAndGet();
            return source;
        });
        Thread completer = new Thread(() -> source.complete("v"));
        key.parkWhenStored(completer, cache);
        completer.start();
        assertThat(key.parked.await(5, TimeUnit.SECONDS)).as("completer paused with the value stored").isTrue();

        assertThat(cache.get(key, k -> new CompletableFuture<>())).as("served from the stored value").isCompletedWithValue("v");
        only.cancel(false);
        key.resume.countDown();
        completer.join(Duration.ofSeconds(5).toMillis());

        assertThat(cache.contains(key)).isTrue();
        assertThat(cache.get(key, k -> {
            runs.incrementAndGet();
            return CompletableFuture.completedFuture("again");
        })).isCompletedWithValue("v");
        assertThat(runs).hasValue(1);
    }

    /** A key that parks one chosen thread in hashCode() once its entry is in the cache. */
    static final class ParkingKey {
        private final int id;
        final CountDownLatch parked = new CountDownLatch(1);
        final CountDownLatch resume = new CountDownLatch(1);
        private volatile Thread parkThread;
        private volatile AlruCache<ParkingKey, String> cache;
        private final ThreadLocal<Boolean> inside = ThreadLocal.withInitial(() -> false);

        ParkingKey(int id) {
            this.id = id;
        }

        void parkWhenStored(Thread thread, AlruCache<ParkingKey, String> target) {
            cache = target;
            parkThread = thread;
        }

        @Override
        public int hashCode() {
            if (Thread.currentThread() == parkThread && parked.getCount() > 0 && !inside.get()) {
                inside.set(true);
                try {
                    if (cache.contains(this)) {
                        parked.countDown();
                        resume.await(5, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    inside.set(false);
                }
            }
            return id;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof ParkingKey that && that.id == id;
        }
    }
}
