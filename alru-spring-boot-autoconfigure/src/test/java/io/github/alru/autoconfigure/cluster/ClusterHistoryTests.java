package io.github.alru.autoconfigure.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import io.github.alru.AlruCacheRegistry;
import io.github.alru.AlruCacheable;
import io.github.alru.AlruMethodCache;
import io.github.alru.Scope;
import io.github.alru.cluster.ClusterTier;
import io.github.alru.testsupport.FaultProxy;
import io.github.alru.testsupport.TestRedis;
import io.github.alru.testsupport.TestRedisCluster;
import io.github.alru.testsupport.TestRedisSentinel;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Semantics items 26, 27 and 29 checked Jepsen-style: three instances call one CLUSTER cache at
 * random, and invalidate and clear it now and then, while Redis is killed and restarted, paused, and the connections of one
 * instance (through a {@link FaultProxy}) are cut, slowed past {@code redis-timeout} and reset. Every
 * call, load, invalidation, fault and link state is recorded with its time, and the history is
 * checked at the end:
 * <ol>
 * <li>no call failed or went unanswered (no Redis error reaches a caller);
 * <li>no call that began more than a second after an invalidation (or clear) of its key returned,
 *     and from then on, a value whose load began before that invalidation, unless the instance that
 *     made it or the one that served could not reach Redis meanwhile: then the second counts from
 *     when both had their link back (the partition case of item 27);
 * <li>while every instance reached Redis, two loads of one key never ran at the same time, on one
 *     instance or on two, unless an invalidation of that key came between their starts (an
 *     invalidation returns before Redis applies it: it counts from its start to a second after).
 * </ol>
 * The same history runs on a Redis Cluster of three masters (a master killed and restarted, or
 * paused) and behind Sentinel (the master killed, so the replica is promoted and the old master
 * rejoins as its replica, or paused): semantics item 36. The short forms run in the build; the long form:
 * <pre>./mvnw -B -pl alru-spring-boot-autoconfigure -am test -Dtest=ClusterHistoryTests -Dsurefire.failIfNoSpecifiedTests=false -Dalru.history.seconds=600</pre>
 * {@code -Dalru.history.seed=<n>} repeats the choices of a run (not its timing).
 */
class ClusterHistoryTests {

    private static final Duration RUN = Duration.ofSeconds(Long.getLong("alru.history.seconds", 30));
    /** The Cluster and Sentinel runs: as long as the standalone one when a length is given, else 15 s. */
    private static final Duration TOPOLOGY_RUN = Duration.ofSeconds(Long.getLong("alru.history.seconds", 15));
    private static final long SEED = Long.getLong("alru.history.seed", System.nanoTime());
    private static final int INSTANCES = 3;
    private static final int CUT_INSTANCE = 2;
    private static final int KEYS = 10;
    private static final int READERS_PER_INSTANCE = 2;
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final int EVERY_KEY = -1;
    private static final int EVERY_INSTANCE = -1;

    /** One execution of the method, on one instance. */
    static final class Load {
        final long id;
        final int key;
        final int instance;
        final long start;
        volatile long end = Long.MAX_VALUE;

        Load(long id, int key, int instance, long start) {
            this.id = id;
            this.key = key;
            this.instance = instance;
            this.start = start;
        }
    }

    /** A call of the cached method, and what it returned or threw. */
    record Call(int instance, int key, long start, long end, @Nullable String value, @Nullable Throwable error) {
    }

    /** An invalidate of one key, or a clear ({@link #EVERY_KEY}). */
    record Invalidation(int instance, int key, long start, long end) {
    }

    /** A time when an instance ({@link #EVERY_INSTANCE}: all) could not rely on Redis. */
    record Impairment(int instance, String what, long start, long end) {
    }

    /** Time intervals merged into disjoint ones, sorted: which of them a moment or an interval meets, in log time. */
    static final class Intervals {
        private final long[] starts;
        private final long[] ends;

        Intervals(java.util.stream.Stream<long[]> intervals) {
            List<long[]> sorted = intervals.sorted(Comparator.comparingLong(interval -> interval[0])).toList();
            List<long[]> merged = new ArrayList<>();
            for (long[] interval : sorted) {
                long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
                if (last != null && interval[0] <= last[1]) {
                    last[1] = Math.max(last[1], interval[1]);
                } else {
                    merged.add(new long[] {interval[0], interval[1]});
                }
            }
            starts = merged.stream().mapToLong(interval -> interval[0]).toArray();
            ends = merged.stream().mapToLong(interval -> interval[1]).toArray();
        }

