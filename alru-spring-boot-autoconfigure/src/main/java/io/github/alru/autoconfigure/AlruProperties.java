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

    /** Creates an AlruProperties. */
    public AlruProperties() {
    }

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

    /**
     * Tells whether it is enabled.
     *
     * @return whether it is enabled
     */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Sets the enabled setting.
     *
     * @param enabled the enabled setting
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * Returns the per-cache settings, by cache name.
     *
     * @return the per-cache settings, by cache name
     */
    public Map<String, Cache> getCaches() {
        return caches;
    }

    /**
     * Returns the shutdown setting.
     *
     * @return the shutdown setting
     */
    public Shutdown getShutdown() {
        return shutdown;
    }

    /**
     * Returns the metrics setting.
     *
     * @return the metrics setting
     */
    public Metrics getMetrics() {
        return metrics;
    }

    /**
     * Returns the cluster setting.
     *
     * @return the cluster setting
     */
    public Cluster getCluster() {
        return cluster;
    }

    /** The cluster tier: CLUSTER caches shared by every instance through Redis (needs alru-redis). */
    public static class Cluster {

        /** Creates a Cluster. */
        public Cluster() {
        }

        /** Prefix of every Redis key and channel alru uses; instances share caches only with the same prefix. */
        private String keyPrefix = "alru";

        /** How long one instance's load of a key is trusted without renewal; renewed while the load runs. */
        private Duration lease = Duration.ofSeconds(30);

        /** The longest a call waits for another instance's load of its key before running the method itself. */
        private Duration wait = Duration.ofSeconds(30);

        /** The longest a Redis command may take; past it the call goes on without Redis. */
        private Duration redisTimeout = Duration.ofMillis(250);

        /**
         * The longest the start waits for the link to Redis, so that CLUSTER caches share from the
         * first call; past it the application starts with the link down, which comes up by itself.
         */
        private Duration startupTimeout = Duration.ofSeconds(10);

        /**
         * Returns the startup timeout setting.
         *
         * @return the startup timeout setting
         */
        public Duration getStartupTimeout() {
            return startupTimeout;
        }

        /**
         * Sets the startup timeout setting.
         *
         * @param startupTimeout the startup timeout setting
         */
        public void setStartupTimeout(Duration startupTimeout) {
            this.startupTimeout = startupTimeout;
        }

        /**
         * Returns the key prefix setting.
         *
         * @return the key prefix setting
         */
        public String getKeyPrefix() {
            return keyPrefix;
        }

        /**
         * Sets the key prefix setting.
         *
         * @param keyPrefix the key prefix setting
         */
        public void setKeyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }

        /**
         * Returns the lease setting.
         *
         * @return the lease setting
         */
        public Duration getLease() {
            return lease;
        }

        /**
         * Sets the lease setting.
         *
         * @param lease the lease setting
         */
        public void setLease(Duration lease) {
            this.lease = lease;
        }

        /**
         * Returns the wait setting.
         *
         * @return the wait setting
         */
        public Duration getWait() {
            return wait;
        }

        /**
         * Sets the wait setting.
         *
         * @param wait the wait setting
         */
        public void setWait(Duration wait) {
            this.wait = wait;
        }

        /**
         * Returns the redis timeout setting.
         *
         * @return the redis timeout setting
         */
        public Duration getRedisTimeout() {
            return redisTimeout;
        }

        /**
         * Sets the redis timeout setting.
         *
         * @param redisTimeout the redis timeout setting
         */
        public void setRedisTimeout(Duration redisTimeout) {
            this.redisTimeout = redisTimeout;
        }
    }

    /** Micrometer meters of the caches. */
    public static class Metrics {

        /** Creates a Metrics. */
        public Metrics() {
        }

        /** Whether every cache gets meters (cache.gets, cache.puts, ...) when a MeterRegistry exists. */
        private boolean enabled = true;

        /**
         * Tells whether it is enabled.
         *
         * @return whether it is enabled
         */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Sets the enabled setting.
         *
         * @param enabled the enabled setting
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** Overrides for one cache; a setting left unset keeps the annotation's value. */
    public static class Cache {

        /** Creates a Cache. */
        public Cache() {
        }

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

        /**
         * Returns the max size setting.
         *
         * @return the max size setting
         */
        public Long getMaxSize() {
            return maxSize;
        }

        /**
         * Sets the max size setting.
         *
         * @param maxSize the max size setting
         */
        public void setMaxSize(Long maxSize) {
            this.maxSize = maxSize;
        }

        /**
         * Returns the ttl setting.
         *
         * @return the ttl setting
         */
        public Duration getTtl() {
            return ttl;
        }

        /**
         * Sets the ttl setting.
         *
         * @param ttl the ttl setting
         */
        public void setTtl(Duration ttl) {
            this.ttl = ttl;
        }

        /**
         * Returns the jitter setting.
         *
         * @return the jitter setting
         */
        public Duration getJitter() {
            return jitter;
        }

        /**
         * Sets the jitter setting.
         *
         * @param jitter the jitter setting
         */
        public void setJitter(Duration jitter) {
            this.jitter = jitter;
        }

        /**
         * Returns the eviction setting.
         *
         * @return the eviction setting
         */
        public Eviction getEviction() {
            return eviction;
        }

        /**
         * Sets the eviction setting.
         *
         * @param eviction the eviction setting
         */
        public void setEviction(Eviction eviction) {
            this.eviction = eviction;
        }

        /**
         * Returns the typed setting.
         *
         * @return the typed setting
         */
        public Boolean getTyped() {
            return typed;
        }

        /**
         * Sets the typed setting.
         *
         * @param typed the typed setting
         */
        public void setTyped(Boolean typed) {
            this.typed = typed;
        }

        /**
         * Returns the enabled setting.
         *
         * @return the enabled setting
         */
        public Boolean getEnabled() {
            return enabled;
        }

        /**
         * Returns the scope setting.
         *
         * @return the scope setting
         */
        public Scope getScope() {
            return scope;
        }

        /**
         * Returns the refresh setting.
         *
         * @return the refresh setting
         */
        public Duration getRefresh() {
            return refresh;
        }

        /**
         * Sets the refresh setting.
         *
         * @param refresh the refresh setting
         */
        public void setRefresh(Duration refresh) {
            this.refresh = refresh;
        }

        /**
         * Sets the scope setting.
         *
         * @param scope the scope setting
         */
        public void setScope(Scope scope) {
            this.scope = scope;
        }

        /**
         * Sets the enabled setting.
         *
         * @param enabled the enabled setting
         */
        public void setEnabled(Boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** How caches are closed when the application context closes. */
    public static class Shutdown {

        /** Creates a Shutdown. */
        public Shutdown() {
        }

        /** Whether closing waits for loads in flight to finish for their callers; when false they are cancelled. */
        private boolean wait = true;

        /** Longest wait for loads in flight; those still running then are cancelled. */
        private Duration timeout = Duration.ofSeconds(30);

        /**
         * Tells whether closing waits for loads in flight.
         *
         * @return whether closing waits for loads in flight
         */
        public boolean isWait() {
            return wait;
        }

        /**
         * Sets the wait setting.
         *
         * @param wait the wait setting
         */
        public void setWait(boolean wait) {
            this.wait = wait;
        }

        /**
         * Returns the timeout setting.
         *
         * @return the timeout setting
         */
        public Duration getTimeout() {
            return timeout;
        }

        /**
         * Sets the timeout setting.
         *
         * @param timeout the timeout setting
         */
        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }
    }
}
