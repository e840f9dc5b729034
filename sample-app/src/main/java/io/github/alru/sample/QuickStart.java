package io.github.alru.sample;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import io.github.alru.AlruCacheRegistry;
import io.github.alru.AlruMethodCache;
import org.springframework.stereotype.Component;

/**
 * The story of async-lru's quick start, told with alru: a round of misses, a round of hits, the
 * statistics, {@code contains}, the ttl running out, and closing the cache.
 */
@Component
public class QuickStart {

    /** The cache of {@link PepClient#fetch(int)}, by its default name {@code <beanName>.<methodName>}. */
    static final String CACHE = "pepClient.fetch";

    private final PepClient peps;
    private final AlruCacheRegistry caches;
    private final PepArchive upstream;

    QuickStart(PepClient peps, AlruCacheRegistry caches, PepArchive upstream) {
        this.peps = peps;
        this.caches = caches;
        this.upstream = upstream;
    }

    /**
     * Tells the story.
     *
     * @param out where to print it
     * @throws InterruptedException if interrupted while waiting for the ttl
     */
    public void tell(PrintStream out) throws InterruptedException {
        AlruMethodCache cache = caches.get(CACHE);

        out.println();
        out.println("--- First round: nothing is cached yet, so every fetch goes to the slow upstream (misses) ---");
        fetchAll(List.of(8, 290, 308, 320), cache, out);

        out.println();
        out.println("--- Second round: PEPs 8 and 320 come from the cache (hits); 218 is new (a miss) ---");
        fetchAll(List.of(8, 218, 320), cache, out);

        out.println();
        out.println("--- Cache info ---");
        out.println(cache.info());

        out.println();
        out.println("--- Checking contains ---");
        out.println("Cache contains PEP 8: " + cache.contains(8));
        out.println("Cache contains PEP 9991: " + cache.contains(9991));

        Duration ttl = cache.settings().ttl();
        Duration jitter = cache.settings().jitter() == null ? Duration.ZERO : cache.settings().jitter();
        out.println();
        out.println("--- Waiting for the ttl to run out (" + words(ttl) + ", plus up to " + words(jitter) + " of jitter) ---");
        long deadline = System.nanoTime() + ttl.plus(jitter).plusSeconds(2).toNanos();
        while (cache.contains(8) && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
        out.println("PEP 8 has expired: " + !cache.contains(8));

        out.println();
        out.println("--- After the ttl: PEP 8 is fetched again (a miss) ---");
        fetchAll(List.of(8), cache, out);
        out.println(cache.info());

        out.println();
        out.println("--- Closing the cache: further calls fail, nothing runs ---");
        cache.close(true).join();
        out.println("Closed: " + cache.parameters().closed());
        int requestsBefore = upstream.requests();
        fetchAll(List.of(8), cache, out);
        out.println("Upstream requests before and after that call: " + requestsBefore + ", " + upstream.requests());
    }

    private void fetchAll(List<Integer> numbers, AlruMethodCache cache, PrintStream out) {
        for (int number : numbers) {
            long missesBefore = cache.info().misses();
            long started = System.nanoTime();
            String outcome;
            try {
                outcome = peps.fetch(number).join().length() + " characters";
            } catch (CompletionException e) {
                outcome = "failed with " + e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage();
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            boolean miss = cache.info().misses() > missesBefore;
            String how = cache.parameters().closed() ? "the cache is closed" : miss ? "miss: fetched from the upstream" : "hit: from the cache";
            out.printf("PEP %d: %s (%s, %d ms)%n", number, outcome, how, millis);
        }
    }

    private static String words(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }
}
