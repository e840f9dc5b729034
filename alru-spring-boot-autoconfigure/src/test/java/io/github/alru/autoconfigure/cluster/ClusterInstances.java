package io.github.alru.autoconfigure.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.alru.testsupport.TestRedis;
import io.github.alru.AlruCacheRegistry;
import io.github.alru.AlruCacheable;
import io.github.alru.Scope;
import io.github.alru.cluster.ClusterTier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import reactor.core.publisher.Mono;

/**
 * Several "instances" of one application, each a Spring Boot context of its own on one real Redis,
 * and the upstream they share: one counter of executions, as a real upstream service would see.
 */
final class ClusterInstances implements AutoCloseable {

    /** A value of a shape that must survive the trip through Redis exactly. */
    record Pep(int number, String title, List<String> authors) {
    }

    /** A value Jackson cannot write: its one property throws. */
    static final class Unwritable {
        public String getContent() {
            throw new IllegalStateException("not writable");
        }
    }

    /**
     * An argument whose JSON leaves out part of what makes it equal: its tenant has no getter, so
     * Jackson does not write it.
     */
    static final class Query {
        public final int number;
        private final String tenant;

        Query(int number, String tenant) {
            this.number = number;
            this.tenant = tenant;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Query query && query.number == number && query.tenant.equals(tenant);
        }

        @Override
        public int hashCode() {
            return number * 31 + tenant.hashCode();
        }
    }

    /** An enum argument: its constants' hash codes differ from one JVM to the next, and so may a set's order. */
    enum Color { RED, GREEN, BLUE, YELLOW, BLACK, WHITE }

    /** The upstream every instance calls: counts executions across instances. */
    static final class Upstream {
        static final AtomicInteger executions = new AtomicInteger();
        static final ExecutorService pool = Executors.newCachedThreadPool();
        static volatile Duration latency = Duration.ofMillis(200);
        static volatile boolean failing;

        static void reset() {
            executions.set(0);
            latency = Duration.ofMillis(200);
            failing = false;
        }

