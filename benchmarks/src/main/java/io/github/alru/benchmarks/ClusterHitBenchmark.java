package io.github.alru.benchmarks;

import java.util.concurrent.TimeUnit;

import io.github.alru.testsupport.TestRedis;
import io.github.alru.AlruCacheRegistry;
import io.github.alru.cluster.ClusterTier;
import io.github.alru.cluster.LocalCopy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The cluster tier's hit paths, through the Spring proxy, on a real {@code redis-server} on loopback:
 * <ul>
 * <li>{@code localHitLocalScope} and {@code localHitClusterScope}: a hit on a warm entry of a LOCAL
 *     and of a CLUSTER cache; Redis is never on this path, so they must cost the same;</li>
 * <li>{@code l2HitClusterScope}: a CLUSTER call whose value is in Redis but not in this instance
 *     (the local copy is dropped before each call): one round trip, JSON read, local insert;</li>
 * <li>{@code springRedisCacheHit}: Spring's {@code @Cacheable} on {@code RedisCacheManager}, whose
 *     every hit is a Redis round trip.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ClusterHitBenchmark {

    private TestRedis redis;
    private ConfigurableApplicationContext instance;
    private ClusterApp.Peps peps;
    private LocalCopy clusterLocalCopy;
    private final Object[] l2Key = {2};

    /**
     * Starts Redis and one instance, and warms every entry.
     *
     * @throws Exception if Redis does not start
     */
    @Setup(Level.Trial)
    public void start() throws Exception {
        redis = TestRedis.start();
        instance = ClusterApp.start(redis.port());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!instance.getBean(ClusterTier.class).linkUp() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        ClusterApp.workMillis = 0;
        peps = instance.getBean(ClusterApp.Peps.class);
        clusterLocalCopy = (LocalCopy) instance.getBean(AlruCacheRegistry.class).get("alruCluster");
        peps.alruLocal(1).join();
        peps.alruCluster(1).join();
        peps.alruCluster(2).join();
        peps.springRedis(3);
    }

    /**
     * Stops the instance and Redis.
     *
     * @throws Exception if Redis does not stop
     */
    @TearDown(Level.Trial)
    public void stop() throws Exception {
        instance.close();
        redis.close();
    }

    /**
     * A hit on a LOCAL cache.
     *
     * @return the value
     */
    @Benchmark
    public String localHitLocalScope() {
        return peps.alruLocal(1).join();
    }

    /**
     * A hit on a CLUSTER cache's local copy.
     *
     * @return the value
     */
    @Benchmark
    public String localHitClusterScope() {
        return peps.alruCluster(1).join();
    }

    /**
     * A CLUSTER call served from Redis.
     *
     * @return the value
     */
    @Benchmark
    public String l2HitClusterScope() {
        clusterLocalCopy.invalidateLocally(l2Key);
        return peps.alruCluster(2).join();
    }

    /**
     * A hit of Spring's cache on Redis.
     *
     * @return the value
     */
    @Benchmark
    public String springRedisCacheHit() {
        return peps.springRedis(3);
    }
}