        /** The first interval ending at or after {@code moment}, or the count when none does. */
        private int firstEndingFrom(long moment) {
            int index = java.util.Arrays.binarySearch(ends, moment);
            return index >= 0 ? index : -index - 1;
        }

        boolean meet(long from, long to) {
            int index = firstEndingFrom(from);
            return index < starts.length && starts[index] <= to;
        }

        /**
         * Follows intervals that begin by {@code moment + grace} and end after {@code since}: the end of
         * the last, or {@code moment} when none is met.
         */
        long endOfChain(long since, long moment, long grace) {
            long reached = moment;
            for (int index = firstEndingFrom(since); index < starts.length && starts[index] <= reached + grace; index++) {
                reached = Math.max(reached, ends[index]);
            }
            return reached;
        }
    }

    static final Map<Long, Load> loads = new ConcurrentHashMap<>();
    static final AtomicLong loadIds = new AtomicLong();
    static final ScheduledExecutorService upstream = Executors.newScheduledThreadPool(2);

    /** The application: one CLUSTER cache whose values name the load that made them. */
    static class HistoryService {
        private final int instance;

        HistoryService(int instance) {
            this.instance = instance;
        }

        @AlruCacheable(name = "history", scope = Scope.CLUSTER, ttl = "10m")
        public CompletableFuture<String> read(int key) {
            Load load = new Load(loadIds.incrementAndGet(), key, instance, System.nanoTime());
            loads.put(load.id, load);
            CompletableFuture<String> value = new CompletableFuture<>();
            upstream.schedule(() -> {
                load.end = System.nanoTime();
                value.complete("k" + key + "#" + load.id);
            }, 5 + ThreadLocalRandom.current().nextInt(25), TimeUnit.MILLISECONDS);
            return value;
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class HistoryApp {
        @Bean
        HistoryService historyService(Environment environment) {
            return new HistoryService(environment.getRequiredProperty("history.instance", Integer.class));
        }
    }

    private final Queue<Call> calls = new ConcurrentLinkedQueue<>();
    private final Queue<Invalidation> invalidations = new ConcurrentLinkedQueue<>();
    private final Queue<Impairment> impairments = new ConcurrentLinkedQueue<>();
    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();
    private TestRedis redis;
    private FaultProxy proxy;
    private TestRedisCluster cluster;
    private TestRedisSentinel sentinel;
    private volatile boolean running = true;
    private long started;

    @AfterEach
    void stop() throws Exception {
        running = false;
        contexts.forEach(ConfigurableApplicationContext::close);
        if (proxy != null) {
            proxy.close();
        }
        if (redis != null) {
            redis.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (sentinel != null) {
            sentinel.close();
        }
    }

    /** What a run injects: a fault of {@code kind} for {@code millis}; whether it impairs every instance. */
    private interface Faults {
        boolean inject(String kind, long millis, Random random) throws Exception;
    }

    @Test
    void underKillsPausesCutsAndSlowLinksNoCallFailsNoInvalidatedValueComesBackAndHealthyLoadsNeverOverlap() throws Exception {
        redis = TestRedis.start();
        proxy = FaultProxy.to(redis.port());
        for (int i = 0; i < INSTANCES; i++) {
            contexts.add(ClusterInstances.start(HistoryApp.class, i == CUT_INSTANCE ? proxy.port() : redis.port(),
                    "history.instance=" + i));
        }
        check(RUN, new String[] {"kill", "pause", "cut", "slow", "reset"}, (kind, length, random) -> {
            switch (kind) {
                case "kill" -> {
                    redis.kill();
                    Thread.sleep(length);
                    redis.restart();
                }
                case "pause" -> {
                    redis.pause();
                    Thread.sleep(length);
                    redis.resume();
                }
                case "cut" -> {
                    proxy.partition();
                    Thread.sleep(length);
                    proxy.heal();
                }
                case "slow" -> {
                    proxy.slow(Duration.ofMillis(300 + random.nextInt(300)));
                    Thread.sleep(length);
                    proxy.slow(Duration.ZERO);
                }
                default -> proxy.reset();
            }
            return kind.equals("kill") || kind.equals("pause");
        });
    }

    @Test
    @DisabledIfSystemProperty(named = "alru.redis.topologies", matches = "false", disabledReason = "-Dalru.redis.topologies=false")
    void onARedisClusterWhoseMastersAreKilledAndPausedTheHistoryHoldsAsOnOneRedis() throws Exception {
        cluster = TestRedisCluster.start(3);
        for (int i = 0; i < INSTANCES; i++) {
            contexts.add(ClusterInstances.startOn(HistoryApp.class, List.of("spring.data.redis.cluster.nodes=" + cluster.nodes()),
                    "history.instance=" + i));
        }
        check(TOPOLOGY_RUN, new String[] {"kill a master", "pause a master"}, (kind, length, random) -> {
            TestRedis master = cluster.masters().get(random.nextInt(cluster.masters().size()));
            if (kind.equals("kill a master")) {
                master.kill();
                Thread.sleep(length);
                master.restart(); // with its nodes.conf: it takes its slots back
            } else {
                master.pause();
                Thread.sleep(length);
                master.resume();
            }
            return true;
        });
    }

    @Test
    @DisabledIfSystemProperty(named = "alru.redis.topologies", matches = "false", disabledReason = "-Dalru.redis.topologies=false")
    void behindSentinelWhoseMasterIsKilledAndPausedTheHistoryHoldsAsOnOneRedis() throws Exception {
        sentinel = TestRedisSentinel.start();
        for (int i = 0; i < INSTANCES; i++) {
            contexts.add(ClusterInstances.startOn(HistoryApp.class, List.of("spring.data.redis.sentinel.master="
                    + TestRedisSentinel.MASTER, "spring.data.redis.sentinel.nodes=" + sentinel.sentinelNodes()),
                    "history.instance=" + i));
        }
        check(TOPOLOGY_RUN, new String[] {"fail over", "pause the master"}, (kind, length, random) -> {
            TestRedis master = sentinel.master();
            if (kind.equals("fail over")) {
                master.kill();
                long deadline = System.nanoTime() + 30 * SECOND;
                while (sentinel.master() == master && System.nanoTime() < deadline) {
                    Thread.sleep(50); // the sentinels promote the replica
                }
                Thread.sleep(length);
                master.restart(); // the sentinels make it the new master's replica
            } else {
                master.pause();
                Thread.sleep(length);
                master.resume();
            }
            return true;
        });
    }

    /** Runs the readers and invalidators while {@code faults} are injected, then checks the history. */
    private void check(Duration run, String[] kinds, Faults faults) throws Exception {
        loads.clear(); // a run's own loads only
        started = System.nanoTime();
        long deadline = started + run.toNanos();
        Thread monitor = new Thread(this::recordLinkStates, "history-links");
        monitor.setDaemon(true);
        monitor.start();
        ExecutorService workers = Executors.newFixedThreadPool(INSTANCES * (READERS_PER_INSTANCE + 1));
        for (int i = 0; i < INSTANCES; i++) {
            int instance = i;
            for (int r = 0; r < READERS_PER_INSTANCE; r++) {
                Random random = new Random(SEED * 31 + i * READERS_PER_INSTANCE + r);
                workers.execute(() -> read(instance, random, deadline));
            }
            Random random = new Random(SEED * 17 + i);
            workers.execute(() -> invalidate(instance, random, deadline));
        }
        Map<String, Integer> injected = injectFaults(kinds, faults, new Random(SEED), deadline);
        workers.shutdown();
        assertThat(workers.awaitTermination(60, TimeUnit.SECONDS)).as("every worker finished").isTrue();
        running = false;
        monitor.join(5_000);

        List<String> violations = new ArrayList<>();
        failedCalls(violations);
        staleReads(violations);
        overlappingLoads(violations);
        long clears = invalidations.stream().filter(invalidation -> invalidation.key() == EVERY_KEY).count();
        System.out.printf("alru history (seed %d, %d s): %d calls, %d invalidates, %d clears, %d loads, faults %s, "
                + "longest call %d ms; violations: %d%n", SEED, run.toSeconds(), calls.size(), invalidations.size() - clears, clears,
                loads.size(), injected, calls.stream().mapToLong(call -> call.end() - call.start()).max().orElse(0) / 1_000_000,
                violations.size());
        assertThat(calls).as("calls made").hasSizeGreaterThan(1_000);
        assertThat(violations.stream().limit(20).toList()).as("violations of the history (seed %d), the first 20 of %d", SEED,
                violations.size()).isEmpty();
    }

    private void read(int instance, Random random, long deadline) {
        HistoryService service = contexts.get(instance).getBean(HistoryService.class);
        while (System.nanoTime() < deadline) {
            int key = random.nextInt(KEYS);
            long start = System.nanoTime();
            try {
                String value = service.read(key).get(40, TimeUnit.SECONDS); // longer than alru.cluster.wait plus a load
                calls.add(new Call(instance, key, start, System.nanoTime(), value, null));
            } catch (ExecutionException e) {
                calls.add(new Call(instance, key, start, System.nanoTime(), null, e.getCause()));
            } catch (TimeoutException | RuntimeException e) {
                calls.add(new Call(instance, key, start, System.nanoTime(), null, e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            LockSupport.parkNanos(random.nextInt(2_000_000));
        }
    }

    /**
     * Invalidates a key every 0.2–1 s, and one time in forty clears instead: rare enough for each key
     * that a copy one of them missed would be served for seconds.
     */
    private void invalidate(int instance, Random random, long deadline) {
        AlruMethodCache cache = contexts.get(instance).getBean(AlruCacheRegistry.class).get("history");
        while (System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200 + random.nextInt(800)));
            int key = random.nextInt(40) == 0 ? EVERY_KEY : random.nextInt(KEYS);
            long start = System.nanoTime();
            try {
                if (key == EVERY_KEY) {
                    cache.clear();
                } else {
                    cache.invalidate(key);
                }
                invalidations.add(new Invalidation(instance, key, start, System.nanoTime()));
            } catch (RuntimeException e) {
                calls.add(new Call(instance, key, start, System.nanoTime(), null, e));
            }
        }
    }

    /** Healthy for 1–3 s, then one fault for 0.3–2.3 s, until the run ends. */
    private Map<String, Integer> injectFaults(String[] kinds, Faults faults, Random random, long deadline) throws Exception {
        Map<String, Integer> counts = new TreeMap<>();
        while (System.nanoTime() < deadline - 4 * SECOND) {
            Thread.sleep(1_000 + random.nextInt(2_000));
            String kind = kinds[random.nextInt(kinds.length)];
            long length = 300 + random.nextInt(2_000);
            long start = System.nanoTime();
            boolean everyone = faults.inject(kind, length, random);
            impairments.add(new Impairment(everyone ? EVERY_INSTANCE : CUT_INSTANCE, kind, start, System.nanoTime()));
            counts.merge(kind, 1, Integer::sum);
        }
        return counts;
    }

    /**
     * Records, every 10 ms, when each instance's link was down, and when Redis failed or timed out a
     * command of its ({@code alru.cluster.errors}): then it ran alone, as item 29 allows.
     */
    private void recordLinkStates() {
        long[] downSince = new long[INSTANCES];
        long[] errors = new long[INSTANCES];
        long[] sampled = new long[INSTANCES];
        java.util.Arrays.fill(downSince, -1);
        java.util.Arrays.fill(sampled, System.nanoTime());
        while (running) {
            for (int i = 0; i < INSTANCES; i++) {
                boolean up = contexts.get(i).getBean(ClusterTier.class).linkUp();
                long errorsNow = contexts.get(i).getBean(AlruCacheRegistry.class).get("history").clusterStats().orElseThrow().errors();
                long now = System.nanoTime();
                if (errorsNow != errors[i]) {
                    // a command given up on began at most redis-timeout twice (an acquire and its retry) before
                    impairments.add(new Impairment(i, "redis errors", sampled[i] - SECOND, now));
                    errors[i] = errorsNow;
                }
                sampled[i] = now;
                if (!up && downSince[i] < 0) {
                    downSince[i] = now;
                } else if (up && downSince[i] >= 0) {
                    impairments.add(new Impairment(i, "link down", downSince[i], now));
                    downSince[i] = -1;
                }
            }
            LockSupport.parkNanos(10_000_000);
        }
        for (int i = 0; i < INSTANCES; i++) {
            if (downSince[i] >= 0) {
                impairments.add(new Impairment(i, "link down", downSince[i], Long.MAX_VALUE));
            }
        }
    }

    private Intervals impairmentsOf(int... instances) {
        return new Intervals(impairments.stream().filter(impairment -> impairment.instance() == EVERY_INSTANCE
                || java.util.stream.IntStream.of(instances).anyMatch(instance -> impairment.instance() == instance))
                .map(impairment -> new long[] {impairment.start(), impairment.end()}));
    }

    private void failedCalls(List<String> violations) {
        for (Call call : calls) {
            if (call.error() != null) {
                violations.add("instance " + call.instance() + " failed a call of key " + call.key() + ": " + call.error());
            } else if (!call.value().startsWith("k" + call.key() + "#")
                    || !loads.containsKey(Long.parseLong(call.value().substring(call.value().indexOf('#') + 1)))) {
                violations.add("instance " + call.instance() + " answered key " + call.key() + " with " + call.value());
            }
        }
    }

    /**
     * When an invalidation must have reached {@code reader}: a second after it returned, or after
     * both instances' links were back if either could not rely on Redis meanwhile.
     */
    private static long reachedBy(Invalidation invalidation, Intervals impairedEither) {
        long reached = impairedEither.endOfChain(invalidation.start(), invalidation.end(), SECOND);
        return reached == Long.MAX_VALUE ? reached : reached + SECOND;
    }

    private void staleReads(List<String> violations) {
        for (int reader = 0; reader < INSTANCES; reader++) {
            int r = reader;
            Intervals[] impairedWith = new Intervals[INSTANCES];
            for (int issuer = 0; issuer < INSTANCES; issuer++) {
                impairedWith[issuer] = impairmentsOf(reader, issuer);
            }
            List<Call> served = calls.stream().filter(call -> call.instance() == r && call.value() != null).toList();
            for (int key = 0; key < KEYS; key++) {
                int k = key;
                // By when each invalidation of the key had reached this reader, and the latest start among those reached.
                TreeMap<Long, Invalidation> byReach = new TreeMap<>();
                invalidations.stream().filter(invalidation -> invalidation.key() == k || invalidation.key() == EVERY_KEY)
                        .forEach(invalidation -> byReach.merge(reachedBy(invalidation, impairedWith[invalidation.instance()]), invalidation,
                                (one, other) -> one.start() > other.start() ? one : other));
                TreeMap<Long, Invalidation> latestReached = new TreeMap<>();
                Invalidation latest = null;
                for (Map.Entry<Long, Invalidation> entry : byReach.entrySet()) {
                    if (latest == null || entry.getValue().start() > latest.start()) {
                        latest = entry.getValue();
                    }
                    latestReached.put(entry.getKey(), latest);
                }
                for (Call call : served) {
                    if (call.key() != k) {
                        continue;
                    }
                    Map.Entry<Long, Invalidation> reached = latestReached.lowerEntry(call.start());
                    Load load = loads.get(Long.parseLong(call.value().substring(call.value().indexOf('#') + 1)));
                    if (reached != null && load != null && load.start < reached.getValue().start()) {
                        violations.add(String.format("instance %d served key %d from load %d (instance %d, began %d ms before) %d ms after"
                                + " the invalidation by instance %d had reached it", r, k, load.id, load.instance,
                                (reached.getValue().start() - load.start) / 1_000_000, (call.start() - reached.getKey()) / 1_000_000,
                                reached.getValue().instance()));
                    }
                }
            }
        }
    }

    private long ms(long nanos) {
        return nanos == Long.MAX_VALUE ? -1 : (nanos - started) / 1_000_000;
    }

    private void overlappingLoads(List<String> violations) {
        List<Impairment> all = List.copyOf(impairments);
        Intervals impaired = new Intervals(all.stream().map(impairment -> new long[] {impairment.start(), impairment.end()}));
        Map<Integer, List<Load>> byKey = loads.values().stream().collect(Collectors.groupingBy(load -> load.key));
        for (List<Load> ofKey : byKey.values()) {
            ofKey.sort(Comparator.comparingLong(load -> load.start));
            int key = ofKey.get(0).key;
            Intervals invalidated = new Intervals(invalidations.stream().filter(invalidation -> invalidation.key() == key
                    || invalidation.key() == EVERY_KEY).map(invalidation -> new long[] {invalidation.start(), invalidation.end() + SECOND}));
            for (int b = 0; b < ofKey.size(); b++) {
                Load second = ofKey.get(b);
                for (int a = b - 1; a >= 0 && b - a < 50; a--) {
                    Load first = ofKey.get(a);
                    if (first.end <= second.start) {
                        continue;
                    }
                    long from = first.start - SECOND;
                    long to = Math.max(first.end, second.end) + SECOND;
                    if (!impaired.meet(from, to) && !invalidated.meet(first.start, second.start)) {
                        violations.add(String.format("loads %d (instance %d, %d-%d) and %d (instance %d, %d-%d) of key %d ran at once"
                                + " while Redis was healthy; near: %s", first.id, first.instance, ms(first.start), ms(first.end), second.id,
                                second.instance, ms(second.start), ms(second.end), second.key, all.stream()
                                        .filter(impairment -> impairment.start() <= to + 3 * SECOND && impairment.end() >= from - 3 * SECOND)
                                        .map(impairment -> impairment.what() + "@" + impairment.instance() + " " + ms(impairment.start()) + "-"
                                                + ms(impairment.end())).toList()));
                    }
                }
            }
        }
    }
}
