package io.github.alru;

import static java.util.concurrent.CompletableFuture.completedFuture;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** {@link Eviction#LRU} evicts exactly as {@code functools.lru_cache} does. */
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

    @Test
    void usesOnDifferentThreadsCountInTheOrderTheyHappened() throws Exception {
        load(1);
        load(2);
        load(3);
        for (int key : new int[] {2, 1, 3, 2}) { // 1 is now the least recently used
            Thread user = new Thread(() -> load(key));
            user.start();
            user.join();
        }

        load(4);

        assertThat(cachedAmong(4)).containsExactly(2, 3, 4);
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
