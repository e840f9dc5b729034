package io.github.alru.benchmarks;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.alru.AlruCache;
import io.github.alru.AlruCacheable;
import io.github.alru.Scope;
import io.github.alru.autoconfigure.AlruAutoConfiguration;
import io.github.alru.autoconfigure.cluster.AlruClusterAutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * One "instance" of an application for the cluster benchmarks: alru LOCAL and CLUSTER caches, and
 * Spring's {@code @Cacheable(sync = true)} on {@code RedisCacheManager}, the peer it is measured against.
 */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration({DataRedisAutoConfiguration.class, AlruClusterAutoConfiguration.class,
        AlruAutoConfiguration.class})
@EnableCaching
public class ClusterApp {

    /** Executions of each method, across every instance in this JVM. */
    static final AtomicInteger ALRU_EXECUTIONS = new AtomicInteger();
    static final AtomicInteger SPRING_EXECUTIONS = new AtomicInteger();
    static volatile long workMillis;

    /** The cached methods. */
    public static class Peps {

        /**
         * A CLUSTER cache.
         *
         * @param number the PEP
         * @return its text
         */
        @AlruCacheable(name = "alruCluster", scope = Scope.CLUSTER, maxSize = AlruCache.UNBOUNDED)
        public CompletableFuture<String> alruCluster(int number) {
            ALRU_EXECUTIONS.incrementAndGet();
            return CompletableFuture.supplyAsync(() -> work("PEP " + number));
        }

        /**
         * The same method in a LOCAL cache.
         *
         * @param number the PEP
         * @return its text
         */
        @AlruCacheable(name = "alruLocal", maxSize = AlruCache.UNBOUNDED)
        public CompletableFuture<String> alruLocal(int number) {
            return CompletableFuture.completedFuture("PEP " + number);
        }

        /**
         * Spring's cache on Redis, with its per-JVM single flight.
         *
         * @param number the PEP
         * @return its text
         */
        @Cacheable(cacheNames = "springRedis", sync = true)
        public String springRedis(int number) {
            SPRING_EXECUTIONS.incrementAndGet();
            return work("PEP " + number);
        }

        private static String work(String value) {
            try {
                Thread.sleep(workMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return value;
        }
    }

    @Bean
    Peps peps() {
        return new Peps();
    }

    @Bean
    RedisCacheManager cacheManager(RedisConnectionFactory connections) {
        return RedisCacheManager.builder(connections).cacheDefaults(RedisCacheConfiguration.defaultCacheConfig()
                .entryTtl(Duration.ofMinutes(10)).prefixCacheNameWith("bench-spring:")).build();
    }

    static ConfigurableApplicationContext start(int redisPort) {
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("benchmark", Map.of(
                "spring.data.redis.port", Integer.toString(redisPort), "spring.data.redis.host", "127.0.0.1",
                "alru.cluster.key-prefix", "bench")));
        context.register(ClusterApp.class);
        context.refresh();
        return context;
    }
}
