package io.github.alru.lincheck;

import io.github.alru.Eviction;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.Test;

/**
 * {@link CacheValuesLincheckTest} on the {@link Eviction#LRU} engine, with {@code maxSize} 2, which
 * three keys overfill, and with {@code clear} among the operations; and one scenario written out,
 * for two hits racing on one entry, which random scenarios seldom draw.
 */
public class LruCacheValuesLincheckTest extends CacheValuesLincheckTest {

    /** A new LRU cache for each Lincheck invocation. */
    public LruCacheValuesLincheckTest() {
        super(Eviction.LRU, 2);
    }

    @Operation
    public void clear() {
        cache.clear();
    }

    /**
     * Keys 1 and 2 finished, 1 the older, and 3 in flight; one thread reads 1 while the other reads
     * 2 and then 1; then 3 completes. Whatever the order of the parallel reads, 1 was used after 2,
     * so the completion must evict 2. A hit takes the next stamp of the cache's clock and then
     * writes it into the entry, unlocked: a hit paused between the two must not write its older
     * stamp over a newer one (it did, and 1 went instead, until hits only raised the stamp).
     */
    @Test
    public void hitsRacingOnOneEntryKeepItsLatestUse() {
        LincheckRuns.writtenOut(CustomScenario.of(getClass())
                        .initial("getLater", 1).initial("completeLater", 1)
                        .initial("getLater", 2).initial("completeLater", 2)
                        .initial("getLater", 3)
                        .firstThread("peek", 1)
                        .secondThread("peek", 2).secondThread("peek", 1)
                        .post("completeLater", 3).post("contains", 1).post("contains", 2)
                        .build())
                .sequentialSpecification(ContractModel.ofMaxSize(2))
                .check(getClass());
    }
}
