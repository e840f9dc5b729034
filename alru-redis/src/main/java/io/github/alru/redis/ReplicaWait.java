package io.github.alru.redis;

import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Waits until a replica has what the master acknowledged ({@code WAIT 1 <redis-timeout>}), so that
 * an invalidation or a clear counts as done only once a failover can no longer undo it.
 *
 * <p>{@code WAIT} blocks the connection it runs on until a replica answers, so it never runs on
 * the connection the caches share: it gets a connection of its own, opened the first time a
 * master with replicas is met (a standalone Redis without replicas never opens it), from a
 * factory configured as the application's (same addresses, socket, Sentinel or Cluster,
 * credentials and TLS). On Redis Cluster it waits on the master of each key's slot.
 *
 * <p><b>Concurrency.</b> The connection is opened under this object's lock and then read without
 * it; Lettuce's connections are thread-safe.
 */
final class ReplicaWait implements AutoCloseable {

    private static final Log logger = LogFactory.getLog(ReplicaWait.class);

    private final LettuceConnectionFactory source;
    private final Duration timeout;
    private @Nullable LettuceConnectionFactory factory; // guarded by this
    private @Nullable RedisConnection connection; // guarded by this
    private volatile @Nullable RedisClusterAsyncCommands<byte[], byte[]> commands;
    private boolean closed; // guarded by this

    ReplicaWait(LettuceConnectionFactory source, Duration timeout) {
        this.source = source;
        this.timeout = timeout;
    }

    /**
     * Completes with whether, for every master holding one of {@code keys}, a replica has
     * acknowledged every write made before, within {@code redis-timeout}.
     */
    CompletableFuture<Boolean> replicated(Collection<byte[]> keys) {
        RedisClusterAsyncCommands<byte[], byte[]> waiting;
        try {
            waiting = commands();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        long millis = Math.max(1, timeout.toMillis());
        if (waiting instanceof RedisAdvancedClusterAsyncCommands<byte[], byte[]> cluster) {
            Partitions partitions = cluster.getStatefulConnection().getPartitions();
            Set<String> masters = keys.stream().map(key -> partitions.getMasterBySlot(SlotHash.getSlot(key)))
                    .map(node -> node == null ? "" : node.getNodeId()).collect(Collectors.toSet());
            if (masters.contains("")) {
                return CompletableFuture.failedFuture(new IllegalStateException("a slot has no master"));
            }
            CompletableFuture<?>[] waits = masters.stream()
                    .map(id -> cluster.getConnection(id).waitForReplication(1, millis).toCompletableFuture()
                            .thenApply(acknowledged -> {
                                if (acknowledged < 1) {
                                    throw new IllegalStateException("no replica of " + describe(partitions, id) + " acknowledged");
                                }
                                return acknowledged;
                            }))
                    .toArray(CompletableFuture[]::new);
            return CompletableFuture.allOf(waits).handle((all, error) -> error == null);
        }
        return waiting.waitForReplication(1, millis).toCompletableFuture().thenApply(acknowledged -> acknowledged >= 1);
    }

    private static String describe(Partitions partitions, String nodeId) {
        RedisClusterNode node = partitions.getPartitionByNodeId(nodeId);
        return node == null ? nodeId : node.getUri().getHost() + ":" + node.getUri().getPort();
    }

    private RedisClusterAsyncCommands<byte[], byte[]> commands() {
        RedisClusterAsyncCommands<byte[], byte[]> current = commands;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("closed");
            }
            if (commands == null) {
                RedisConfiguration configuration = source.getClusterConfiguration() != null ? source.getClusterConfiguration()
                        : source.getSentinelConfiguration() != null ? source.getSentinelConfiguration()
                        : source.getSocketConfiguration() != null ? source.getSocketConfiguration()
                        : source.getStandaloneConfiguration();
                LettuceConnectionFactory own = new LettuceConnectionFactory(configuration, source.getClientConfiguration());
                own.setShareNativeConnection(false); // a connection of its own: WAIT blocks the one it runs on
                own.afterPropertiesSet();
                own.start();
                factory = own;
                RedisConnection opened = own.getConnection();
                connection = opened;
                commands = ((LettuceConnection) opened).getNativeConnection();
            }
            return commands;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        try {
            if (connection != null) {
                connection.close();
            }
            if (factory != null) {
                factory.destroy();
            }
        } catch (RuntimeException e) {
            logger.debug("alru cluster: closing the connection for WAIT failed", e);
        }
    }
}
