package io.github.alru;

import static java.util.concurrent.CompletableFuture.completedFuture;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** {@link Eviction#TINY_LFU} gets Caffeine's W-TinyLFU: frequency protects entries that recency alone would evict. */
class TinyLfuPolicyTest {

    @Test
    void frequentlyUsedEntriesSurviveAScanOfOneTimeKeysThatLruWouldNot() {
        assertThat(hotKeysLeftAfterScan(Eviction.TINY_LFU)).isEqualTo(10);
        assertThat(hotKeysLeftAfterScan(Eviction.LRU)).isZero();
    }

    private static long hotKeysLeftAfterScan(Eviction eviction) {
        AlruCache<Integer, Integer> cache = AlruCache.builder().maxSize(50).eviction(eviction).build();
        // Caffeine starts counting frequencies once the cache is half full: fill it first.
        for (int key = 0; key < 50; key++) {
            cache.get(key, k -> completedFuture(k));
        }
        for (int round = 0; round < 20; round++) {
            for (int hot = 0; hot < 10; hot++) {
                cache.get(hot, k -> completedFuture(k));
            }
        }
        for (int cold = 1_000; cold < 3_000; cold++) {
            cache.get(cold, k -> completedFuture(k));
        }
        assertThat(cache.info().currentSize()).isEqualTo(50);
        return IntStream.range(0, 10).filter(cache::contains).count();
    }
}
