package io.github.alru.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import io.github.alru.AlruTieredLoad;
import io.github.alru.cluster.ClusterCache;
import io.github.alru.cluster.ClusterCacheSpec;
import io.github.alru.cluster.ClusterStats;
import io.github.alru.cluster.ResyncReason;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * One CLUSTER cache on Redis.
 *
 * <p><b>Keys</b> come from {@link KeyCodec}: canonical JSON of the arguments, trusted only when it
 * reads back equal to them; other calls are LOCAL. Invalidations and clears go through an
 * {@link InvalidationOutbox}, retried until Redis confirms them.
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
    private final KeyCodec codec;
    private final JavaType valueType;
    private final byte[] epochKey;
    /** This instance's ttl plus jitter in ms, or "0": no copy is trusted to live longer. */
    private final byte[] longestLifetime;
    private final String base;
    private final Map<String, CompletableFuture<Void>> done = new ConcurrentHashMap<>();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder waits = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder invalidations = new LongAdder();
    private final Map<ResyncReason, LongAdder> resyncs = new EnumMap<>(ResyncReason.class);
    private final AtomicBoolean warnedUnwritableValue = new AtomicBoolean();
    private final AtomicBoolean warnedUnreadableValue = new AtomicBoolean();
    private final InvalidationOutbox outbox;

    RedisClusterCache(ClusterCacheSpec spec, Link link, JsonMapper mapper) {
        this.spec = spec;
        this.link = link;
        this.values = mapper;
        this.codec = new KeyCodec(spec, mapper);
        for (ResyncReason reason : ResyncReason.values()) {
            resyncs.put(reason, new LongAdder());
        }
        this.valueType = mapper.getTypeFactory().constructType(spec.valueType());
        String prefix = link.settings().keyPrefix();
        this.base = prefix + ":{" + spec.name() + "}:";
        this.epochKey = bytes(base + "epoch");
        Duration ttl = spec.ttl();
        Duration jitter = spec.jitter() == null ? Duration.ZERO : spec.jitter();
        this.longestLifetime = bytes(ttl == null ? "0" : Long.toString(Math.max(1, ttl.plus(jitter).toMillis())));
        this.outbox = new InvalidationOutbox(new InvalidationOutbox.Sender() {
            @Override
            public CompletableFuture<Boolean> invalidate(String hash, String event) {
                return sendInvalidation(hash, event, null);
            }

            @Override
            public CompletableFuture<Boolean> clear() {
                return sendClear();
            }
        });
    }

    String name() {
        return spec.name();
    }

    // ---- loads

    @Override
    public <V> AlruTieredLoad<V> load(@Nullable Object[] args, Supplier<? extends CompletionStage<V>> method, boolean callerMayBlock) {
        return load(Scripts.ACQUIRE, args, method, callerMayBlock);
    }

    @Override
    public <V> AlruTieredLoad<V> reload(@Nullable Object[] args, Supplier<? extends CompletionStage<V>> method,
            boolean callerMayBlock) {
        return load(Scripts.RELOAD, args, method, callerMayBlock);
    }

    /** A load through the tier; {@code script} is {@link Scripts#ACQUIRE} for a miss, {@link Scripts#RELOAD} for a refresh. */
    private <V> AlruTieredLoad<V> load(String script, @Nullable Object[] args, Supplier<? extends CompletionStage<V>> method,
            boolean callerMayBlock) {
        AlruTieredLoad<V> result = new AlruTieredLoad<>();
        long deadline = System.nanoTime() + link.settings().maxWait().toNanos();
        KeyCodec.Key key = codec.keyOf(args);
        if (key == null || !key.shared() || !link.up()) {
            misses.increment();
            runHere(method, result);
            return result;
        }
        String hash = key.hash();
        if (!callerMayBlock) {
            attempt(script, hash, method, result, deadline, false);
            return result;
        }
        String nonce = nonce();
        CompletableFuture<List<Object>> acquired = link.evalForWaitingCaller(script, ScriptOutputType.MULTI, epochKey,
                bytes(base), bytes(hash), bytes(Long.toString(link.settings().lease().toMillis())), bytes(nonce), longestLifetime);
        List<Object> reply;
        try {
            reply = acquired.get(link.settings().redisTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            acquired.cancel(false);
            releaseOwn(hash, nonce); // the script may have run and granted a lease this call never heard of
            errors.increment();
            misses.increment();
            runHere(method, result);
            return result;
        }
        onAcquire(script, reply, hash, method, result, deadline, false, true);
        return result;
    }

    /** Asks Redis again, off the caller's thread: after a wait, or for a caller that must not block. */
    private <V> void attempt(String script, String hash, Supplier<? extends CompletionStage<V>> method, AlruTieredLoad<V> result,
            long deadline, boolean waited) {
        if (result.isDone()) {
            return; // every caller gave up, or the cache closed: nothing runs
        }
        if (!link.up()) {
            misses.increment();
            runElsewhere(() -> runHere(method, result), result);
            return;
        }
        String nonce = nonce();
        long remaining = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        link.<List<Object>>eval(script, ScriptOutputType.MULTI, epochKey, bytes(base), bytes(hash),
                bytes(Long.toString(link.settings().lease().toMillis())), bytes(nonce), longestLifetime)
                .orTimeout(Math.min(remaining, link.settings().redisTimeout().toMillis()), TimeUnit.MILLISECONDS)
                .whenCompleteAsync((reply, error) -> onReply(reply, error, script, hash, nonce, method, result, deadline, waited),
                        link.executor());
    }

    /**
     * Acts, off the caller's thread, on the reply to a script that may grant this call the lease
     * under {@code nonce}: a Redis error or timeout makes the call local, after releasing a lease
     * the script may have granted to a reply that never arrived.
     */
    private <V> void onReply(@Nullable List<Object> reply, @Nullable Throwable error, String script, String hash, String nonce,
            Supplier<? extends CompletionStage<V>> method, AlruTieredLoad<V> result, long deadline, boolean waited) {
        quietly(() -> {
            if (error != null || reply == null) {
                releaseOwn(hash, nonce);
                errors.increment();
                misses.increment();
                runHere(method, result);
            } else {
                onAcquire(script, reply, hash, method, result, deadline, waited, false);
            }
        });
    }

    /** Acts on an ACQUIRE or RELOAD reply; {@code onCallersThread} when the method may run right here, synchronously. */
    private <V> void onAcquire(String script, List<Object> reply, String hash, Supplier<? extends CompletionStage<V>> method,
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
                            .whenComplete((ignored, error) -> {
                                if (error == null && System.nanoTime() < deadline) {
                                    attempt(script, hash, method, result, deadline, waited); // the next load replaces it
                                } else {
                                    // Redis keeps the unreadable copy (or keeps getting one): load here, store nothing
                                    errors.increment();
                                    misses.increment();
                                    runElsewhere(() -> runHere(method, result), result);
                                }
                            });
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
                if (result.isDone()) {
                    release(hash, epoch, token);
                } else if (onCallersThread) {
                    runLeased(hash, epoch, token, method, result);
                } else {
                    runElsewhere(() -> runLeased(hash, epoch, token, method, result), result);
                }
            }
            case "G" -> attempt(script, hash, method, result, deadline, waited); // the lease moved on meanwhile: ask again
            default -> {
                if (!waited) {
                    waits.increment();
                }
                String holder = reply.size() > 2 ? text(reply.get(2)) : "";
                if (link.seemsGone(originOf(holder))) {
                    takeOver(script, hash, holder, method, result, deadline);
                    return;
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    misses.increment();
                    runElsewhere(() -> runHere(method, result), result);
                    return;
                }
                CompletableFuture<Void> wakeUp = done.computeIfAbsent(hash, h -> new CompletableFuture<>());
                long poll = Math.min(TimeUnit.NANOSECONDS.toMillis(remaining) + 1, 50 + ThreadLocalRandom.current().nextLong(100));
                if (!link.schedule(() -> wakeUp.complete(null), poll)) {
                    misses.increment();
                    runElsewhere(() -> runHere(method, result), result); // the tier is closing
                    return;
                }
                wakeUp.whenCompleteAsync((ignored, error) -> {
                    done.remove(hash, wakeUp);
                    attempt(script, hash, method, result, deadline, true);
                }, link.executor());
            }
        }
    }

    /**
     * Takes over the lease of an instance that is gone (its heartbeats stopped): its lease, renewed
     * by nobody, would keep every other instance waiting until it ran out. If it was only cut off,
     * its store is refused, since the lease is no longer its own.
     */
    private <V> void takeOver(String script, String hash, String holder, Supplier<? extends CompletionStage<V>> method,
            AlruTieredLoad<V> result, long deadline) {
        logger.info("alru cluster: the instance holding a load of cache '" + spec.name() + "' is gone; this one takes it over");
        String nonce = nonce();
        link.<List<Object>>eval(Scripts.TAKE_OVER, ScriptOutputType.MULTI, epochKey, bytes(base), bytes(hash),
                bytes(Long.toString(link.settings().lease().toMillis())), bytes(nonce), bytes(holder))
                .whenCompleteAsync((reply, error) -> onReply(reply, error, script, hash, nonce, method, result, deadline, true),
                        link.executor());
    }

    /** The instance a lease token names: tokens are {@code fence:origin:random}. */
    private static String originOf(String token) {
        String[] parts = token.split(":");
        return parts.length == 3 ? parts[1] : "";
    }

    /** Runs the method on the link's executor: what it throws has reached its callers through the load already. */
    private void runElsewhere(Runnable run, CompletableFuture<?> result) {
        link.executor().execute(() -> {
            if (!result.isDone()) {
                quietly(run);
            }
        });
    }

    private void quietly(Runnable run) {
        try {
            run.run();
        } catch (Throwable e) {
            logger.debug("alru cluster: the method of cache '" + spec.name() + "' threw", e);
        }
    }

    /** Runs the method here, keeping its value on this instance only; what it throws reaches the load and is rethrown. */
    private <V> void runHere(Supplier<? extends CompletionStage<V>> method, AlruTieredLoad<V> result) {
        CompletionStage<V> stage;
        try {
            stage = method.get();
        } catch (Throwable e) {
            result.completeExceptionally(e);
            throw sneaky(e);
        }
        cancelWith(result, stage);
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
        Renewal renewal = new Renewal(hash, epoch, token);
        result.whenComplete((value, error) -> {
            if (result.isCancelled()) { // every caller gave up, or the cache closed: the lease goes
                renewal.stop();
                release(hash, epoch, token);
            }
        });
        renewal.schedule();
        CompletionStage<V> stage;
        try {
            stage = method.get();
        } catch (Throwable e) {
            renewal.stop();
            release(hash, epoch, token);
            result.completeExceptionally(e);
            throw sneaky(e);
        }
        cancelWith(result, stage);
        stage.whenComplete((value, error) -> {
            renewal.stop();
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
                    json, bytes(lifetime == null ? "0" : Long.toString(Math.max(1, lifetime.toMillis()))),
                    bytes(spec.refresh() == null ? "0" : Long.toString(Math.max(1, spec.refresh().toMillis()))))
                    .whenComplete((stored, storeError) -> {
                        if (storeError != null) {
                            errors.increment();
                            release(hash, epoch, token); // if the store did run, there is nothing left to release
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

    /** Renews a lease every third of its length while its load runs; stops when the lease is lost. */
    private final class Renewal {
        private final String hash;
        private final String epoch;
        private final String token;
        private volatile boolean stopped;

        Renewal(String hash, String epoch, String token) {
            this.hash = hash;
            this.epoch = epoch;
            this.token = token;
        }

        void schedule() {
            if (!stopped) {
                link.schedule(this::renew, Math.max(1, link.settings().lease().toMillis() / 3));
            }
        }

        private void renew() {
            if (stopped) {
                return;
            }
            link.<Long>eval(Scripts.RENEW, ScriptOutputType.INTEGER, epochKey, bytes(base), bytes(hash), bytes(epoch), bytes(token),
                    bytes(Long.toString(link.settings().lease().toMillis()))).whenComplete((renewed, error) -> {
                        if (error != null || renewed == 1L) {
                            schedule(); // an error may be passing: try again; a lost lease is not renewed again
                        }
                    });
        }

        void stop() {
            stopped = true;
        }
    }

    /** Cancels the method's own future when the load is cancelled. */
    private static void cancelWith(CompletableFuture<?> result, CompletionStage<?> stage) {
        if (stage instanceof java.util.concurrent.Future<?> future) {
            result.whenComplete((value, error) -> {
                if (result.isCancelled()) {
                    future.cancel(true);
                }
            });
        }
    }

    private void release(String hash, String epoch, String token) {
        link.eval(Scripts.RELEASE, ScriptOutputType.INTEGER, epochKey, bytes(base), bytes(hash), bytes(epoch), bytes(token))
                .whenComplete((released, error) -> link.publish("D", spec.name(), hash));
    }

    /** Releases a lease this call may hold without knowing its token: one granted by a reply that never arrived. */
    private void releaseOwn(String hash, String nonce) {
        link.eval(Scripts.RELEASE_OWN, ScriptOutputType.INTEGER, epochKey, bytes(base), bytes(hash), bytes(nonce))
                .whenComplete((released, error) -> {
                    if (released instanceof Long count && count == 1L) {
                        link.publish("D", spec.name(), hash);
                    }
                });
    }

    /** This instance's origin and a random part: the end of a lease token, so that its holder can be told. */
    private String nonce() {
        return link.origin() + ":" + Long.toHexString(ThreadLocalRandom.current().nextLong());
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
        KeyCodec.Key key = codec.keyOf(args);
        if (key == null) {
            return; // never shared: nothing in Redis, and no instance keyed it for the cluster
        }
        String hash = key.hash();
        // arguments JSON cannot carry: the others drop every copy, since each may hold one of its own
        String event = key.shared() ? "I" + key.json() : "A";
        if (!link.up()) {
            outbox.addInvalidation(hash, event); // sent when the link is back, before it counts as up
            return;
        }
        sendInvalidation(hash, event, args).thenAccept(confirmed -> {
            if (!confirmed) {
                outbox.addInvalidation(hash, event); // retried on the next heartbeat
            }
        });
    }

    /** Deletes the key in Redis, then tells the other instances; completes with whether both were confirmed. */
    private CompletableFuture<Boolean> sendInvalidation(String hash, String event, @Nullable Object @Nullable [] args) {
        return link.eval(Scripts.INVALIDATE, ScriptOutputType.INTEGER, epochKey, bytes(base), bytes(hash))
                .thenCompose(removed -> {
                    // a call since the local invalidation may have read the old copy back from Redis
                    invalidateHereAgain(event, args);
                    return link.publish(event.substring(0, 1), spec.name(), event.substring(1));
                })
                .handle((published, error) -> {
                    if (error != null) {
                        errors.increment();
                        return false;
                    }
                    return true;
                });
    }

    /** Invalidates locally what the event names: by the arguments when known, else by those its JSON reads back as. */
    private void invalidateHereAgain(String event, @Nullable Object @Nullable [] args) {
        @Nullable Object[] named = args != null ? args : event.startsWith("I") ? codec.readArguments(event.substring(1)) : null;
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
            link.executor().execute(() -> deleteEpoch(text(old)));
            return link.publish("C", spec.name(), "");
        }).handle((published, error) -> {
            if (error != null) {
                errors.increment();
                return false;
            }
            return true;
        });
    }

    /** The invalidations and clears Redis has not confirmed yet. */
    InvalidationOutbox outbox() {
        return outbox;
    }

    /** Deletes the keys of an epoch a clear left behind; best effort, since those without a ttl would otherwise stay. */
    private void deleteEpoch(String epoch) {
        RedisClusterAsyncCommands<byte[], byte[]> commands = link.commands();
        if (commands == null) {
            return;
        }
        ScanArgs match = ScanArgs.Builder.matches(globEscaped(base + epoch + ":") + "*").limit(500);
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
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            logger.debug("alru cluster: deleting the keys of cache '" + spec.name() + "' left by a clear failed", e);
        }
    }

    /** A SCAN pattern matching {@code text} literally. */
    private static String globEscaped(String text) {
        StringBuilder escaped = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\' || c == '^' || c == '-') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable thrown) throws T {
        throw (T) thrown;
    }

    void onEvent(String type, String payload) {
        switch (type) {
            case "I" -> {
                invalidations.increment();
                @Nullable Object[] args = codec.readArguments(payload);
                if (args == null) {
                    spec.local().invalidateAllLocally();
                } else {
                    spec.local().invalidateLocally(args);
                }
            }
            case "A" -> {
                invalidations.increment();
                spec.local().invalidateAllLocally();
            }
            case "C" -> {
                invalidations.increment();
                spec.local().clearLocally();
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

    /** Wakes every call waiting for another instance's load; with the link closed, they run the method here. */
    void wakeWaiters() {
        done.values().forEach(waiting -> waiting.complete(null));
    }

    /** Drops this instance's copies, since an invalidation may have been missed; counted when {@code reason} is given. */
    void dropLocalCopy(@Nullable ResyncReason reason) {
        spec.local().invalidateAllLocally();
        if (reason != null) {
            resyncs.get(reason).increment();
        }
    }

    @Override
    public ClusterStats stats() {
        Map<ResyncReason, Long> dropped = new EnumMap<>(ResyncReason.class);
        resyncs.forEach((reason, count) -> dropped.put(reason, count.sum()));
        return new ClusterStats(hits.sum(), misses.sum(), waits.sum(), errors.sum(), invalidations.sum(), dropped);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Object reply) {
        return reply instanceof byte[] raw ? new String(raw, StandardCharsets.UTF_8) : String.valueOf(reply);
    }
}