        static <T> CompletableFuture<T> call(java.util.function.IntFunction<T> answer) {
            int run = executions.incrementAndGet();
            Duration delay = latency;
            boolean fail = failing;
            return CompletableFuture.supplyAsync(() -> {
                try {
                    Thread.sleep(delay.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (fail) {
                    throw new IllegalStateException("upstream failed on run " + run);
                }
                return answer.apply(run);
            }, pool);
        }
    }

    /** The cached service of the application, with CLUSTER caches. */
    static class PepService {
        @AlruCacheable(name = "peps", scope = Scope.CLUSTER, ttl = "1m")
        public CompletableFuture<String> fetch(int number) {
            return Upstream.call(run -> "PEP " + number + " (run " + run + ")");
        }

        @AlruCacheable(name = "pepList", scope = Scope.CLUSTER)
        public CompletableFuture<List<Pep>> list(String author) {
            return Upstream.call(run -> List.of(new Pep(8, "Style Guide", List.of(author)), new Pep(20, "Zen", List.of())));
        }

        @AlruCacheable(name = "pepMap", scope = Scope.CLUSTER)
        public CompletableFuture<Map<String, Pep>> byTitle(int number) {
            return Upstream.call(run -> Map.of("t" + number, new Pep(number, "T", List.of("a", "b"))));
        }

        @AlruCacheable(name = "pepOptional", scope = Scope.CLUSTER)
        public CompletableFuture<Optional<Pep>> find(int number) {
            return Upstream.call(run -> number < 0 ? Optional.empty() : Optional.of(new Pep(number, "found", List.of())));
        }

        @AlruCacheable(name = "nothing", scope = Scope.CLUSTER)
        public CompletableFuture<String> nothing(int number) {
            return Upstream.call(run -> null);
        }

        @AlruCacheable(name = "opaque", scope = Scope.CLUSTER)
        public CompletableFuture<Unwritable> opaque(int number) {
            return Upstream.call(run -> new Unwritable());
        }

        @AlruCacheable(name = "refreshed", scope = Scope.CLUSTER, ttl = "1m", refresh = "300ms")
        public CompletableFuture<String> refreshed(int number) {
            return Upstream.call(run -> "refreshed PEP " + number + " (run " + run + ")");
        }

        @AlruCacheable(name = "monoPeps", scope = Scope.CLUSTER)
        public Mono<String> mono(int number) {
            return Mono.defer(() -> Mono.fromFuture(Upstream.call(run -> "mono PEP " + number + " (run " + run + ")")));
        }

        @AlruCacheable(name = "byTags", scope = Scope.CLUSTER)
        public CompletableFuture<String> byTags(java.util.Set<String> tags) {
            return Upstream.call(run -> "tagged " + new java.util.TreeSet<>(tags) + " (run " + run + ")");
        }

        @AlruCacheable(name = "byColors", scope = Scope.CLUSTER)
        public CompletableFuture<String> byColors(java.util.Set<Color> colors) {
            return Upstream.call(run -> "colored " + new java.util.TreeSet<>(colors) + " (run " + run + " in JVM "
                    + ProcessHandle.current().pid() + ")");
        }

        @AlruCacheable(name = "byQuery", scope = Scope.CLUSTER)
        public CompletableFuture<String> byQuery(Query query) {
            return Upstream.call(run -> "query " + query.number + " of " + query.tenant + " (run " + run + ")");
        }

        @AlruCacheable(name = "byThread", scope = Scope.CLUSTER)
        public CompletableFuture<String> byThread(Thread thread) {
            return Upstream.call(run -> "thread run " + run); // a Thread argument cannot be written as JSON
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        PepService pepService() {
            return new PepService();
        }
    }

    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

    ClusterInstances(TestRedis redis, int count, String... properties) {
        for (int i = 0; i < count; i++) {
            contexts.add(start(redis, properties));
        }
    }

    private ClusterInstances() {
    }

    /**
     * Instances connected to Redis as {@code redisProperties} say ({@code spring.data.redis.cluster.nodes},
     * {@code spring.data.redis.sentinel.*}), instead of one standalone Redis.
     */
    static ClusterInstances on(List<String> redisProperties, int count, String... properties) {
        ClusterInstances instances = new ClusterInstances();
        try {
            for (int i = 0; i < count; i++) {
                instances.contexts.add(startOn(App.class, redisProperties, properties));
            }
        } catch (RuntimeException e) {
            instances.close();
            throw e;
        }
        return instances;
    }

    /** Starts an instance connected to Redis as {@code redisProperties} say. */
    static ConfigurableApplicationContext startOn(Class<?> application, List<String> redisProperties, String... properties) {
        List<String> all = new ArrayList<>(redisProperties);
        all.addAll(List.of("spring.data.redis.timeout=2s", "spring.data.redis.connect-timeout=500ms", "alru.cluster.key-prefix=test",
                "management.health.redis.enabled=false"));
        all.addAll(List.of(properties));
        return new SpringApplicationBuilder(application).web(WebApplicationType.NONE).properties(all.toArray(String[]::new)).run();
    }

    static ConfigurableApplicationContext start(TestRedis redis, String... properties) {
        return start(redis.port(), properties);
    }

    static ConfigurableApplicationContext start(int redisPort, String... properties) {
        return start(App.class, redisPort, properties);
    }

    /** Starts an instance of another application of the tests, with the same Redis settings. */
    static ConfigurableApplicationContext start(Class<?> application, int redisPort, String... properties) {
        return startOn(application, List.of("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redisPort), properties);
    }

    /**
     * The Redis key of a value stored by the instances (prefix {@code test}), in its bucket's current epoch.
     *
     * @param cache the cache's name
     * @param argumentsJson the arguments as the tier writes them, such as {@code [7]}
     */
    static String valueKey(TestRedis redis, String cache, String argumentsJson) throws java.io.IOException {
        return bucketBase(cache, argumentsJson) + epoch(redis, cache, argumentsJson) + ":v:" + hash(argumentsJson);
    }

    /** The SHA-256 of the arguments' JSON, in hex: the key's hash (for an untyped cache). */
    static String hash(String argumentsJson) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(argumentsJson.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Where the key of these arguments lives: {@code test:{<cache>/<n>}:}, bucket {@code b} of 64 (the
     * hash's first four hex digits modulo 64) having the first tag {@code n} whose slot falls in the
     * b-th of 64 equal slot ranges.
     */
    static String bucketBase(String cache, String argumentsJson) {
        int bucket = Integer.parseInt(hash(argumentsJson).substring(0, 4), 16) % 64;
        for (int n = 0;; n++) {
            String base = "test:{" + cache + "/" + n + "}:";
            if (io.lettuce.core.cluster.SlotHash.getSlot(base) / 256 == bucket) {
                return base;
            }
        }
    }

    /** The current epoch of the bucket these arguments' key lives in, {@code none} before its first load. */
    static String epoch(TestRedis redis, String cache, String argumentsJson) throws java.io.IOException {
        // a number as an integer reply: the first line of a bulk reply is only its length
        String reply = redis.call("EVAL", "return tonumber(redis.call('GET', KEYS[1]) or '-1')", "1",
                bucketBase(cache, argumentsJson) + "epoch");
        return reply.equals(":-1") ? "none" : reply.substring(1);
    }

    ConfigurableApplicationContext context(int i) {
        return contexts.get(i);
    }

    PepService service(int i) {
        return contexts.get(i).getBean(PepService.class);
    }

    AlruCacheRegistry registry(int i) {
        return contexts.get(i).getBean(AlruCacheRegistry.class);
    }

    ClusterTier tier(int i) {
        return contexts.get(i).getBean(ClusterTier.class);
    }

    int size() {
        return contexts.size();
    }

    @Override
    public void close() {
        contexts.stream().filter(ConfigurableApplicationContext::isActive).forEach(ConfigurableApplicationContext::close);
    }
}
