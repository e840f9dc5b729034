package io.github.alru.redis;

import java.time.Duration;

import io.github.alru.cluster.ClusterCache;
import io.github.alru.cluster.ClusterCacheSpec;
import io.github.alru.cluster.ClusterTier;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The cluster tier on Redis: CLUSTER caches of every instance connected to the same Redis with the
 * same key prefix share values, loads and invalidations. Connects through Spring Data Redis's
 * {@link RedisConnectionFactory} (Lettuce), so Boot's {@code spring.data.redis.*} settings apply.
 */
public class RedisClusterTier implements ClusterTier, AutoCloseable {

    private final Link link;
    private final JsonMapper mapper;
    private final JsonMapper keyMapper;
    private final RedisConnectionFactory factory;
    private boolean started; // guarded by this

    /**
     * Creates the tier. Its link (the heartbeat and the subscription to the event channel) starts
     * when the first cache joins, so an application without CLUSTER caches never talks to Redis.
     *
     * @param connectionFactory Spring Data Redis's connection factory, on Lettuce
     * @param mapper writes values and arguments as JSON, configured as the application configures Jackson
     * @param settings the tier's settings
     */
    public RedisClusterTier(RedisConnectionFactory connectionFactory, JsonMapper mapper, ClusterSettings settings) {
        this.mapper = mapper;
        this.keyMapper = KeyCodec.canonical(mapper);
        this.factory = connectionFactory;
        this.link = new Link(connectionFactory, mapper, settings);
    }

    @Override
    public synchronized ClusterCache join(ClusterCacheSpec spec) {
        if (!(factory instanceof LettuceConnectionFactory)) {
            throw new IllegalStateException("alru-redis needs Spring Data Redis on Lettuce, Boot's default client, and the"
                    + " connection factory is a " + factory.getClass().getName() + ": remove spring.data.redis.client-type=jedis"
                    + " (or the Jedis dependency), or make the cache local");
        }
        RedisClusterCache cache = new RedisClusterCache(spec, link, mapper, keyMapper);
        link.register(cache);
        if (!started) {
            started = true;
            link.start();
        }
        return cache;
    }

    @Override
    public boolean linkUp() {
        return link.up();
    }

    /**
     * Waits until the link is usable (connected, subscribed, its first heartbeat back), at most
     * {@code timeout}; at once when no cache has joined, since then the link has not started.
     *
     * @throws IllegalStateException when Redis refuses the tier's commands (an ACL without them, a
     *     proxy without scripts or pub/sub); the message names the address and what to grant
     */
    @Override
    public boolean awaitLinkUp(Duration timeout) throws InterruptedException {
        synchronized (this) {
            if (!started) {
                return true;
            }
        }
        return link.awaitFirstUp(timeout);
    }

    @Override
    public String address() {
        return link.redisAddress();
    }

    /**
     * Returns the tier's settings.
     *
     * @return the settings
     */
    public ClusterSettings settings() {
        return link.settings();
    }

    /** Stops the heartbeat and the subscription; CLUSTER caches then answer from this instance alone. */
    @Override
    public void close() {
        link.close();
    }
}
