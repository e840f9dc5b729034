package io.github.alru.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The stampede: 64 threads call one cold key of each Spring variant at once, and the method takes
 * 50 ms; prints how many times each variant ran the method. alru must run it exactly once.
 */
public final class Stampede {

    private static final int CALLERS = 64;

    private Stampede() {
    }

    /**
     * Runs every caching variant and prints a table.
     *
     * @param args ignored
     * @throws Exception if a call fails
     */
    public static void main(String[] args) throws Exception {
        PepService.workMillis = 50;
        System.out.printf("%-22s %s%n", "variant", "executions for " + CALLERS + " concurrent cold calls");
        for (String variant : List.of("springCacheable", "springCacheableSync", "springCacheableAsync",
                "springCacheableSyncAsync", "alruLru", "alruTinyLfu",
                "alruLruAsync", "alruTinyLfuAsync")) {
            System.out.printf("%-22s %d%n", variant, executions(variant));
        }
        System.exit(0);
    }

    static int executions(String variant) throws Exception {
        Variants.Built built = Variants.build(variant);
        ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
        try {
            PepService service = built.service();
            CountDownLatch start = new CountDownLatch(1);
            long before = PepService.EXECUTIONS.sum();
            List<CompletableFuture<String>> calls = new ArrayList<>();
            for (int i = 0; i < CALLERS; i++) {
                calls.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return service.fetch(290).join();
                }, callers));
            }
            start.countDown();
            for (CompletableFuture<String> call : calls) {
                call.get(30, TimeUnit.SECONDS);
            }
            return (int) (PepService.EXECUTIONS.sum() - before);
        } finally {
            callers.shutdownNow();
            built.close();
        }
    }
}
