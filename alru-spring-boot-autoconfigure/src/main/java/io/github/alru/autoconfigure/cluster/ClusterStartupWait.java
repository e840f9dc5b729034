package io.github.alru.autoconfigure.cluster;

import java.time.Duration;

import io.github.alru.cluster.ClusterTier;
import io.github.alru.spring.AlruConfigurationException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Holds the start, once every singleton exists (so every CLUSTER cache has joined) and before any
 * lifecycle starts (the web server among them), until the cluster link is usable: a CLUSTER cache
 * then shares from the first call. Past {@code alru.cluster.startup-timeout} the start goes on with
 * the link down and one warning; the link comes up later by itself.
 */
final class ClusterStartupWait implements SmartInitializingSingleton {

    private static final Log logger = LogFactory.getLog(ClusterStartupWait.class);

    private final ObjectProvider<ClusterTier> tier;
    private final Duration timeout;

    ClusterStartupWait(ObjectProvider<ClusterTier> tier, Duration timeout) {
        this.tier = tier;
        this.timeout = timeout;
    }

    @Override
    public void afterSingletonsInstantiated() {
        ClusterTier current = tier.getIfUnique();
        if (current == null) {
            return;
        }
        boolean up;
        try {
            up = current.awaitLinkUp(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (IllegalStateException e) {
            throw new AlruConfigurationException("alru cluster: " + e.getMessage());
        }
        if (!up) {
            logger.warn("alru cluster: " + current.address() + " could not be reached within alru.cluster.startup-timeout ("
                    + (timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + "s" : timeout.toMillis() + "ms") + "); starting with the link down: CLUSTER caches answer from this"
                    + " instance alone until it comes up, which it does by itself");
        }
    }
}
