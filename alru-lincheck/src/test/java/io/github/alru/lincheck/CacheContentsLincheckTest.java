package io.github.alru.lincheck;

import io.github.alru.Eviction;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;

/**
 * Lincheck: which keys a cache holds and which calls run their loader, under concurrent gets
 * (with loaders that complete at once and with loaders that complete later), completions,
 * failures and invalidations, checked for linearizability against {@link ContractModel} in stress
 * and in model-checking mode, on random scenarios and on one written out. Keys 1-2 and
 * {@code maxSize} 3, so calls often collide on a key and nothing is evicted.
 *
 * <p>Checked, for every operation, against one sequential order of all of them:
 * <ul>
 *   <li>{@code get} with a loader that returns a completed future ({@code getReady}) and with one
 *       whose future a later operation completes or fails ({@code getLater}): whether the call ran
 *       its loader (a miss) or not (a hit). So one execution per key while a load is in flight,
 *       two {@code getReady}s of a key racing included (item 1), a hit on a finished entry, and a
 *       new execution after a failure or an invalidation (items 3, 6).</li>
 *   <li>{@code contains}, {@code invalidate} (its boolean included) and {@code info().currentSize()},
 *       in-flight entries included (items 2, 6, 8); on {@link Eviction#LRU}, {@code clear} too (item 7).</li>
 * </ul>
 *
 * <p>Not checked here, and why:
 * <ul>
 *   <li>{@code getIfPresent}, and so the stored values: a {@code get} whose loader completes at once
 *       still has its entry in flight until the loader has returned, inside that one call. A joiner
 *       can see that and then find no finished entry, which the model, where that {@code get} is
 *       one step, cannot explain. {@link CacheValuesLincheckTest} checks values with loads that a
 *       separate operation completes.</li>
 *   <li>{@code getLater}, {@code completeLater} and {@code failLater} never run in parallel with one
 *       another (see {@link CacheDriver}); each of them races every other operation.</li>
 *   <li>{@code clear} on {@link Eviction#TINY_LFU}: see {@link TinyLfuCacheContentsLincheckTest}.</li>
 *   <li>{@code info()}'s hits and misses: counters read apart from the entries, without a snapshot,
 *       so they are not linearizable with the other operations by design; a {@code get}'s own
 *       miss-or-hit is checked instead.</li>
 *   <li>What each caller's future completes with: a joined load completes on the thread that
 *       completes its loader's future, so the state of a future when its {@code get} returns is no
 *       result of that call. Item 1's "same outcome for every caller" is in the core module's
 *       conformance tests.</li>
 *   <li>{@code parameters().inFlight()}: a loader that completes at once is in flight during its
 *       {@code get}, which the model treats as one step.</li>
 * </ul>
 */
@Param(name = "key", gen = IntGen.class, conf = "1:2")
public abstract class CacheContentsLincheckTest {

    private static final long MAX_SIZE = 3;

    final CacheDriver cache;

    CacheContentsLincheckTest(Eviction eviction) {
        cache = new CacheDriver(eviction, MAX_SIZE);
    }

    @Operation
    public String getReady(@Param(name = "key") int key) {
        return cache.getReady(key);
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
        LincheckRuns.stress().sequentialSpecification(ContractModel.ofMaxSize(MAX_SIZE)).check(getClass());
    }

    @Test
    public void modelChecking() {
        LincheckRuns.modelChecking().sequentialSpecification(ContractModel.ofMaxSize(MAX_SIZE)).check(getClass());
    }

    /**
     * Two loads in flight; one thread completes the first and fails the second, while the other
     * gets both keys with loaders that complete at once. A get before the outcome joins the load
     * (a hit); a get after it hits the stored value of the first, and starts a load of its own for
     * the second, whose failure left nothing.
     */
    @Test
    public void getsRacingCompletionAndFailure() {
        LincheckRuns.writtenOut(CustomScenario.of(getClass())
                        .initial("getLater", 1).initial("getLater", 2)
                        .firstThread("completeLater", 1).firstThread("failLater", 2)
                        .secondThread("getReady", 1).secondThread("getReady", 2)
                        .post("contains", 1).post("contains", 2).post("currentSize")
                        .build())
                .sequentialSpecification(ContractModel.ofMaxSize(MAX_SIZE))
                .check(getClass());
    }
}
