package io.github.alru.lincheck;

import io.github.alru.Eviction;
import org.jetbrains.lincheck.datastructures.BooleanGen;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;

/**
 * Lincheck: closing a cache while loads start, complete and are read, checked for
 * linearizability against {@link ContractModel} in stress and in model-checking mode. Keys 1-3
 * and {@code maxSize} 3, so nothing is evicted.
 *
 * <p>Checked, for every operation, against one sequential order of all of them (item 10):
 * <ul>
 *   <li>{@code close(false)} cancels every load in flight and drops their entries, and keeps the
 *       finished ones; {@code close(true)} lets loads in flight finish later and keep their values.</li>
 *   <li>After either, {@code get} reports the cache closed and runs no loader, {@code getIfPresent}
 *       finds nothing, and {@code parameters().closed()} stays true, whatever is closed again.</li>
 *   <li>{@code contains} and {@code info().currentSize()} see what closing kept; {@code getIfPresent}
 *       the values of loads completed before the close, or after a {@code close(true)}.</li>
 * </ul>
 *
 * <p>Not checked here, and why:
 * <ul>
 *   <li>Loaders that complete at once: a {@code close(false)} during such a {@code get} cancels its
 *       load, in flight for part of that one call, which the model treats as one step.</li>
 *   <li>The future {@code close} returns: it completes when the last load in flight has finished,
 *       which may be after {@code close} returns, on the thread that finishes that load.</li>
 *   <li>{@code parameters().inFlight()}, {@code info()}'s hits and misses, and what each caller's
 *       future completes with: see {@link CacheContentsLincheckTest}.</li>
 * </ul>
 */
@Param(name = "key", gen = IntGen.class, conf = "1:3")
@Param(name = "wait", gen = BooleanGen.class)
public abstract class CacheCloseLincheckTest {

    private static final long MAX_SIZE = 3;

    private final CacheDriver cache;

    CacheCloseLincheckTest(Eviction eviction) {
        cache = new CacheDriver(eviction, MAX_SIZE);
    }

    @Operation(nonParallelGroup = CacheDriver.LATER_LOADS)
    public String getLater(@Param(name = "key") int key) {
        return cache.getLater(key);
    }

    @Operation(nonParallelGroup = CacheDriver.LATER_LOADS)
    public void completeLater(@Param(name = "key") int key) {
        cache.completeLater(key);
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
    public long currentSize() {
        return cache.currentSize();
    }

    @Operation(nonParallelGroup = CacheDriver.LATER_LOADS)
    public void close(@Param(name = "wait") boolean wait) {
        cache.close(wait);
    }

    @Operation
    public boolean closed() {
        return cache.closed();
    }

    @Test
    public void stress() {
        LincheckRuns.stress().sequentialSpecification(ContractModel.ofMaxSize(MAX_SIZE)).check(getClass());
    }

    @Test
    public void modelChecking() {
        LincheckRuns.modelChecking().sequentialSpecification(ContractModel.ofMaxSize(MAX_SIZE)).check(getClass());
    }
}
