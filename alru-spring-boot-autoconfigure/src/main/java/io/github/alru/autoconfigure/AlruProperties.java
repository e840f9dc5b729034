package io.github.alru.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.alru.Eviction;
import io.github.alru.Scope;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of alru, under the prefix {@code alru}.
 */
@ConfigurationProperties("alru")
public class AlruProperties {

    /** Whether @AlruCacheable methods are cached. When false, every call runs the method. */
    private boolean enabled = true;

    /**
     * Per-cache settings that override the @AlruCacheable annotation, by cache name. Names that
     * contain dots take Boot's bracket form, for example alru.caches.[pepClient.fetch].ttl=30s.
     */
    private final Map<String, Cache> caches = new LinkedHashMap<>();

    private final Shutdown shutdown = new Shutdown();

    private final Metrics metrics = new Metrics();

    private final Cluster cluster = new Cluster();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Map<String, Cache> getCaches() {
        return caches;
    }

    public Shutdown getShutdown() {
        return shutdown;
    }

    public Metrics getMetrics() {
        return metrics;
    }

    public Cluster getCluster() {
        return cluster;
    }

    /** The cluster tier: CLUSTER caches shared by every instance through Redis (needs alru-redis). */
    public static class Cluster {

        /** Prefix of every Redis key and channel alru uses; instances share caches only with the same prefix. */
        private String keyPrefix = "alru";

        /** How long one instance's load of a key is trusted without renewal; renewed while the load runs. */
        private Duration lease = Duration.ofSeconds(30);

        /** The longest a call waits for another instance's load of its key before running the method itself. */
        private Duration wait = Duration.ofSeconds(30);

        /** The longest a Redis command may take; past it the call goes on without Redis. */
        private Duration redisTimeout = Duration.ofMillis(250);

        public String getKeyPrefix() {
            return keyPrefix;
        }

        public void setKeyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }

        public Duration getLease() {
            return lease;
        }

        public void setLease(Duration lease) {
            this.lease = lease;
        }

        public Duration getWait() {
            return wait;
        }

        public void setWait(Duration wait) {
            this.wait = wait;
        }

        public Duration getRedisTimeout() {
            return redisTimeout;
        }

        public void setRedisTimeout(Duration redisTimeout) {
            this.redisTimeout = redisTimeout;
        }
    }

    /** Micrometer meters of the caches. */
    public static class Metrics {

        /** Whether every cache gets meters (cache.gets, cache.puts, ...) when a MeterRegistry exists. */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** Overrides for one cache; a setting left unset keeps the annotation's value. */
    public static class Cache {

        /** Most finished entries kept: -1 for no bound, 0 to cache nothing. */
        private Long maxSize;

        /** Lifetime of a finished entry, counted from the completion of its load. */
        private Duration ttl;

        /** Random extra lifetime, uniform in [0, jitter], added to each entry's ttl. Needs a ttl. */
        private Duration jitter;

        /** Eviction policy. */
        private Eviction eviction;

        /** Whether equal arguments of different runtime classes are cached apart. */
        private Boolean typed;

        /** Whether this method is cached. When false, every call runs the method. */
        private Boolean enabled;

        /** Where the cache lives: local to this instance, or cluster, shared by every instance through Redis (needs alru-redis). */
        private Scope scope;

        /** Refresh-ahead: a hit on an entry older than this reloads it in the background. Shorter than the ttl. */
        private Duration refresh;

        public Long getMaxSize() {
            return maxSize;
        }

        public void setMaxSize(Long maxSize) {
            this.maxSize = maxSize;
        }

        public Duration getTtl() {
            return ttl;
        }

        public void setTtl(Duration ttl) {
            this.ttl = ttl;
        }

        public Duration getJitter() {
            return jitter;
        }

        public void setJitter(Duration jitter) {
            this.jitter = jitter;
        }

        public Eviction getEviction() {
            return eviction;
        }

        public void setEviction(Eviction eviction) {
            this.eviction = eviction;
        }

        public Boolean getTyped() {
            return typed;
        }

        public void setTyped(Boolean typed) {
            this.typed = typed;
        }

        public Boolean getEnabled() {
            return enabled;
        }

        public Scope getScope() {
            return scope;
        }

        public Duration getRefresh() {
            return refresh;
        }

        public void setRefresh(Duration refresh) {
            this.refresh = refresh;
        }

        public void setScope(Scope scope) {
            this.scope = scope;
        }

        public void setEnabled(Boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** How caches are closed when the application context closes. */
    public static class Shutdown {

        /** Whether closing waits for loads in flight to finish for their callers; when false they are cancelled. */
        private boolean wait = true;

        /** Longest wait for loads in flight; those still running then are cancelled. */
        private Duration timeout = Duration.ofSeconds(30);

        public boolean isWait() {
            return wait;
        }

        public void setWait(boolean wait) {
            this.wait = wait;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }
    }
}
