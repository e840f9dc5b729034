package io.github.alru.autoconfigure.cluster;

import io.github.alru.cluster.ClusterTier;
import io.github.alru.spring.health.AlruClusterHealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The health component {@code alru}, showing the link to the cluster tier, when Boot's health
 * support is present and a cluster tier exists. Off with {@code management.health.alru.enabled=false}.
 */
@AutoConfiguration(after = AlruClusterAutoConfiguration.class)
@ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnBean(ClusterTier.class)
@ConditionalOnEnabledHealthIndicator("alru")
public class AlruClusterHealthAutoConfiguration {

    /** Creates an AlruClusterHealthAutoConfiguration. */
    public AlruClusterHealthAutoConfiguration() {
    }

    /**
     * The indicator.
     *
     * @param tier the cluster tier
     * @return the indicator
     */
    @Bean
    @ConditionalOnMissingBean(name = "alruHealthIndicator")
    public AlruClusterHealthIndicator alruHealthIndicator(ClusterTier tier) {
        return new AlruClusterHealthIndicator(tier);
    }
}
