package io.github.alru.spring.health;

import io.github.alru.cluster.ClusterTier;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * The health component {@code alru}: whether the link to the cluster tier is up. A link that is
 * down is reported as {@code DEGRADED}, never {@code DOWN}: CLUSTER caches still answer from each
 * instance alone, so the application is not down.
 */
public class AlruClusterHealthIndicator extends AbstractHealthIndicator {

    /** The status of a link that is down: the application works, without sharing its caches. */
    public static final Status DEGRADED = new Status("DEGRADED", "CLUSTER caches answer from this instance alone");

    private final ClusterTier tier;

    /**
     * Creates the indicator.
     *
     * @param tier the cluster tier
     */
    public AlruClusterHealthIndicator(ClusterTier tier) {
        super("alru cluster health check failed");
        this.tier = tier;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean up = tier.linkUp();
        builder.status(up ? Status.UP : DEGRADED).withDetail("link", up ? "UP" : "DOWN");
    }
}
