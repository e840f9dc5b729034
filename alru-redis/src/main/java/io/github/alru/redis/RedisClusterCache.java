package io.github.alru.redis;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import io.github.alru.AlruTieredLoad;
import io.github.alru.cluster.ClusterCache;
import io.github.alru.cluster.ClusterCacheSpec;
import io.github.alru.cluster.ClusterStats;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.MapperBuilder;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.MapperFeature;

/**
 * One CLUSTER cache on Redis.
 *
 * <p><b>Keys.</b> The arguments are written as JSON (map entries and properties sorted, and with
 * {@code typed} their runtime classes too); the key's hash is the SHA-256 of that text, the same
 * in every JVM. Arguments that cannot be written make a call local (logged once).
 *
 * <p><b>One load per key across instances.</b> A local miss runs {@link Scripts#ACQUIRE} on the
 * caller's thread (at most {@code redis-timeout}): the stored value (a hit), or the lease (the
 * method runs here, the lease renewed every third of its length, and the value stored by
 * {@link Scripts#STORE} only if neither the lease nor the cache's epoch changed), or another
 * instance's lease: the call then waits, woken by that instance's "done" event or by a jittered
 * poll, and asks again, until {@code alru.cluster.wait} has passed and it runs the method here,
 * keeping the value on this instance only.
 *
 * <p><b>Failures</b> never reach a caller: a Redis error or timeout makes the call local, and a
 * value that cannot be written is kept here only.
 */
final class RedisClusterCache implements ClusterCache {

    private static final Log logger = LogFactory.getLog(RedisClusterCache.class);

    private final ClusterCacheSpec spec;
    private final Link link;
    private final JsonMapper values;
    private final JsonMapper keys;
    private final JavaType valueType;
    private final JavaType[] parameterTypes;
    private final byte[] epochKey;
    private final String base;
    private final Map<String, CompletableFuture<Void>> done = new ConcurrentHashMap<>();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder waits = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder invalidations = new LongAdder();
    private final AtomicBoolean warnedUnwritableKey = new AtomicBoolean();
    private final AtomicBoolean warnedUnwritableValue = new AtomicBoolean();
    private final AtomicBoolean warnedUnreadableValue = new AtomicBoolean();

