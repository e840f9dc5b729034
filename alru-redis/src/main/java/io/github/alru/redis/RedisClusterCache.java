package io.github.alru.redis;

import static io.github.alru.redis.Scripts.bytes;
import static io.github.alru.redis.Scripts.text;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

import io.github.alru.AlruTieredLoad;
import io.github.alru.cluster.ClusterCache;
import io.github.alru.cluster.ClusterCacheSpec;
import io.github.alru.cluster.ClusterStats;
import io.github.alru.cluster.ResyncReason;
import io.github.alru.redis.InvalidationOutbox.Invalidation;
import io.lettuce.core.ScriptOutputType;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * One CLUSTER cache on Redis: what the cache on this instance asks of the tier, and what the link
 * tells it. It keys calls with a {@link KeyCodec} (canonical JSON of the arguments, trusted only
 * when it reads back equal to them; other calls are LOCAL), loads through the {@link LeaseProtocol}
 * (one load per key across instances), and sends invalidations and clears through an
 * {@link InvalidationOutbox}, which retries them until Redis confirms them.
 *
 * <p>The cache's keys live in {@link KeySpace#BUCKETS} buckets, spread over every shard of a Redis
 * Cluster. A clear starts a new epoch in each: every value and lease key names its epoch, so one
 * write per bucket orphans them all; the {@link OrphanSweeper} deletes those that would not expire.
 * An invalidation or a clear is done once Redis applied it, a replica has it where the master has
 * replicas ({@code WAIT}, so a failover cannot undo it), and the other instances were told.
 */
final class RedisClusterCache implements ClusterCache, LinkListener {

    private final ClusterCacheSpec spec;
    private final Link link;
    private final KeyCodec codec;
    private final KeySpace space;
    /** The run id of the Redis process that served each bucket at this instance's last check, or null. */
    private final AtomicReferenceArray<@Nullable String> servers = new AtomicReferenceArray<>(KeySpace.BUCKETS);
    /** The outbox's name for invalidations of arguments JSON cannot write: no key in Redis is theirs. */
    private static final String UNWRITTEN = "unwritten";
    private final ClusterCounters counters = new ClusterCounters();
    private final LeaseProtocol leases;
    private final InvalidationOutbox outbox;

