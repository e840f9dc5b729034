package io.github.alru.redis;

import static io.github.alru.redis.Scripts.bytes;
import static io.github.alru.redis.Scripts.text;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import io.github.alru.AlruTieredLoad;
import io.github.alru.cluster.ClusterCacheSpec;
import io.lettuce.core.ScriptOutputType;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * One load per key across instances, for one CLUSTER cache: the lease protocol.
 *
 * <p>A local miss runs {@link Scripts#ACQUIRE} on the caller's thread (at most
 * {@code redis-timeout}; off it for a caller that must not block), which answers one of
 * {@link LeaseReply}: the stored value (a hit); the lease (the method runs here, the lease renewed
 * every third of its length, and the value stored by {@link Scripts#STORE} only if neither the
 * lease nor the cache's epoch changed); or another instance's lease. The call then waits, woken by
 * that instance's {@link EventType#DONE} event or by a jittered poll, and asks again, until
 * {@code alru.cluster.wait} has passed and it runs the method here, keeping the value on this
 * instance only. A holder that seems gone ({@link Link#seemsGone}) has its lease taken over.
 *
 * <p><b>Failures</b> never reach a caller: a Redis error or timeout makes the call local (after
 * releasing a lease the script may have granted to a reply that never arrived), and a value that
 * cannot be written is kept here only.
 *
 * <p><b>Concurrency.</b> Replies are handled on the link's executor, never on Lettuce's threads;
 * {@link #done} holds one wake-up per key that calls are waiting on, completed by the event, the
 * poll or {@link #wakeWaiters}, whichever comes first.
 */
final class LeaseProtocol {

    private static final Log logger = LogFactory.getLog(LeaseProtocol.class);

    private final ClusterCacheSpec spec;
    private final Link link;
    private final JsonMapper values;
    private final JavaType valueType;
    private final KeySpace space;
    /** This instance's ttl plus jitter in ms, or "0": no copy is trusted to live longer. */
    private final byte[] longestLifetime;
    private final ClusterCounters counters;
    private final Map<String, CompletableFuture<Void>> done = new ConcurrentHashMap<>();
    private final AtomicBoolean warnedUnwritableValue = new AtomicBoolean();
    private final AtomicBoolean warnedUnreadableValue = new AtomicBoolean();

    LeaseProtocol(ClusterCacheSpec spec, Link link, JsonMapper values, KeySpace space, ClusterCounters counters) {
        this.spec = spec;
        this.link = link;
        this.values = values;
        this.valueType = values.getTypeFactory().constructType(spec.valueType());
        this.space = space;
        this.counters = counters;
        Duration ttl = spec.ttl();
        Duration jitter = spec.jitter() == null ? Duration.ZERO : spec.jitter();
        this.longestLifetime = bytes(ttl == null ? "0" : Long.toString(Math.max(1, ttl.plus(jitter).toMillis())));
    }

    /**
     * A load through the tier.
     *
     * @param script {@link Scripts#ACQUIRE} for a miss, {@link Scripts#RELOAD} for a refresh
     * @param hash the key's hash, or {@code null} for a call that is not shared: it runs here
     * @param callerMayBlock whether the first round trip may run on the caller's thread
     */
    <V> AlruTieredLoad<V> load(String script, @Nullable String hash, Supplier<? extends CompletionStage<V>> method,
            boolean callerMayBlock) {
        AlruTieredLoad<V> result = new AlruTieredLoad<>();
        long deadline = System.nanoTime() + link.settings().maxWait().toNanos();
        if (hash != null && link.verifying()) {
            // Just reconnected: the link checks which Redis it reaches (one round trip); wait for that
            if (!callerMayBlock) {
                link.whenVerified().orTimeout(link.settings().redisTimeout().toMillis(), TimeUnit.MILLISECONDS)
                        .whenCompleteAsync((verified, error) -> attempt(script, hash, method, result, deadline, false), link.executor());
                return result;
            }
            try {
                link.whenVerified().get(link.settings().redisTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                // not verified in time: the call is local
            }
        }
        if (hash == null || !link.up() || !space.checked(KeySpace.bucketOf(hash))) {
            counters.misses.increment();
            runHere(method, result);
            return result;
        }
        if (!callerMayBlock) {
            attempt(script, hash, method, result, deadline, false);
            return result;
        }
        String nonce = nonce();
        for (int tries = 1;; tries++) {
            Asked asked = asked(hash);
            CompletableFuture<List<Object>> acquired = link.evalForWaitingCaller(script, ScriptOutputType.MULTI,
                    acquireKeys(asked), acquireArguments(asked, nonce));
            List<Object> reply;
            try {
                reply = acquired.get(link.settings().redisTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                acquired.cancel(false);
                releaseOwn(asked, nonce); // the script may have run and granted a lease this call never heard of
                counters.errors.increment();
                counters.misses.increment();
                runHere(method, result);
                return result;
            }
            if (tries < 3 && LeaseReply.of(text(reply.get(0))) == LeaseReply.EPOCH) {
                space.sawEpoch(asked.bucket(), text(reply.get(1))); // a clear came between: ask again under its epoch
                continue;
            }
            onAcquire(script, reply, asked, method, result, deadline, false, true);
            return result;
        }
    }

    /** The keys of {@link Scripts#ACQUIRE} and {@link Scripts#RELOAD}, under the epoch the question is asked in. */
    private byte[][] acquireKeys(Asked asked) {
        int bucket = asked.bucket();
        String epoch = asked.epoch();
        String hash = asked.hash();
        return Link.keys(space.epochKey(bucket), space.key(bucket, epoch, "v", hash), space.key(bucket, epoch, "l", hash),
                space.key(bucket, "fence"), space.key(bucket, epoch, "f", hash));
    }

    private byte[][] acquireArguments(Asked asked, String nonce) {
        return new byte[][] {bytes(asked.epoch()), bytes(Long.toString(link.settings().lease().toMillis())), bytes(nonce),
                longestLifetime};
    }

    /** Asks Redis again, off the caller's thread: after a wait, or for a caller that must not block. */
    private <V> void attempt(String script, String hash, Supplier<? extends CompletionStage<V>> method, AlruTieredLoad<V> result,
            long deadline, boolean waited) {
        if (result.isDone()) {
            return; // every caller gave up, or the cache closed: nothing runs
        }
        if (!link.up() || !space.checked(KeySpace.bucketOf(hash))) {
            counters.misses.increment();
            runElsewhere(() -> runHere(method, result), result);
            return;
        }
        String nonce = nonce();
        Asked asked = asked(hash);
        long remaining = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - asked.at()));
        link.<List<Object>>eval(script, ScriptOutputType.MULTI, acquireKeys(asked), acquireArguments(asked, nonce))
                .orTimeout(Math.min(remaining, link.settings().redisTimeout().toMillis()), TimeUnit.MILLISECONDS)
                .whenCompleteAsync((reply, error) -> onReply(reply, error, asked, script, nonce, method, result, deadline,
                        waited), link.executor());
    }

    /**
     * Acts, off the caller's thread, on the reply to a script that may grant this call the lease
     * under {@code nonce}: a Redis error or timeout makes the call local, after releasing a lease
     * the script may have granted to a reply that never arrived.
     */
    private <V> void onReply(@Nullable List<Object> reply, @Nullable Throwable error, Asked asked, String script,
            String nonce, Supplier<? extends CompletionStage<V>> method, AlruTieredLoad<V> result, long deadline, boolean waited) {
        quietly(() -> {
            if (error != null || reply == null) {
                releaseOwn(asked, nonce);
                counters.errors.increment();
                counters.misses.increment();
                runHere(method, result);
            } else {
                onAcquire(script, reply, asked, method, result, deadline, waited, false);
            }
        });
    }

    /**
     * Acts on an ACQUIRE or RELOAD reply to the question {@code asked};
     * {@code onCallersThread} when the method may run right here, synchronously.
     */
    private <V> void onAcquire(String script, List<Object> reply, Asked asked,
            Supplier<? extends CompletionStage<V>> method, AlruTieredLoad<V> result, long deadline, boolean waited,
            boolean onCallersThread) {
        String hash = asked.hash();
        int bucket = asked.bucket();
        switch (LeaseReply.of(text(reply.get(0)))) {
            case VALUE -> {
                if (link.generation() != asked.generation()) {
                    // Lettuce may have sent the question again on a new connection, to a Redis that
                    // restarted from an old snapshot: the link checks that Redis before it is trusted
                    counters.misses.increment();
                    if (onCallersThread) {
                        runHere(method, result);
                    } else {
                        runElsewhere(() -> runHere(method, result), result);
                    }
                    return;
                }
                byte[] stored = (byte[]) reply.get(1);
                V value;
                try {
                    value = values.readerFor(valueType).readValue(stored);
                } catch (RuntimeException e) {
                    counters.errors.increment();
                    if (warnedUnreadableValue.compareAndSet(false, true)) {
                        logger.warn("alru cluster: a value of cache '" + spec.name() + "' stored in Redis cannot be read as "
                                + valueType + "; it counts as a miss and the next load replaces it (" + e.getMessage() + ")");
                    }
                    link.eval(Scripts.DISCARD_UNREADABLE, ScriptOutputType.INTEGER, Link.keys(space.key(bucket, asked.epoch(), "v",
                            hash), space.keysSet(bucket, asked.epoch())), stored, bytes(hash))
                            .whenComplete((ignored, error) -> {
                                if (error == null && System.nanoTime() < deadline) {
                                    attempt(script, hash, method, result, deadline, waited); // the next load replaces it
                                } else {
                                    // Redis keeps the unreadable copy (or keeps getting one): load here, store nothing
                                    counters.errors.increment();
                                    counters.misses.increment();
                                    runElsewhere(() -> runHere(method, result), result);
                                }
                            });
                    return;
                }
                counters.hits.increment();
                long pttl = (Long) reply.get(2);
                // The copy's life counts from when Redis answered, at the latest when it was asked: the
                // local copy never outlives the Redis one by the round trip.
                long left = pttl - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked.at());
                result.completeFromSharedTier(value, pttl >= 0 ? Duration.ofMillis(Math.max(0, left)) : null);
            }
            case LEASE -> {
                counters.misses.increment();
                String epoch = text(reply.get(1));
                String token = text(reply.get(2));
                Leased leased = new Leased(bucket, hash, epoch, token);
                if (result.isDone()) {
                    release(leased);
                } else if (onCallersThread) {
                    runLeased(leased, method, result);
                } else {
                    runElsewhere(() -> runLeased(leased, method, result), result);
                }
            }
            case MOVED -> attempt(script, hash, method, result, deadline, waited); // the lease moved on meanwhile: ask again
            case EPOCH -> {
                space.sawEpoch(bucket, text(reply.get(1))); // a clear came between: ask again under its epoch
                if (System.nanoTime() < deadline) {
                    attempt(script, hash, method, result, deadline, waited);
                } else {
                    counters.misses.increment();
                    runElsewhere(() -> runHere(method, result), result);
                }
            }
            case WAIT -> {
                if (!waited) {
                    counters.waits.increment();
                }
                String holder = reply.size() > 2 ? text(reply.get(2)) : "";
                link.seemsGone(originOf(holder)).whenCompleteAsync((gone, error) -> quietly(() -> {
                    if (Boolean.TRUE.equals(gone)) {
                        takeOver(script, asked, holder, method, result, deadline);
                    } else {
                        waitFor(script, hash, method, result, deadline);
                    }
                }), link.executor());
            }
        }
    }

    /** Waits for another instance's load of {@code hash}: woken by its DONE event or a jittered poll, then asks again. */
    private <V> void waitFor(String script, String hash, Supplier<? extends CompletionStage<V>> method, AlruTieredLoad<V> result,
            long deadline) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            counters.misses.increment();
            runElsewhere(() -> runHere(method, result), result);
            return;
        }
        CompletableFuture<Void> wakeUp = done.computeIfAbsent(hash, h -> new CompletableFuture<>());
        long poll = Math.min(TimeUnit.NANOSECONDS.toMillis(remaining) + 1, 50 + ThreadLocalRandom.current().nextLong(100));
        if (!link.schedule(() -> wakeUp.complete(null), poll)) {
            counters.misses.increment();
            runElsewhere(() -> runHere(method, result), result); // the tier is closing
            return;
        }
        wakeUp.whenCompleteAsync((ignored, error) -> {
            done.remove(hash, wakeUp);
            attempt(script, hash, method, result, deadline, true);
        }, link.executor());
    }

    /**
     * Takes over the lease of an instance that is gone (its liveness key expired): its lease, renewed
     * by nobody, would keep every other instance waiting until it ran out. If it was only cut off,
     * its store is refused, since the lease is no longer its own.
     */
    private <V> void takeOver(String script, Asked waited, String holder, Supplier<? extends CompletionStage<V>> method,
            AlruTieredLoad<V> result, long deadline) {
        logger.info("alru cluster: the instance holding a load of cache '" + spec.name() + "' is gone; this one takes it over");
        String nonce = nonce();
        Asked asked = new Asked(System.nanoTime(), link.generation(), waited.bucket(), waited.hash(), waited.epoch());
        int bucket = asked.bucket();
        link.<List<Object>>eval(Scripts.TAKE_OVER, ScriptOutputType.MULTI, Link.keys(space.epochKey(bucket),
                space.key(bucket, asked.epoch(), "l", asked.hash()), space.key(bucket, "fence")), bytes(asked.epoch()),
                bytes(Long.toString(link.settings().lease().toMillis())), bytes(nonce), bytes(holder))
                .whenCompleteAsync((reply, error) -> onReply(reply, error, asked, script, nonce, method, result, deadline,
                        true), link.executor());
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
    private <V> void runLeased(Leased leased, Supplier<? extends CompletionStage<V>> method, AlruTieredLoad<V> result) {
        Renewal renewal = new Renewal(leased);
        result.whenComplete((value, error) -> {
            if (result.isCancelled()) { // every caller gave up, or the cache closed: the lease goes
                renewal.stop();
                release(leased);
            }
        });
        renewal.schedule();
        CompletionStage<V> stage;
        try {
            stage = method.get();
        } catch (Throwable e) {
            renewal.stop();
            release(leased);
            result.completeExceptionally(e);
            throw sneaky(e);
        }
        cancelWith(result, stage);
        stage.whenComplete((value, error) -> {
            renewal.stop();
            if (error != null) {
                release(leased);
                result.completeExceptionally(error);
                return;
            }
            Duration lifetime = lifetime();
            byte[] json;
            try {
                json = values.writerFor(valueType).writeValueAsBytes(value);
            } catch (RuntimeException e) {
                counters.errors.increment();
                if (warnedUnwritableValue.compareAndSet(false, true)) {
                    logger.warn("alru cluster: a value of cache '" + spec.name() + "' cannot be written as JSON; it is kept on"
                            + " this instance only (" + e.getMessage() + ")");
                }
                release(leased);
                result.completeLoaded(value, lifetime);
                return;
            }
            int bucket = leased.bucket();
            String epoch = leased.epoch();
            String hash = leased.hash();
            link.<Long>eval(Scripts.STORE, ScriptOutputType.INTEGER, Link.keys(space.epochKey(bucket), leased.leaseKey(space),
                    space.key(bucket, epoch, "v", hash), space.keysSet(bucket, epoch), space.key(bucket, epoch, "f", hash)),
                    bytes(epoch), bytes(leased.token()), json,
                    bytes(lifetime == null ? "0" : Long.toString(Math.max(1, lifetime.toMillis()))),
                    bytes(spec.refresh() == null ? "0" : Long.toString(Math.max(1, spec.refresh().toMillis()))), bytes(hash))
                    .whenComplete((stored, storeError) -> {
                        if (storeError != null) {
                            counters.errors.increment();
                            release(leased); // if the store did run, there is nothing left to release
                            result.completeLoaded(value, lifetime); // Redis failed, the value is fresh: keep it here
                        } else if (stored == 1L) {
                            link.publish(EventType.DONE, spec.name(), hash);
                            result.completeLoaded(value, lifetime);
                        } else {
                            link.publish(EventType.DONE, spec.name(), hash);
                            result.completeWithoutKeeping(value); // invalidated, cleared or taken over while it ran
                        }
                    });
        });
    }

    /** Renews a lease every third of its length while its load runs; stops when the lease is lost. */
    private final class Renewal {
        private final Leased leased;
        private volatile boolean stopped;

        Renewal(Leased leased) {
            this.leased = leased;
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
            link.<Long>eval(Scripts.RENEW, ScriptOutputType.INTEGER, Link.keys(leased.leaseKey(space)), bytes(leased.token()),
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

    private void release(Leased leased) {
        link.eval(Scripts.RELEASE, ScriptOutputType.INTEGER, Link.keys(leased.leaseKey(space)), bytes(leased.token()))
                .whenComplete((released, error) -> link.publish(EventType.DONE, spec.name(), leased.hash()));
    }

    /**
     * Releases a lease this call may hold without knowing its token: one granted by a reply that
     * never arrived, under the epoch the question named its keys by.
     */
    private void releaseOwn(Asked asked, String nonce) {
        link.eval(Scripts.RELEASE_OWN, ScriptOutputType.INTEGER,
                Link.keys(space.key(asked.bucket(), asked.epoch(), "l", asked.hash())), bytes(nonce))
                .whenComplete((released, error) -> {
                    if (released instanceof Long count && count == 1L) {
                        link.publish(EventType.DONE, spec.name(), asked.hash());
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

    /**
     * A question to Redis about a key: when it went, in nanoTime; on which of the link's connections
     * ({@link Link#generation()}); and the key's bucket, hash and the epoch its keys were named under.
     */
    private record Asked(long at, long generation, int bucket, String hash, String epoch) {
    }

    private Asked asked(String hash) {
        int bucket = KeySpace.bucketOf(hash);
        return new Asked(System.nanoTime(), link.generation(), bucket, hash, space.knownEpoch(bucket));
    }

    /** A lease this instance holds: for the key {@code hash} of {@code bucket}, in {@code epoch}, under {@code token}. */
    private record Leased(int bucket, String hash, String epoch, String token) {
        byte[] leaseKey(KeySpace space) {
            return space.key(bucket, epoch, "l", hash);
        }
    }

    /** Wakes the calls waiting for the load of {@code hash} on another instance: it ended. */
    void loadEnded(String hash) {
        CompletableFuture<Void> waiting = done.remove(hash);
        if (waiting != null) {
            waiting.complete(null);
        }
    }

    /** Wakes every call waiting for another instance's load; with the link closed, they run the method here. */
    void wakeWaiters() {
        done.values().forEach(waiting -> waiting.complete(null));
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable thrown) throws T {
        throw (T) thrown;
    }
}