    RedisClusterCache(ClusterCacheSpec spec, Link link, JsonMapper mapper) {
        this.spec = spec;
        this.link = link;
        this.values = mapper;
        MapperBuilder<JsonMapper, ?> keyMapper = mapper.rebuild()
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY);
        this.keys = keyMapper.build();
        this.valueType = mapper.getTypeFactory().constructType(spec.valueType());
        this.parameterTypes = Arrays.stream(spec.parameterTypes()).map(type -> mapper.getTypeFactory().constructType(type))
                .toArray(JavaType[]::new);
        String prefix = link.settings().keyPrefix();
        this.base = prefix + ":{" + spec.name() + "}:";
        this.epochKey = bytes(base + "epoch");
    }

    String name() {
        return spec.name();
    }

    // ---- loads

    @Override
    public <V> AlruTieredLoad<V> load(@Nullable Object[] args, Supplier<? extends CompletionStage<V>> method) {
        AlruTieredLoad<V> result = new AlruTieredLoad<>();
        String hash = hashOf(args);
        if (hash == null || !link.up()) {
            misses.increment();
            runHere(method, result);
            return result;
        }
        List<Object> reply;
        CompletableFuture<List<Object>> acquired = link.evalForWaitingCaller(Scripts.ACQUIRE, ScriptOutputType.MULTI, epochKey,
                bytes(base), bytes(hash), bytes(Long.toString(link.settings().lease().toMillis())));
        try {
            reply = acquired.get(link.settings().redisTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            acquired.cancel(false);
            errors.increment();
            misses.increment();
            runHere(method, result);
            return result;
        }
        onAcquire(reply, hash, method, result, System.nanoTime() + link.settings().maxWait().toNanos(), false, true);
        return result;
    }

    private <T> CompletableFuture<T> acquire(String hash) {
        return link.eval(Scripts.ACQUIRE, ScriptOutputType.MULTI, epochKey, bytes(base), bytes(hash),
                bytes(Long.toString(link.settings().lease().toMillis())));
    }

    /** Acts on an ACQUIRE reply; {@code onCallersThread} when the method may run right here, synchronously. */
    private <V> void onAcquire(List<Object> reply, String hash, Supplier<? extends CompletionStage<V>> method,
            AlruTieredLoad<V> result, long deadline, boolean waited, boolean onCallersThread) {
        String kind = text(reply.get(0));
        switch (kind) {
            case "V" -> {
                byte[] stored = (byte[]) reply.get(1);
                V value;
                try {
                    value = values.readerFor(valueType).readValue(stored);
                } catch (RuntimeException e) {
                    errors.increment();
                    if (warnedUnreadableValue.compareAndSet(false, true)) {
                        logger.warn("alru cluster: a value of cache '" + spec.name() + "' stored in Redis cannot be read as "
                                + valueType + "; it counts as a miss and the next load replaces it (" + e.getMessage() + ")");
                    }
                    link.eval(Scripts.DISCARD_UNREADABLE, ScriptOutputType.INTEGER, epochKey, bytes(base), bytes(hash), stored)
                            .whenComplete((ignored, error) -> retry(hash, method, result, deadline, waited));
                    return;
                }
                hits.increment();
                long pttl = (Long) reply.get(2);
                result.completeFromSharedTier(value, pttl >= 0 ? Duration.ofMillis(pttl) : null);
            }
            case "L" -> {
                misses.increment();
                String epoch = text(reply.get(1));
                String token = text(reply.get(2));
                if (onCallersThread) {
                    runLeased(hash, epoch, token, method, result);
                } else {
                    runElsewhere(() -> runLeased(hash, epoch, token, method, result));
                }
            }
            default -> {
                if (!waited) {
                    waits.increment();
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    misses.increment();
                    runElsewhere(() -> runHere(method, result));
                    return;
                }
                CompletableFuture<Void> wakeUp = done.computeIfAbsent(hash, h -> new CompletableFuture<>());
                long poll = Math.min(TimeUnit.NANOSECONDS.toMillis(remaining) + 1, Link.jittered(Duration.ofMillis(100)).toMillis());
                ScheduledFuture<?> timer = link.timer().schedule(() -> wakeUp.complete(null), poll, TimeUnit.MILLISECONDS);
                wakeUp.whenCompleteAsync((ignored, error) -> {
                    timer.cancel(false);
                    done.remove(hash, wakeUp);
                    retry(hash, method, result, deadline, true);
                }, link.executor());
            }
        }
    }

    private <V> void retry(String hash, Supplier<? extends CompletionStage<V>> method, AlruTieredLoad<V> result, long deadline,
            boolean waited) {
        if (!link.up()) {
            misses.increment();
            runHere(method, result);
            return;
        }
        this.<List<Object>>acquire(hash).whenCompleteAsync((reply, error) -> {
            if (error != null) {
                errors.increment();
                misses.increment();
                runHere(method, result);
            } else {
                onAcquire(reply, hash, method, result, deadline, waited, false);
            }
        }, link.executor());
    }

    /** Runs the method on the link's executor: what it throws has reached its callers through the load already. */
    private void runElsewhere(Runnable run) {
        link.executor().execute(() -> {
            try {
                run.run();
            } catch (RuntimeException | Error e) {
                logger.debug("alru cluster: the method of cache '" + spec.name() + "' threw", e);
            }
        });
    }

    /** Runs the method here, keeping its value on this instance only; what it throws reaches the load and is rethrown. */
    private <V> void runHere(Supplier<? extends CompletionStage<V>> method, AlruTieredLoad<V> result) {
        CompletionStage<V> stage;
        try {
            stage = method.get();
        } catch (RuntimeException | Error e) {
            result.completeExceptionally(e);
            throw e;
        }
        stage.whenComplete((value, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
            } else {
                result.completeLoaded(value, lifetime());
            }
        });
    }

    /** Runs the method under the lease, renewing it, and shares the value if the lease still holds. */
    private <V> void runLeased(String hash, String epoch, String token, Supplier<? extends CompletionStage<V>> method,
            AlruTieredLoad<V> result) {
        long renewEvery = Math.max(1, link.settings().lease().toMillis() / 3);
        ScheduledFuture<?> renewal = link.timer().scheduleAtFixedRate(() -> link.eval(Scripts.RENEW, ScriptOutputType.INTEGER,
                epochKey, bytes(base), bytes(hash), bytes(epoch), bytes(token), bytes(Long.toString(link.settings().lease().toMillis()))),
                renewEvery, renewEvery, TimeUnit.MILLISECONDS);
        result.whenComplete((value, error) -> {
            if (result.isCancelled()) { // every caller gave up: so does the load, and its lease goes
                renewal.cancel(false);
                release(hash, epoch, token);
            }
        });
        CompletionStage<V> stage;
        try {
            stage = method.get();
        } catch (RuntimeException | Error e) {
            renewal.cancel(false);
            release(hash, epoch, token);
            result.completeExceptionally(e);
            throw e;
        }
        stage.whenComplete((value, error) -> {
            renewal.cancel(false);
            if (error != null) {
                release(hash, epoch, token);
                result.completeExceptionally(error);
                return;
            }
            Duration lifetime = lifetime();
            byte[] json;
            try {
                json = values.writerFor(valueType).writeValueAsBytes(value);
            } catch (RuntimeException e) {
                errors.increment();
                if (warnedUnwritableValue.compareAndSet(false, true)) {
                    logger.warn("alru cluster: a value of cache '" + spec.name() + "' cannot be written as JSON; it is kept on"
                            + " this instance only (" + e.getMessage() + ")");
                }
                release(hash, epoch, token);
                result.completeLoaded(value, lifetime);
                return;
            }
            link.<Long>eval(Scripts.STORE, ScriptOutputType.INTEGER, epochKey, bytes(base), bytes(hash), bytes(epoch), bytes(token),
                    json, bytes(lifetime == null ? "0" : Long.toString(Math.max(1, lifetime.toMillis()))))
                    .whenComplete((stored, storeError) -> {
                        if (storeError != null) {
                            errors.increment();
                            result.completeLoaded(value, lifetime); // Redis failed, the value is fresh: keep it here
                        } else if (stored == 1L) {
                            link.publish("D", spec.name(), hash);
                            result.completeLoaded(value, lifetime);
                        } else {
                            link.publish("D", spec.name(), hash);
                            result.completeWithoutKeeping(value); // invalidated, cleared or taken over while it ran
                        }
                    });
        });
    }

    private void release(String hash, String epoch, String token) {
        link.eval(Scripts.RELEASE, ScriptOutputType.INTEGER, epochKey, bytes(base), bytes(hash), bytes(epoch), bytes(token))
                .whenComplete((released, error) -> link.publish("D", spec.name(), hash));
    }

    /** A finished entry's lifetime: the ttl plus a uniform share of the jitter, or none. */
    private @Nullable Duration lifetime() {
        Duration ttl = spec.ttl();
        if (ttl == null) {
            return null;
        }
        Duration jitter = spec.jitter();
        if (jitter == null || jitter.isZero()) {
            return ttl;
        }
        return ttl.plusMillis(ThreadLocalRandom.current().nextLong(jitter.toMillis() + 1));
    }

    // ---- invalidation

    @Override
    public void invalidate(@Nullable Object[] args) {
        String json = argumentsJson(args);
        if (json == null) {
            return; // never shared: nothing in Redis, and no instance keyed it for the cluster
        }
        String hash = hash(json, args);
        link.eval(Scripts.INVALIDATE, ScriptOutputType.INTEGER, epochKey, bytes(base), bytes(hash))
                .whenComplete((removed, error) -> {
                    if (error != null) {
                        errors.increment();
                    }
                });
        boolean exact = readsBackEqual(json, args);
        link.publish(exact ? "I" : "A", spec.name(), exact ? json : "");
    }

    @Override
    public void clear() {
        link.<byte[]>eval(Scripts.CLEAR, ScriptOutputType.VALUE, epochKey).whenComplete((old, error) -> {
            if (error != null) {
                errors.increment();
            } else {
                link.executor().execute(() -> deleteEpoch(text(old)));
            }
        });
        link.publish("C", spec.name(), "");
    }

    /** Deletes the keys of an epoch a clear left behind; best effort, since those without a ttl would otherwise stay. */
    private void deleteEpoch(String epoch) {
        RedisClusterAsyncCommands<byte[], byte[]> commands = link.commands();
        if (commands == null) {
            return;
        }
        ScanArgs match = ScanArgs.Builder.matches(base + epoch + ":*").limit(500);
        try {
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<byte[]> page = commands.scan(cursor, match).get(10, TimeUnit.SECONDS);
                if (!page.getKeys().isEmpty()) {
                    commands.del(page.getKeys().toArray(byte[][]::new)).get(10, TimeUnit.SECONDS);
                }
                cursor = page;
            } while (!cursor.isFinished());
        } catch (Exception e) {
            logger.debug("alru cluster: deleting the keys of cache '" + spec.name() + "' left by a clear failed", e);
        }
    }

    void onEvent(String type, String payload) {
        switch (type) {
            case "I" -> {
                invalidations.increment();
                @Nullable Object[] args = readArguments(payload);
                if (args == null) {
                    spec.local().invalidateAllLocally();
                } else {
                    spec.local().invalidateLocally(args);
                }
            }
            case "A", "C" -> {
                invalidations.increment();
                spec.local().invalidateAllLocally();
            }
            case "D" -> {
                CompletableFuture<Void> waiting = done.remove(payload);
                if (waiting != null) {
                    waiting.complete(null);
                }
            }
            default -> {
                // an event of a later version: nothing to do
            }
        }
    }

    void dropLocalCopy() {
        spec.local().invalidateAllLocally();
    }

    @Override
    public ClusterStats stats() {
        return new ClusterStats(hits.sum(), misses.sum(), waits.sum(), errors.sum(), invalidations.sum());
    }

    // ---- keys

    /** The Redis key hash of these arguments, or {@code null} when they cannot be written as JSON. */
    @Nullable String hashOf(@Nullable Object[] args) {
        String json = argumentsJson(args);
        return json == null ? null : hash(json, args);
    }

    /** The full Redis key of a value for these arguments in the given epoch (for tests and tools). */
    String valueKey(String epoch, String hash) {
        return base + epoch + ":v:" + hash;
    }

    private @Nullable String argumentsJson(@Nullable Object[] args) {
        try {
            return keys.writeValueAsString(args);
        } catch (RuntimeException e) {
            if (warnedUnwritableKey.compareAndSet(false, true)) {
                logger.warn("alru cluster: arguments of cache '" + spec.name() + "' cannot be written as JSON, so such calls are"
                        + " served as LOCAL calls (" + e.getMessage() + ")");
            }
            return null;
        }
    }

    private String hash(String json, @Nullable Object[] args) {
        StringBuilder text = new StringBuilder(json);
        if (spec.typed()) {
            for (Object arg : args) {
                text.append('|').append(arg == null ? "null" : arg.getClass().getName());
            }
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }

    private @Nullable Object @Nullable [] readArguments(String json) {
        try {
            JsonNode array = keys.readTree(json);
            if (array.size() != parameterTypes.length) {
                return null;
            }
            Object[] args = new Object[parameterTypes.length];
            for (int i = 0; i < args.length; i++) {
                args[i] = keys.treeToValue(array.get(i), parameterTypes[i]);
            }
            return args;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Whether another instance, reading these arguments back from JSON, gets equal ones (of the same classes, when typed). */
    private boolean readsBackEqual(String json, @Nullable Object[] args) {
        @Nullable Object[] back = readArguments(json);
        if (back == null || !Arrays.deepEquals(back, args)) {
            return false;
        }
        if (spec.typed()) {
            for (int i = 0; i < args.length; i++) {
                if (args[i] != null && back[i] != null && args[i].getClass() != back[i].getClass()) {
                    return false;
                }
            }
        }
        return true;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Object reply) {
        return reply instanceof byte[] raw ? new String(raw, StandardCharsets.UTF_8) : String.valueOf(reply);
    }

    Type valueTypeForTests() {
        return spec.valueType();
    }
}
