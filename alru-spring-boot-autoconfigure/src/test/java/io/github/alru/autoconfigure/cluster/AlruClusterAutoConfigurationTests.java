package io.github.alru.autoconfigure.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.github.alru.autoconfigure.AlruAutoConfiguration;
import io.github.alru.cluster.ClusterCache;
import io.github.alru.cluster.ClusterCacheSpec;
import io.github.alru.cluster.ClusterTier;
import io.github.alru.redis.RedisClusterTier;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** Semantics items 19 and 24: the cluster tier's beans, their conditions, and backing off for a user's own tier. */
class AlruClusterAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AlruClusterAutoConfiguration.class, AlruAutoConfiguration.class));

    @Configuration(proxyBeanMethods = false)
    static class RedisConnections {
        @Bean
        LettuceConnectionFactory redisConnectionFactory() {
            return new LettuceConnectionFactory("127.0.0.1", 1); // never connected: no CLUSTER cache joins
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnTier {
        @Bean
        ClusterTier ownTier() {
            return new ClusterTier() {
                @Override
                public ClusterCache join(ClusterCacheSpec spec) {
                    throw new UnsupportedOperationException("no CLUSTER cache in these tests");
                }

                @Override
                public boolean linkUp() {
                    return true;
                }
            };
        }
    }

    @Test
    void aRedisConnectionFactoryBringsTheTierItsShutdownAndTheStartupWait() {
        runner.withUserConfiguration(RedisConnections.class).run(context -> {
            assertThat(context).hasSingleBean(RedisClusterTier.class);
            assertThat(context).hasSingleBean(ClusterTierShutdown.class);
            assertThat(context).hasSingleBean(ClusterStartupWait.class);
            assertThat(context).hasBean("alruReconnectDelay");
            assertThat(context.getBean(ClusterTierShutdown.class).getPhase())
                    .as("stops after the caches, before the connection factory (phase 0)")
                    .isLessThan(io.github.alru.spring.AlruCacheLifecycle.PHASE).isGreaterThan(0);
        });
    }

    @Test
    void withoutARedisConnectionFactoryThereIsNoTier() {
        runner.run(context -> {
            assertThat(context).doesNotHaveBean(ClusterTier.class);
            assertThat(context).doesNotHaveBean(ClusterTierShutdown.class);
        });
    }

    @Test
    void withoutAlruRedisOnTheClassPathThereIsNoTier() {
        runner.withUserConfiguration(RedisConnections.class).withClassLoader(new FilteredClassLoader(RedisClusterTier.class))
                .run(context -> assertThat(context).doesNotHaveBean(ClusterTier.class));
    }

    @Test
    void anApplicationsOwnTierReplacesTheRedisOne() {
        runner.withUserConfiguration(RedisConnections.class, OwnTier.class).run(context -> {
            assertThat(context).hasSingleBean(ClusterTier.class);
            assertThat(context).doesNotHaveBean(RedisClusterTier.class);
            assertThat(context).doesNotHaveBean(ClusterTierShutdown.class);
            assertThat(context.getBean(ClusterTier.class).awaitLinkUp(Duration.ZERO)).isTrue();
        });
    }

    @Test
    void aNegativeStartupTimeoutStopsTheStartNamingTheProperty() {
        runner.withUserConfiguration(RedisConnections.class).withPropertyValues("alru.cluster.startup-timeout=-1s")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("alru.cluster.startup-timeout").hasMessageContaining("was: -1000ms"));
    }
}
