package io.github.alru;

import static java.util.concurrent.CompletableFuture.completedFuture;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * {@link Eviction#LRU} evicts as {@code functools.lru_cache} does, with "recently" as semantics item
 * 2 defines it under concurrency: exact for one thread, and for uses a write separates.
 */
class LruOrderTest {

    private final AlruCache<Integer, Integer> cache = AlruCache.builder().maxSize(3).eviction(Eviction.LRU).build();

    private void load(int key) {
        cache.get(key, k -> completedFuture(k));
    }

    private Set<Integer> cachedAmong(int upTo) {
        return IntStream.rangeClosed(0, upTo).filter(cache::contains).boxed().collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void insertingIntoAFullCacheEvictsTheLeastRecentlyUsedEntry() {
        load(1);
        load(2);
        load(3);
        load(1); // a hit uses 1: now 2 is the least recently used

        load(4);

        assertThat(cachedAmong(4)).containsExactly(1, 3, 4);
    }

    @Test
    void containsDoesNotCountAsUse() {
        load(1);
        load(2);
        load(3);
        cache.contains(1);

        load(4);

        assertThat(cachedAmong(4)).containsExactly(2, 3, 4);
    }

    @Test
    void aLoadJoinsTheUseOrderWhenItFinishesAndEvictsThenNotWhenItStarts() {
        ManualLoader<Integer, Integer> slow = new ManualLoader<>();
        cache.get(9, slow);
        load(1);
        load(2);
        load(3);
        assertThat(cachedAmong(9)).containsExactly(1, 2, 3, 9);
        load(1);

        slow.complete(9, 9);

        assertThat(cachedAmong(9)).containsExactly(1, 3, 9);
    }

    @RepeatedTest(20)
    void usesOnDifferentThreadsThatAWriteSeparatesCountInTheOrderTheyHappened() throws Exception {
        load(1);
        load(2);
        load(3);
        for (int key : new int[] {2, 1, 3, 2}) { // 1 is now the least recently used
            Thread user = new Thread(() -> load(key));
            user.start();
            user.join();
            cache.invalidate(-1); // a write of the cache between each use and the next
        }

        load(4);

        assertThat(cachedAmong(4)).containsExactly(2, 3, 4);
    }

    @RepeatedTest(20)
    void oneThreadsUsesCountInTheOrderItMadeThemWhateverOtherThreadsDo() throws Exception {
        AlruCache<Integer, Integer> wide = AlruCache.builder().maxSize(8).eviction(Eviction.LRU).build();
        for (int key = 0; key < 8; key++) {
            wide.get(key, k -> completedFuture(k));
        }
        // Another thread's hits on 0..3, with no write between them and ours: they may count
        // before or after ours, but ours keep their own order.
        Thread other = new Thread(() -> {
            for (int round = 0; round < 100; round++) {
                for (int key = 0; key < 4; key++) {
                    wide.get(key, k -> completedFuture(k));
                }
            }
        });
        other.start();
        for (int key = 7; key >= 4; key--) { // ours: 7, 6, 5, 4 in that order, so 7 is our least recent
            wide.get(key, k -> completedFuture(k));
        }
        other.join();

        for (int fresh = 100; fresh < 104; fresh++) { // four insertions evict four of the eight
            wide.get(fresh, k -> completedFuture(k));
            Set<Integer> ours = IntStream.rangeClosed(4, 7).filter(wide::contains).boxed().collect(Collectors.toSet());
            // whatever went first, 7 goes before 6, 6 before 5, 5 before 4
            assertThat(ours).as("after inserting %d", fresh).isIn(Set.of(4, 5, 6, 7), Set.of(4, 5, 6), Set.of(4, 5), Set.of(4), Set.of());
        }
    }

    @RepeatedTest(10)
    void noUseIsLostWhenSixteenThreadsHitAtOnceAndOverflowTheirBuffers() throws Exception {
        int threads = 16;
        int perThread = 4;
        int hot = threads * perThread; // keys 0..63, loaded first: the least recently used
        AlruCache<Integer, Integer> wide = AlruCache.builder().maxSize(2 * hot).eviction(Eviction.LRU).build();
        for (int key = 0; key < 2 * hot; key++) { // then the cold keys, 64..127
            wide.get(key, k -> completedFuture(k));
        }
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> users = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t * perThread;
            Thread user = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                for (int spin = 0; spin < 500; spin++) { // far more uses than a stripe holds
                    wide.get(first, k -> completedFuture(k));
                }
                for (int key = first + 1; key < first + perThread; key++) { // and one use each of the others
                    wide.get(key, k -> completedFuture(k));
                }
            });
            users.add(user);
            user.start();
        }
        start.countDown();
        for (Thread user : users) {
            user.join();
        }

        for (int fresh = 1_000; fresh < 1_000 + hot; fresh++) { // evicts the 64 least recently used
            wide.get(fresh, k -> completedFuture(k));
        }

        Set<Integer> hotKept = IntStream.range(0, hot).filter(wide::contains).boxed().collect(Collectors.toSet());
        Set<Integer> coldKept = IntStream.range(hot, 2 * hot).filter(wide::contains).boxed().collect(Collectors.toSet());
        assertThat(coldKept).as("the cold keys, never used since they were loaded, went first").isEmpty();
        assertThat(hotKept).as("every key used once since was kept: no use was lost").hasSize(hot);
    }

    @RepeatedTest(5)
    void randomCallsAndInvalidationsKeepExactlyTheEntriesFunctoolsWouldKeep() {
        int maxSize = 8;
        AlruCache<Integer, Integer> lru = AlruCache.builder().maxSize(maxSize).eviction(Eviction.LRU).build();
        Map<Integer, Integer> model = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, Integer> eldest) {
                return size() > maxSize;
            }
        };
        Random random = new Random();
        long seed = random.nextLong();
        random.setSeed(seed);
        for (int step = 0; step < 10_000; step++) {
            int key = random.nextInt(24);
            if (random.nextInt(10) == 0) {
                assertThat(lru.invalidate(key)).as("seed %d step %d", seed, step).isEqualTo(model.remove(key) != null);
            } else {
                lru.get(key, k -> completedFuture(k));
                model.get(key);
                model.putIfAbsent(key, key);
            }
            if (step % 50 == 0) {
                Set<Integer> cached = IntStream.range(0, 24).filter(lru::contains).boxed().collect(Collectors.toSet());
                assertThat(cached).as("seed %d step %d", seed, step).isEqualTo(model.keySet());
            }
        }
        assertThat(lru.info().currentSize()).isEqualTo(model.size());
    }
}
