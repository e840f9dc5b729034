package io.github.alru.lincheck;

import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

import io.github.alru.AlruCache;
import io.github.alru.AlruCacheClosedException;
import io.github.alru.Eviction;
import io.github.alru.ModelCheckedEngines;

/**
 * Runs the {@link CacheOperations} on a real {@link AlruCache}, through its public API only, and
 * turns what each call did into a value Lincheck can compare with the {@link ContractModel}.
 *
 * <p>A {@code get} reports whether its own loader ran (a miss) or not (a hit), or that the cache
 * was closed. It does not report whether its future had completed by the time it returned: a load
 * in flight completes on whichever thread completes its loader's future, so that state is no
 * result of the call itself.
 *
 * <p>The future a {@link #getLater} loader makes is handed to {@link #completeLater} and
 * {@link #failLater} once that {@code get} has returned, when the cache has subscribed to it:
 * completing it then runs the cache's completion on the completing thread, within that operation.
 * Those three operations must not run in parallel with one another (Lincheck's
 * {@link #LATER_LOADS} group): a load's entry is visible from the moment its {@code get} inserts
 * it, before its loader has even made the future, so a completion running alongside that
 * {@code get} could not complete a load the model says has started.
 */
final class CacheDriver implements CacheOperations {

    /**
     * The {@code nonParallelGroup} of {@link #getLater}, {@link #completeLater} and {@link #failLater},
     * and of the operations a test keeps from racing them.
     */
    static final String LATER_LOADS = "laterLoads";

    private final AlruCache<Integer, String> cache;
    private final ConcurrentHashMap<Integer, Queue<CompletableFuture<String>>> laterFutures = new ConcurrentHashMap<>();

    CacheDriver(Eviction eviction, long maxSize) {
        cache = ModelCheckedEngines.builder(eviction).name("lincheck").maxSize(maxSize).build();
    }

    @Override
    public String getReady(int key) {
        RecordingLoader loader = new RecordingLoader(CompletableFuture.completedFuture(CacheOperations.readyValue(key)));
        return outcome(cache.get(key, loader), loader.ran);
    }

    @Override
    public String getLater(int key) {
        CompletableFuture<String> later = new CompletableFuture<>();
        RecordingLoader loader = new RecordingLoader(later);
        CompletableFuture<String> caller = cache.get(key, loader);
        if (loader.ran) {
            laterFutures.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>()).add(later);
        }
        return outcome(caller, loader.ran);
    }

    @Override
    public void completeLater(int key) {
        Queue<CompletableFuture<String>> futures = laterFutures.get(key);
        for (CompletableFuture<String> future; futures != null && (future = futures.poll()) != null;) {
            future.complete(CacheOperations.laterValue(key));
        }
    }

    @Override
    public void failLater(int key) {
        Queue<CompletableFuture<String>> futures = laterFutures.get(key);
        for (CompletableFuture<String> future; futures != null && (future = futures.poll()) != null;) {
            future.completeExceptionally(new IllegalStateException("the loader of " + key + " failed"));
        }
    }

    @Override
    public String peek(int key) {
        CompletableFuture<String> hit = cache.getIfPresent(key);
        return hit == null ? NONE : hit.getNow(null);
    }

    @Override
    public boolean contains(int key) {
        return cache.contains(key);
    }

    @Override
    public boolean invalidate(int key) {
        return cache.invalidate(key);
    }

    @Override
    public void clear() {
        cache.clear();
    }

    @Override
    public long currentSize() {
        return cache.info().currentSize();
    }

    @Override
    public void close(boolean wait) {
        cache.close(wait);
    }

    @Override
    public boolean closed() {
        return cache.parameters().closed();
    }

    private static String outcome(CompletableFuture<String> caller, boolean loaderRan) {
        Throwable failure = caller.handle((value, error) -> error).getNow(null);
        if (failure instanceof AlruCacheClosedException) {
            return CLOSED;
        }
        return loaderRan ? MISS : HIT;
    }

    /** A loader that returns a given future and remembers whether the cache called it. */
    private static final class RecordingLoader implements Function<Integer, CompletionStage<String>> {
        private final CompletableFuture<String> future;
        private boolean ran;

        RecordingLoader(CompletableFuture<String> future) {
            this.future = future;
        }

        @Override
        public CompletionStage<String> apply(Integer key) {
            ran = true;
            return future;
        }
    }
}
