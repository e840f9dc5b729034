package io.github.alru.autoconfigure.cluster;

import io.github.alru.redis.RedisClusterTier;
import io.github.alru.spring.AlruCacheLifecycle;
import org.springframework.context.SmartLifecycle;

/**
 * Closes the cluster tier when the context stops: right after the caches have closed, and before
 * Redis's connection factory stops (phase 0), so the tier's last invalidations still reach Redis
 * and its subscription ends on a live connection.
 */
final class ClusterTierShutdown implements SmartLifecycle {

    /** Just after the caches close ({@link AlruCacheLifecycle#PHASE}); stopping goes from high phases to low. */
    static final int PHASE = AlruCacheLifecycle.PHASE - 1;

    private final RedisClusterTier tier;
    private volatile boolean running;

    ClusterTierShutdown(RedisClusterTier tier) {
        this.tier = tier;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        tier.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
