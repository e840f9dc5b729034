package io.github.alru;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** A loader whose futures the test completes by hand, counting executions per key. */
final class ManualLoader<K, V> implements Function<K, CompletionStage<V>> {

    private final AtomicInteger executions = new AtomicInteger();
    private final Map<K, List<CompletableFuture<V>>> futures = new ConcurrentHashMap<>();

    @Override
    public CompletionStage<V> apply(K key) {
        executions.incrementAndGet();
        CompletableFuture<V> future = new CompletableFuture<>();
        futures.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(future);
        return future;
    }

    int executions() {
        return executions.get();
    }

    int executions(K key) {
        return futures.getOrDefault(key, List.of()).size();
    }

    /** The future of the latest execution for {@code key}. */
    CompletableFuture<V> latest(K key) {
        List<CompletableFuture<V>> list = futures.get(key);
        if (list == null || list.isEmpty()) {
            throw new AssertionError("the loader never ran for " + key);
        }
        return list.get(list.size() - 1);
    }

    void complete(K key, V value) {
        latest(key).complete(value);
    }
}
