package io.github.alru.redis;

import static io.github.alru.redis.Scripts.bytes;
import static io.github.alru.redis.Scripts.text;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
 * <p>A clear starts a new epoch: every value and lease key names its epoch, so one increment
 * orphans them all; the {@link OrphanSweeper} deletes those that would not expire.
 */
final class RedisClusterCache implements ClusterCache, LinkListener {

    private final ClusterCacheSpec spec;
    private final Link link;
    private final KeyCodec codec;
    private final byte[] epochKey;
    private final String base;
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
        this.base = link.settings().keyPrefix() + ":{" + spec.name() + "}:";
        this.epochKey = bytes(base + "epoch");
        this.leases = new LeaseProtocol(spec, link, mapper, base, counters);
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

    /** Deletes the key in Redis, then tells the other instances; completes with whether both were confirmed. */
    private CompletableFuture<Boolean> sendInvalidation(String hash, Invalidation invalidation, @Nullable Object @Nullable [] args) {
        return link.eval(Scripts.INVALIDATE, ScriptOutputType.INTEGER, epochKey, bytes(base), bytes(hash))
                .thenCompose(removed -> {
                    // a call since the local invalidation may have read the old copy back from Redis
                    invalidateHereAgain(invalidation, args);
                    return link.publish(invalidation.type(), spec.name(), invalidation.payload());
                })
                .handle((published, error) -> {
                    if (error != null) {
                        counters.errors.increment();
                        return false;
                    }
                    return true;
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

    /** Starts a new epoch in Redis, then tells the other instances; completes with whether both were confirmed. */
    private CompletableFuture<Boolean> sendClear() {
        return link.<byte[]>eval(Scripts.CLEAR, ScriptOutputType.VALUE, epochKey).thenCompose(old -> {
            spec.local().invalidateAllLocally();
            link.sweeper().sweep(base + text(old)); // what the old epoch keeps for good
            return link.publish(EventType.CLEAR, spec.name(), "");
        }).handle((published, error) -> {
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
    public CompletableFuture<Boolean> checkServer(String runId) {
        return link.<Long>eval(Scripts.CHECK_SERVER, ScriptOutputType.INTEGER, epochKey, bytes(base), bytes(runId))
                .thenApply(restarted -> {
                    if (restarted == 1L) {
                        spec.local().invalidateAllLocally(); // copies from the old process, too
                    }
                    return true;
                });
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
