package io.github.alru.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the cluster tier, validated when built.
 *
 * @param keyPrefix the prefix of every Redis key and channel alru uses; instances share caches only with the same prefix
 * @param lease how long one instance's load of a key is trusted without renewal; renewed while the load runs
 * @param maxWait the longest a call waits for another instance's load before it runs the method itself
 * @param redisTimeout the longest any Redis command may take before the call goes on without Redis
 * @param heartbeat how often each instance checks its link to Redis; a link whose heartbeats go
 *     unanswered for three periods that this JVM ran on time is down, and word of any lost message
 *     drops the local copies of CLUSTER caches
 */
public record ClusterSettings(String keyPrefix, Duration lease, Duration maxWait, Duration redisTimeout, Duration heartbeat) {

    /** The defaults: prefix {@code alru}, lease 30s, wait 30s, Redis timeout 250ms, heartbeat 200ms. */
    public static final ClusterSettings DEFAULTS = new ClusterSettings("alru", Duration.ofSeconds(30), Duration.ofSeconds(30),
            Duration.ofMillis(250), Duration.ofMillis(200));

    /**
     * Validates the settings.
     *
     * @param keyPrefix the prefix of every Redis key and channel
     * @param lease how long a load's lease is trusted without renewal
     * @param maxWait the longest a call waits for another instance's load
     * @param redisTimeout the longest any Redis command may take
     * @param heartbeat how often the link is checked
     * @throws IllegalArgumentException naming a blank prefix or a duration that is not positive
     */
    public ClusterSettings {
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        if (keyPrefix.isBlank() || keyPrefix.contains("{") || keyPrefix.contains("}")) {
            throw new IllegalArgumentException("alru.cluster.key-prefix must not be blank or contain braces, was: '" + keyPrefix + "'");
        }
        positive("alru.cluster.lease", lease);
        positive("alru.cluster.wait", maxWait);
        positive("alru.cluster.redis-timeout", redisTimeout);
        positive("heartbeat", heartbeat);
    }

    private static void positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, was: " + value);
        }
    }
}
