package io.github.alru.lincheck;

import io.github.alru.Eviction;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.Test;

/**
 * {@link CacheValuesLincheckTest} on the {@link Eviction#LRU} engine, with {@code maxSize} 2, which
 * three keys overfill, and with {@code clear} among the operations; and three scenarios written
 * out, of evictions after uses, which random scenarios seldom draw.
 *
 * <p>A hit here stamps its use into the entry without the lock, after it has found the entry. Two
 * of the scenarios pin down the races that this once got wrong: a hit racing another hit on the
 * same entry, and a hit racing the eviction of its entry.
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
     * Keys 1 and 2 finished and 3 in flight; then 1 is read and 2 is asked for, which is no use, so
     * 2 is the least recently used. 3 completes, and must evict 2, while the other thread asks for
     * 1 and 2.
     */
    @Test
    public void completionEvictsTheLeastRecentlyUsed() {
        LincheckRuns.writtenOut(CustomScenario.of(getClass())
                        .initial("getLater", 1).initial("completeLater", 1)
                        .initial("getLater", 2).initial("completeLater", 2)
                        .initial("peek", 1).initial("contains", 2)
                        .initial("getLater", 3)
                        .firstThread("completeLater", 3)
                        .secondThread("contains", 2).secondThread("contains", 1)
                        .post("contains", 1).post("contains", 2).post("peek", 3).post("currentSize")
                        .build())
                .sequentialSpecification(ContractModel.ofMaxSize(2))
                .check(getClass());
    }

    /**
     * Keys 1 and 2 finished, 1 the older, and 3 in flight; one thread reads 1 while the other
     * completes 3, which overfills the cache. If the read comes first, 1 is the most recently used
     * and 2 goes; if the completion comes first, 1 goes and the read finds nothing. A hit stamps
     * its use only after it has found the entry: an eviction in between must not take 1 while the
     * read returns its value (it did, until evictions and hits decided by compare-and-set).
     */
    @Test
    public void hitRacingAnEvictionKeepsItsEntry() {
        LincheckRuns.deepRace(CustomScenario.of(getClass())
                        .initial("getLater", 1).initial("completeLater", 1)
                        .initial("getLater", 2).initial("completeLater", 2)
                        .initial("getLater", 3)
                        .firstThread("peek", 1)
                        .secondThread("completeLater", 3)
                        .post("contains", 1).post("contains", 2)
                        .build())
                .sequentialSpecification(ContractModel.ofMaxSize(2))
                .check(getClass());
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
        LincheckRuns.deepRace(CustomScenario.of(getClass())
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
