package io.github.alru.autoconfigure.cluster;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.alru.autoconfigure.AlruAutoConfiguration;
import io.github.alru.autoconfigure.AlruProperties;
import io.github.alru.cluster.ClusterTier;
import io.github.alru.redis.ClusterSettings;
import io.github.alru.redis.RedisClusterTier;
import io.github.alru.spring.AlruConfigurationException;
import io.lettuce.core.resource.Delay;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The cluster tier on Redis, for {@code CLUSTER} caches: present when {@code alru-redis} is on the
 * class path and a {@link RedisConnectionFactory} exists (Boot creates one from
 * {@code spring.data.redis.*}). Values and arguments are written with the application's
 * {@link JsonMapper} when it has one.
 */
@AutoConfiguration(before = AlruAutoConfiguration.class,
        afterName = {"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
                "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration"})
@ConditionalOnClass({RedisClusterTier.class, RedisConnectionFactory.class})
@EnableConfigurationProperties(AlruProperties.class)
public class AlruClusterAutoConfiguration {

    /** Creates an AlruClusterAutoConfiguration. */
    public AlruClusterAutoConfiguration() {
    }

    /**
     * The cluster tier.
     *
     * @param connectionFactory the Redis connections
     * @param mapper the application's JSON mapper, if any
     * @param properties the {@code alru.cluster.*} settings
     * @return the tier, closed with the context
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(ClusterTier.class)
    @ConditionalOnBean(RedisConnectionFactory.class)
    public RedisClusterTier alruClusterTier(RedisConnectionFactory connectionFactory, ObjectProvider<JsonMapper> mapper,
            AlruProperties properties) {
        AlruProperties.Cluster cluster = properties.getCluster();
        ClusterSettings settings;
        try {
            settings = new ClusterSettings(cluster.getKeyPrefix(), cluster.getLease(), cluster.getWait(), cluster.getRedisTimeout(),
                    ClusterSettings.DEFAULTS.heartbeat());
        } catch (IllegalArgumentException e) {
            throw new AlruConfigurationException(e.getMessage());
        }
        return new RedisClusterTier(connectionFactory, mapper.getIfAvailable(JsonMapper::new), settings);
    }

    /**
     * Caps Lettuce's reconnect delay at one second (its default grows to 30 s), so that after an
     * outage the link, and sharing, come back within about a second of Redis answering again. An
     * application's own {@link ClientResourcesBuilderCustomizer}, ordered after this one, wins.
     *
     * @return the customizer of Boot's Lettuce client resources
     */
    @Bean
    @Order(0)
    @ConditionalOnClass(name = "io.lettuce.core.resource.ClientResources")
    public ClientResourcesBuilderCustomizer alruReconnectDelay() {
        return builder -> builder.reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 2,
                TimeUnit.MILLISECONDS));
    }

    /**
     * Closes the tier when the context stops, after the caches and before the Redis connection factory.
     *
     * @param tier the cluster tier
     * @return the lifecycle that closes it
     */
    @Bean
    @ConditionalOnBean(RedisClusterTier.class)
    public SmartLifecycle alruClusterTierShutdown(RedisClusterTier tier) {
        return new ClusterTierShutdown(tier);
    }

    /**
     * Holds the start until the cluster link is usable, at most {@code alru.cluster.startup-timeout},
     * so that CLUSTER caches share from the first call.
     *
     * @param tier the cluster tier, this one or the application's own
     * @param properties the {@code alru.cluster.*} settings
     * @return the wait, run once every singleton exists
     */
    @Bean
    public static SmartInitializingSingleton alruClusterStartupWait(ObjectProvider<ClusterTier> tier, AlruProperties properties) {
        Duration timeout = properties.getCluster().getStartupTimeout();
        if (timeout == null || timeout.isNegative()) {
            throw new AlruConfigurationException("alru.cluster.startup-timeout must be zero or positive, was: "
                    + (timeout == null ? "empty" : DurationStyle.SIMPLE.print(timeout)));
        }
        return new ClusterStartupWait(tier, timeout);
    }
}
