package io.github.alru.lincheck;

import io.github.alru.Eviction;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;

/**
 * Lincheck: what finished loads store, and which finished entries the size bound keeps, under
 * concurrent gets, completions, failures, reads and invalidations, checked for linearizability
 * against {@link ContractModel} in stress and in model-checking mode, on random scenarios and on
 * scenarios written out, which pin down what random ones seldom draw. Keys 1-3. Every load here is
 * completed or failed by an operation of its own, so each change of an entry (inserted in flight,
 * finished, removed) is one step of one operation, as in the model.
 *
 * <p>Checked, for every operation, against one sequential order of all of them:
 * <ul>
 *   <li>{@code get} with a loader whose future a later operation completes or fails: whether the call
 *       ran its loader (a miss) or not (a hit) (items 1, 3, 6).</li>
 *   <li>{@code getIfPresent} ({@code peek}): the value of the
 *       key's finished entry, or none while it is absent or in flight. So a completed load stores
 *       its value, a failed one leaves nothing, and a load invalidated (on {@link Eviction#LRU} also
 *       cleared) while in flight never writes back (items 3, 6, 7).</li>
 *   <li>With {@code maxSize} 2 ({@link LruCacheValuesLincheckTest}): which finished entry a completion
 *       evicts, the least recently used, where a hit, a {@code getIfPresent} and a completion are
 *       uses and {@code contains} is not, and that an entry in flight is never evicted (items 2, 8).</li>
 *   <li>{@code contains}, {@code invalidate} (its boolean included) and {@code info().currentSize()}:
 *       at most {@code maxSize} finished entries plus those in flight (item 2).</li>
 * </ul>
 *
 * <p>Not checked here, and why:
 * <ul>
 *   <li>Loaders that complete at once: their entry is in flight for part of their own {@code get}
 *       call, which the model treats as one step; {@link CacheContentsLincheckTest} checks them with
 *       the operations that cannot tell an entry in flight from a finished one.</li>
 *   <li>{@link Eviction#TINY_LFU}'s victims: Caffeine's W-TinyLFU picks them and the contract does
 *       not say which, so {@link TinyLfuCacheValuesLincheckTest} runs with {@code maxSize} 3, where
 *       keys 1-3 never fill the cache.</li>
 *   <li>{@code getLater}, {@code completeLater} and {@code failLater} never run in parallel with one
 *       another (see {@link CacheDriver}); each of them races every other operation.</li>
 *   <li>{@code clear} on {@link Eviction#TINY_LFU}, {@code info()}'s hits and misses, and what each
 *       caller's future completes with: see {@link CacheContentsLincheckTest}.</li>
 * </ul>
 */
@Param(name = "key", gen = IntGen.class, conf = "1:3")
public abstract class CacheValuesLincheckTest {

    private final long maxSize;
    final CacheDriver cache;

    CacheValuesLincheckTest(Eviction eviction, long maxSize) {
        this.maxSize = maxSize;
        cache = new CacheDriver(eviction, maxSize);
    }

    @Operation(nonParallelGroup = CacheDriver.LATER_LOADS)
    public String getLater(@Param(name = "key") int key) {
        return cache.getLater(key);
    }

    @Operation(nonParallelGroup = CacheDriver.LATER_LOADS)
    public void completeLater(@Param(name = "key") int key) {
        cache.completeLater(key);
    }

    @Operation(nonParallelGroup = CacheDriver.LATER_LOADS)
    public void failLater(@Param(name = "key") int key) {
        cache.failLater(key);
    }

    @Operation
    public String peek(@Param(name = "key") int key) {
        return cache.peek(key);
    }

    @Operation
    public boolean contains(@Param(name = "key") int key) {
        return cache.contains(key);
    }

    @Operation
    public boolean invalidate(@Param(name = "key") int key) {
        return cache.invalidate(key);
    }

    @Operation
    public long currentSize() {
        return cache.currentSize();
    }

    @Test
    public void stress() {
        LincheckRuns.stress().sequentialSpecification(ContractModel.ofMaxSize(maxSize)).check(getClass());
    }

    @Test
    public void modelChecking() {
        LincheckRuns.modelChecking().sequentialSpecification(ContractModel.ofMaxSize(maxSize)).check(getClass());
    }

    /**
     * Two loads in flight; one thread fails the first and completes the second, while the other
     * invalidates the second and reads the first. A failed load leaves no entry, and the second
     * load's value is stored only if the invalidation came after its completion; then both keys
     * load again.
     */
    @Test
    public void failuresAndInvalidationsRacingCompletions() {
        LincheckRuns.writtenOut(CustomScenario.of(getClass())
                        .initial("getLater", 1).initial("getLater", 2)
                        .firstThread("failLater", 1).firstThread("completeLater", 2)
                        .secondThread("invalidate", 2).secondThread("peek", 1)
                        .post("peek", 2).post("contains", 1).post("getLater", 1).post("getLater", 2)
                        .build())
                .sequentialSpecification(ContractModel.ofMaxSize(maxSize))
                .check(getClass());
    }
}
