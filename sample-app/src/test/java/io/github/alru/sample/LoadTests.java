package io.github.alru.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * A bounded load test of {@code GET /peps/{number}} over real HTTP on loopback.
 *
 * <p>{@value #CLIENTS} clients, each a closed loop on its own platform thread (send, wait for the
 * answer, send the next), run for 5 seconds, or for {@code -Dalru.load.seconds} (the README's
 * figures: 30). {@value #HOT_SHARE_PERCENT}% of the requests go to 8 hot PEPs, the others to a
 * cold tail of {@value #TAIL_PEPS} PEPs that the sample's archive does not know and that
 * {@link EveryNumberArchive} makes up. The upstream answers after 200 ms, as in the sample. The
 * cache holds every PEP of the key set and its ttl outlasts the run, so each PEP requested must
 * reach the upstream exactly once.
 *
 * <p>It prints one line: requests per second, p50, p99 and max latency, upstream calls per
 * distinct PEP, and errors. It asserts correctness only, never throughput, so that it holds on a
 * busy machine: no error (a status other than 200, a body of another PEP, or an exception), and
 * one upstream call for every PEP requested, none for any other.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "sample.upstream.latency=200ms",
        "alru.caches.[pepClient.fetch].max-size=" + LoadTests.CACHE_SIZE,
        "alru.caches.[pepClient.fetch].ttl=1h"})
@DisabledIfSystemProperty(named = "spring.aot.enabled", matches = "true",
        disabledReason = "runs once, in the usual pass: -Dtest=LoadTests overrides the AOT-mode pass's exclude of it")
class LoadTests {

    private static final int CLIENTS = 100;

    private static final int HOT_SHARE_PERCENT = 90;

    /** The hot PEPs, all known to the sample's archive. */
    private static final int[] HOT_PEPS = {8, 20, 218, 257, 290, 308, 320, 484};

    private static final int TAIL_PEPS = 200;

    private static final int FIRST_TAIL_PEP = 1000;

    /**
     * Room for every PEP of the key set, the 8 hot ones and the tail, so that nothing is evicted
     * during a run (not private: the class's annotation reads it).
     */
    static final int CACHE_SIZE = 8 + TAIL_PEPS;

    private static final Duration RUN = Duration.ofSeconds(Long.getLong("alru.load.seconds", 5));

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    @LocalServerPort
    int port;

    @Autowired
    EveryNumberArchive archive;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void everyRequestSucceedsAndEachPepReachesTheUpstreamOnce() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean stop = new AtomicBoolean();
        List<ClientRun> runs = new ArrayList<>();
        long elapsedNanos;
        try {
            List<Future<ClientRun>> futures = IntStream.range(0, CLIENTS)
                    .mapToObj(client -> clients.submit(() -> runClient(client, start, stop)))
                    .toList();
            long started = System.nanoTime();
            start.countDown();
            TimeUnit.MILLISECONDS.sleep(RUN.toMillis());
            stop.set(true);
            for (Future<ClientRun> future : futures) {
                runs.add(future.get());
            }
            elapsedNanos = System.nanoTime() - started;
        } finally {
            clients.shutdownNow();
        }

        Histogram latencies = new Histogram(3);
        Set<Integer> requestedPeps = new HashSet<>();
        List<String> errors = new ArrayList<>();
        for (ClientRun run : runs) {
            latencies.add(run.latencies());
            requestedPeps.addAll(run.peps());
            errors.addAll(run.errors());
        }
        Map<Integer, Integer> upstreamCalls = archive.callsByPep();
        int totalUpstreamCalls = upstreamCalls.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf(Locale.ROOT,
                "alru load test: %d clients, %d s, %d requests, %.0f requests/s, latency p50 %.2f ms, p99 %.2f ms,"
                        + " max %.2f ms, %d distinct PEPs, %d upstream calls (%.2f per PEP), %d errors%n",
                CLIENTS, RUN.toSeconds(), latencies.getTotalCount(),
                latencies.getTotalCount() / (elapsedNanos / 1e9),
                millis(latencies.getValueAtPercentile(50)), millis(latencies.getValueAtPercentile(99)),
                millis(latencies.getMaxValue()), requestedPeps.size(), totalUpstreamCalls,
                (double) totalUpstreamCalls / requestedPeps.size(), errors.size());

        assertThat(errors.size()).as("errors, the first: %s", errors.subList(0, Math.min(5, errors.size()))).isZero();
        assertThat(upstreamCalls).as("upstream calls by PEP").containsOnlyKeys(requestedPeps)
                .allSatisfy((pep, calls) -> assertThat(calls).as("upstream calls for PEP %d", pep).isEqualTo(1));
    }

    private ClientRun runClient(int client, CountDownLatch start, AtomicBoolean stop) throws InterruptedException {
        SplittableRandom random = new SplittableRandom(client);
        Histogram latencies = new Histogram(3);
        Set<Integer> peps = new HashSet<>();
        List<String> errors = new ArrayList<>();
        start.await();
        while (!stop.get()) {
            int pep = random.nextInt(100) < HOT_SHARE_PERCENT
                    ? HOT_PEPS[random.nextInt(HOT_PEPS.length)]
                    : FIRST_TAIL_PEP + random.nextInt(TAIL_PEPS);
            peps.add(pep);
            long sent = System.nanoTime();
            Optional<String> error = fetch(pep);
            latencies.recordValue(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - sent));
            error.ifPresent(errors::add);
        }
        return new ClientRun(latencies, peps, errors);
    }

    /** Requests one PEP; returns what was wrong with the answer, or empty when it is right. */
    private Optional<String> fetch(int pep) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/peps/" + pep))
                .timeout(REQUEST_TIMEOUT)
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.of("PEP " + pep + ": status " + response.statusCode());
            }
            if (!response.body().startsWith("PEP " + pep + " -- ")) {
                return Optional.of("PEP " + pep + ": the body of another PEP");
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("PEP " + pep + ": " + e);
        }
    }

    private static double millis(long micros) {
        return micros / 1000.0;
    }

    /** What one client did: its latencies in microseconds, the PEPs it asked for, and what went wrong. */
    private record ClientRun(Histogram latencies, Set<Integer> peps, List<String> errors) {
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class LoadTestUpstream {

        @Bean
        @Primary
        EveryNumberArchive everyNumberArchive(@Value("${sample.upstream.latency}") Duration latency) {
            return new EveryNumberArchive(latency);
        }
    }

    /**
     * The sample's archive, as slow as it, that also serves the numbers it does not know (the cold
     * tail) as made-up PEPs, and counts upstream calls by PEP.
     */
    static class EveryNumberArchive extends PepArchive {

        private final Map<Integer, Integer> callsByPep = new ConcurrentHashMap<>();

        EveryNumberArchive(Duration latency) {
            super(latency);
        }

        @Override
        public Optional<String> find(int number) throws InterruptedException {
            callsByPep.merge(number, 1, Integer::sum);
            return super.find(number)
                    .or(() -> Optional.of("PEP " + number + " -- A PEP of the load test's cold tail."));
        }

        Map<Integer, Integer> callsByPep() {
            return Map.copyOf(callsByPep);
        }
    }
}