    /**
     * @param mapper writes and reads values
     * @param keyMapper writes keys: {@link KeyCodec#canonical} of the same mapper, shared by the tier's caches
     */
    RedisClusterCache(ClusterCacheSpec spec, Link link, JsonMapper mapper, JsonMapper keyMapper) {
        this.spec = spec;
        this.link = link;
        this.codec = new KeyCodec(spec, keyMapper);
        this.space = new KeySpace(link.settings().keyPrefix(), spec.name());
        this.leases = new LeaseProtocol(spec, link, mapper, space, counters);
        this.outbox = new InvalidationOutbox(new InvalidationOutbox.Sender() {
            @Override
            public CompletableFuture<Boolean> invalidate(String hash, Invalidation invalidation) {
                return sendInvalidation(hash, invalidation, null);
            }

            @Override
            public CompletableFuture<Boolean> clear() {
                return sendClear();
            }
        });
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public <V> AlruTieredLoad<V> load(@Nullable Object[] args, Supplier<? extends CompletionStage<V>> method, boolean callerMayBlock) {
        return leases.load(Scripts.ACQUIRE, sharedHash(args), method, callerMayBlock);
    }

    @Override
    public <V> AlruTieredLoad<V> reload(@Nullable Object[] args, Supplier<? extends CompletionStage<V>> method,
            boolean callerMayBlock) {
        return leases.load(Scripts.RELOAD, sharedHash(args), method, callerMayBlock);
    }

    /** The hash of the call's key, or {@code null} when the call is not shared (it is LOCAL). */
    private @Nullable String sharedHash(@Nullable Object[] args) {
        KeyCodec.Key key = codec.keyOf(args);
        return key == null || !key.shared() ? null : key.hash();
    }


    @Override
    public void invalidate(@Nullable Object[] args) {
        KeyCodec.Key key = codec.keyOf(args);
        // Arguments JSON cannot carry (or cannot write at all, so nothing is in Redis under them): the
        // others drop every copy, since each may hold an entry of its own for equal arguments.
        String hash = key == null ? UNWRITTEN : key.hash();
        Invalidation invalidation = key != null && key.shared() ? new Invalidation(EventType.INVALIDATE, key.json())
                : new Invalidation(EventType.INVALIDATE_ALL, "");
        if (!link.up()) {
            outbox.addInvalidation(hash, invalidation); // sent when the link is back, before it counts as up
            return;
        }
        sendInvalidation(hash, invalidation, args).thenAccept(confirmed -> {
            if (!confirmed) {
                outbox.addInvalidation(hash, invalidation); // retried on the next heartbeat
            }
        });
    }

    /**
     * Deletes the key in Redis, tells the other instances, then waits for a replica where the
     * master has one; completes with whether all of it was confirmed. The others are told before
     * the replica answers, so a slow replica delays no instance's drop, only the confirmation.
     */
    private CompletableFuture<Boolean> sendInvalidation(String hash, Invalidation invalidation, @Nullable Object @Nullable [] args) {
        CompletableFuture<List<byte[]>> removed = hash.equals(UNWRITTEN) ? CompletableFuture.completedFuture(List.of())
                : removeInRedis(hash, 1);
        return removed.thenCompose(onMasters -> {
            // a call since the local invalidation may have read the old copy back from Redis
            invalidateHereAgain(invalidation, args);
            return link.publish(invalidation.type(), spec.name(), invalidation.payload()).thenCompose(published -> onReplicas(onMasters));
        }).handle((done, error) -> {
            if (error != null) {
                counters.errors.increment();
                return false;
            }
            return true;
        });
    }

    /**
     * Removes the key's value, lease and fresh marker in its bucket's epoch, asking again under the
     * epoch Redis names if a clear came between; completes with the key to wait for a replica on,
     * if its master has replicas.
     */
    private CompletableFuture<List<byte[]>> removeInRedis(String hash, int tries) {
        int bucket = KeySpace.bucketOf(hash);
        String epoch = space.knownEpoch(bucket);
        return link.<List<Object>>eval(Scripts.INVALIDATE, ScriptOutputType.MULTI, Link.keys(space.epochKey(bucket),
                space.key(bucket, epoch, "v", hash), space.key(bucket, epoch, "l", hash), space.key(bucket, epoch, "f", hash),
                space.keysSet(bucket, epoch)), bytes(epoch), bytes(hash)).thenCompose(reply -> {
                    if (text(reply.get(0)).equals("E")) {
                        space.sawEpoch(bucket, text(reply.get(1)));
                        if (tries >= 3) {
                            throw new IllegalStateException("cache '" + spec.name() + "' is cleared faster than it can be invalidated");
                        }
                        return removeInRedis(hash, tries + 1);
                    }
                    return CompletableFuture.completedFuture((Long) reply.get(1) > 0 || link.behindSentinel()
                            ? List.of(space.epochKey(bucket)) : List.of());
                });
    }

    /** Completes once a replica of each master holding {@code keys} has what was written there (at once for none); fails otherwise. */
    private CompletableFuture<Void> onReplicas(List<byte[]> keys) {
        if (keys.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return link.replicated(keys).thenAccept(replicated -> {
            if (!replicated) {
                throw new IllegalStateException("no replica acknowledged a write of cache '" + spec.name() + "'");
            }
        });
    }

    /** Invalidates locally what the invalidation names: by the arguments when known, else by those its JSON reads back as. */
    private void invalidateHereAgain(Invalidation invalidation, @Nullable Object @Nullable [] args) {
        @Nullable Object[] named = args != null ? args
                : invalidation.type() == EventType.INVALIDATE ? codec.readArguments(invalidation.payload()) : null;
        if (named != null) {
            spec.local().invalidateLocally(named);
        } else {
            spec.local().invalidateAllLocally(); // arguments JSON cannot carry: every copy may be one of them
        }
    }

    @Override
    public void clear() {
        if (!link.up()) {
            outbox.addClear();
            return;
        }
        sendClear().thenAccept(confirmed -> {
            if (!confirmed) {
                outbox.addClear();
            }
        });
    }

    /**
     * Starts a new epoch in every bucket, tells the other instances, then waits for a replica where
     * the masters have one; completes with whether all of it was confirmed. A clear sent again after a
     * failure starts new epochs again, which only empties what the first had emptied.
     */
    private CompletableFuture<Boolean> sendClear() {
        List<byte[]> replicated = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<?>[] clears = new CompletableFuture<?>[KeySpace.BUCKETS];
        for (int bucket = 0; bucket < KeySpace.BUCKETS; bucket++) {
            int cleared = bucket;
            clears[bucket] = link.<List<Object>>eval(Scripts.CLEAR, ScriptOutputType.MULTI, Link.keys(space.epochKey(bucket)))
                    .thenAccept(reply -> {
                        String old = text(reply.get(0));
                        space.sawEpoch(cleared, text(reply.get(1)));
                        if (!old.equals("none")) {
                            link.sweeper().sweep(space.base(cleared) + old); // what the old epoch keeps for good
                        }
                        if ((Long) reply.get(2) > 0 || link.behindSentinel()) {
                            replicated.add(space.epochKey(cleared));
                        }
                    });
        }
        return CompletableFuture.allOf(clears).thenCompose(all -> {
            spec.local().invalidateAllLocally();
            return link.publish(EventType.CLEAR, spec.name(), "");
        }).thenCompose(published -> onReplicas(replicated)).handle((done, error) -> {
            if (error != null) {
                counters.errors.increment();
                return false;
            }
            return true;
        });
    }

    @Override
    public InvalidationOutbox outbox() {
        return outbox;
    }

    @Override
    public void onEvent(EventType type, String payload) {
        switch (type) {
            case INVALIDATE -> {
                counters.invalidations.increment();
                @Nullable Object[] args = codec.readArguments(payload);
                if (args == null) {
                    spec.local().invalidateAllLocally();
                } else {
                    spec.local().invalidateLocally(args);
                }
            }
            case INVALIDATE_ALL -> {
                counters.invalidations.increment();
                spec.local().invalidateAllLocally();
            }
            case CLEAR -> {
                counters.invalidations.increment();
                spec.local().clearLocally();
            }
            case DONE -> leases.loadEnded(payload);
            case HEARTBEAT -> {
                // the link's own business
            }
        }
    }

    @Override
    public CompletableFuture<java.util.Set<String>> checkServer() {
        java.util.Set<String> another = java.util.concurrent.ConcurrentHashMap.newKeySet();
        long generation = link.generation();
        List<CompletableFuture<?>> checks = new java.util.ArrayList<>();
        for (int bucket = 0; bucket < KeySpace.BUCKETS; bucket++) {
            if (space.checked(bucket)) {
                continue;
            }
            int checking = bucket;
            checks.add(link.<List<Object>>eval(Scripts.CHECK_SERVER, ScriptOutputType.MULTI,
                    Link.keys(space.epochKey(bucket), space.key(bucket, "server"))).handle((reply, error) -> {
                        if (error != null) {
                            return null; // its shard is away: the bucket stays unchecked, its calls local, until a later try
                        }
                        String runId = text(reply.get(1));
                        String before = servers.getAndSet(checking, runId);
                        if (before != null && !before.equals(runId)) {
                            another.add(runId);
                        }
                        if ((Long) reply.get(0) == 1L) {
                            spec.local().invalidateAllLocally(); // copies from the old process, too
                        }
                        if (link.generation() == generation) { // else a connection went or came meanwhile: check again
                            space.markChecked(checking);
                        }
                        return null;
                    }));
        }
        return CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).thenApply(all -> java.util.Set.copyOf(another));
    }

    @Override
    public boolean fullyChecked() {
        return !space.anyUnchecked();
    }

    @Override
    public void uncheck() {
        space.uncheckAll();
    }

    @Override
    public void wakeWaiters() {
        leases.wakeWaiters();
    }

    @Override
    public void dropLocalCopies(@Nullable ResyncReason reason) {
        spec.local().invalidateAllLocally();
        if (reason != null) {
            counters.resynced(reason);
        }
    }

    @Override
    public ClusterStats stats() {
        return counters.snapshot();
    }
}
