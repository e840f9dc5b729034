package io.github.alru.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.github.alru.cluster.ResyncReason;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.event.connection.ConnectionDeactivatedEvent;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.SubscriptionListener;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import reactor.core.Disposable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One instance's link to Redis: the commands connection, the event channel, and whether the link
 * can be trusted.
 *
 * <p><b>Events.</b> Every instance publishes on one channel, {@code <prefix>:events}, JSON
 * messages numbered by a sequence of its own: invalidations, clears, "load done" wake-ups and
 * heartbeats. Messages are numbered and sent under one lock, and Lettuce writes commands in call
 * order, so each origin's messages arrive in order. Redis pub/sub delivers at most once, and loses
 * messages only with the subscription (a lost connection, an overflowing output buffer): a receiver
 * whose subscription is made again, or that sees a gap in another origin's numbers, may have missed
 * an invalidation, and drops the local copies of every CLUSTER cache ({@link ResyncReason}). The
 * first event of an origin since the subscription began only sets where its numbers start; a gap
 * in this instance's own numbers drops nothing, since what it sent it had applied here already.
 *
 * <p><b>Heartbeats, at a cost of O(N).</b> Each instance publishes its heartbeat on a channel of its
 * own, {@code <prefix>:heartbeat:<origin>}, which only it subscribes to, and refreshes its
 * liveness key {@code <prefix>:alive:<origin>} (it lives five periods): N idle instances cost Redis
 * 2N commands and N deliveries a period, not the N² deliveries of one channel all of them read.
 * Whether another instance is gone ({@link #seemsGone}) is read from its liveness key, when a call
 * waits on its lease. An origin's numbers on the event channel then count its events only, so a
 * lost event shows as a gap at that origin's next event.
 *
 * <p><b>Health.</b> Each instance receives its own heartbeats. When none arrives over three
 * heartbeat ticks that ran on time the link is down: caches answer from this instance alone and
 * Redis is not asked (a circuit breaker, so a dead Redis costs callers nothing). Silence is counted
 * in ticks, not in time: a tick that runs late (by more than a period) finds this JVM was stopped
 * (a long garbage collection, a throttled container), not Redis, and does not count, so a pause of
 * this JVM is never taken for an outage. When the heartbeats come back, the
 * invalidations Redis had not confirmed are sent, then the link is up again and the local copies
 * are dropped, since messages may have been lost meanwhile. Before the link is first up, a probe
 * script tells a Redis that refuses the tier's commands from one that is only away.
 *
 * <p><b>Which Redis.</b> After any connection went or came (Lettuce's connection events, a new
 * subscription), the link is not trusted until it has read the server's run id and told every cache
 * ({@link #verify}): a Redis that restarted, perhaps from a snapshot older than the last
 * invalidations, or a replica that took over, makes the first instance to see each cache there
 * start a new epoch of it, so nothing the snapshot brought back is served. Calls wait for that
 * check (one round trip, at most {@code redis-timeout}), and a value asked for on an older
 * connection is not trusted ({@link #generation()}).
 *
 * <p>The commands connection is Spring Data's shared Lettuce connection, used through its
 * asynchronous API, so every command can be given up after {@code redis-timeout} without holding
 * a thread. Continuations run on the link's own executor, never on Lettuce's event loop.
 */
final class Link implements MessageListener, SubscriptionListener, AutoCloseable {

    private static final Log logger = LogFactory.getLog(Link.class);

    private final RedisConnectionFactory factory;
    private final JsonMapper mapper;
    private final ClusterSettings settings;
    private final String origin = UUID.randomUUID().toString();
    private final byte[] channel;
    private final byte[] heartbeatChannel;
    private final byte[] aliveKey;
    /** When each other instance's liveness key was last seen, in nanoTime: trusted for a period. */
    private final Map<String, Long> seenAlive = new ConcurrentHashMap<>();
    /** Messages this link received, heartbeats included: what Redis delivered to it. */
    private final java.util.concurrent.atomic.LongAdder received = new java.util.concurrent.atomic.LongAdder();
    private final ScheduledThreadPoolExecutor timer;
    private final ExecutorService executor;
    private final Executor continuations;
    private final ExecutorService dispatcher;
    private final AtomicBoolean startingListener = new AtomicBoolean();
    private final RedisMessageListenerContainer listener;
    private final Map<String, LinkListener> caches = new ConcurrentHashMap<>();
    private final Map<String, Long> lastSequence = new ConcurrentHashMap<>();
    private final Map<String, String> digests = new ConcurrentHashMap<>();
    /** When each origin was last heard from (any event, heartbeats included), in nanoTime. */
    private final Map<String, Long> lastHeard = new ConcurrentHashMap<>();
    private final Object publishLock = new Object();
    private long sequence; // guarded by publishLock
    private volatile @Nullable RedisClusterAsyncCommands<byte[], byte[]> commands;
    private volatile boolean up;
    private volatile long lastOwnHeartbeat = System.nanoTime();
    private volatile long ownHeartbeatsHeard;
    private long lastTick = System.nanoTime(); // the timer's thread only, as are the two below
    private long heardAtLastTick;
    private int silentTicks;
    private volatile boolean closed;
    private volatile boolean probed;
    private volatile boolean everUp;
    private final AtomicInteger subscriptions = new AtomicInteger();
    private volatile @Nullable String refusal;
    private final CompletableFuture<Void> firstUp = new CompletableFuture<>();
    private final OrphanSweeper sweeper = new OrphanSweeper(this);
    /** Counts the connections' comings and goings: a reply asked on an older one is not trusted as a value. */
    private final AtomicLong generation = new AtomicLong();
    /** Whether the Redis process behind the connection has been checked since it last (re)connected. */
    private volatile boolean verified;
    private final Object verification = new Object();
    /** Completed once verified; a new one after each suspicion. Guarded by {@link #verification}. */
    private CompletableFuture<Void> whenVerified = new CompletableFuture<>();
    private final AtomicBoolean verifying = new AtomicBoolean();
    /**
     * The processes that took over a bucket since the last suspicion, whose drop of local copies
     * was made: a bucket checked later, on the same process, drops nothing again.
     */
    private final java.util.Set<String> takenOverSinceSuspicion = ConcurrentHashMap.newKeySet();
    private volatile @Nullable Disposable connectionEvents;
    private final @Nullable ReplicaWait replicaWait;

    Link(RedisConnectionFactory factory, JsonMapper mapper, ClusterSettings settings) {
        this.factory = factory;
        this.mapper = mapper;
        this.settings = settings;
        this.channel = (settings.keyPrefix() + ":events").getBytes(StandardCharsets.UTF_8);
        this.heartbeatChannel = (settings.keyPrefix() + ":heartbeat:" + origin).getBytes(StandardCharsets.UTF_8);
        this.aliveKey = aliveKey(origin);
        this.replicaWait = factory instanceof LettuceConnectionFactory lettuce ? new ReplicaWait(lettuce, settings.redisTimeout())
                : null;
        this.timer = new ScheduledThreadPoolExecutor(1, daemon("alru-cluster-timer"));
        timer.setRemoveOnCancelPolicy(true);
        this.executor = Executors.newCachedThreadPool(daemon("alru-cluster"));
        // Once the link is closed, continuations still run, on the thread that completes them.
        this.continuations = task -> {
            try {
                executor.execute(task);
            } catch (RejectedExecutionException e) {
                task.run();
            }
        };
        // One thread handles the events, so each origin's events are handled in the order they came.
        this.dispatcher = Executors.newSingleThreadExecutor(daemon("alru-cluster-events"));
        this.listener = new RedisMessageListenerContainer();
        listener.setConnectionFactory(factory);
        listener.setRecoveryInterval(settings.heartbeat().toMillis());
        listener.setSubscriptionExecutor(executor);
        listener.setTaskExecutor(event -> {
            try {
                dispatcher.execute(event);
            } catch (RejectedExecutionException e) {
                // closed: an event still in flight from Redis no longer matters
            }
        });
        listener.addMessageListener(this, java.util.List.of(new ChannelTopic(settings.keyPrefix() + ":events"),
                new ChannelTopic(new String(heartbeatChannel, StandardCharsets.UTF_8))));
    }

    void start() {
        if (factory instanceof LettuceConnectionFactory lettuce && lettuce.getClientResources() != null) {
            connectionEvents = lettuce.getClientResources().eventBus().get()
                    .filter(event -> event instanceof ConnectionDeactivatedEvent || event instanceof ConnectionActivatedEvent)
                    .subscribe(event -> suspect());
        }
        listener.afterPropertiesSet();
        startListenerOnce();
        long period = settings.heartbeat().toMillis();
        timer.scheduleWithFixedDelay(this::heartbeat, 0, period, TimeUnit.MILLISECONDS);
    }

    private void startListenerOnce() {
        if (startingListener.compareAndSet(false, true)) {
            continuations.execute(() -> {
                try {
                    listener.start();
                } catch (RuntimeException e) {
                    logger.debug("alru cluster: cannot subscribe to Redis yet; retrying", e);
                } finally {
                    startingListener.set(false);
                }
            });
        }
    }

    void register(LinkListener cache) {
        caches.put(cache.name(), cache);
    }

    boolean up() {
        return up && verified && !closed;
    }

    /** Which of the connections' comings and goings is the latest: a number that grows with each. */
    long generation() {
        return generation.get();
    }

    /**
     * After a connection went or came (a reconnection, perhaps to a restarted Redis), the link is
     * not trusted until it has checked which Redis process it reaches: at once, and again on each
     * heartbeat until the check succeeds.
     */
    private void suspect() {
        synchronized (verification) {
            generation.incrementAndGet();
            caches.values().forEach(LinkListener::uncheck);
            takenOverSinceSuspicion.clear();
            if (verified) {
                verified = false;
                whenVerified = new CompletableFuture<>();
            }
        }
        if (!closed) {
            continuations.execute(this::verify); // now, not at the next heartbeat: calls wait for it
        }
    }

    /** Whether the link is up but checking, after a reconnection, which Redis process it reaches: a call may wait for it. */
    boolean verifying() {
        return up && !verified && !closed;
    }

    /** Completes once the link has checked the Redis process it reaches (at once when it has). */
    CompletableFuture<Void> whenVerified() {
        synchronized (verification) {
            return whenVerified;
        }
    }

    /**
     * Waits until the link has been up once (connected, subscribed, its own heartbeat back), at most
     * {@code timeout}.
     *
     * @return whether the link came up in time
     */
    boolean awaitFirstUp(Duration timeout) throws InterruptedException {
        try {
            firstUp.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }

    /** Where Redis is, as the connection factory is configured: for a log line a person reads. */
    String redisAddress() {
        if (factory instanceof LettuceConnectionFactory lettuce) {
            if (lettuce.getClusterConfiguration() != null) {
                return "Redis Cluster " + lettuce.getClusterConfiguration().getClusterNodes();
            }
            if (lettuce.getSentinelConfiguration() != null) {
                RedisSentinelConfiguration sentinel = lettuce.getSentinelConfiguration();
                return "Redis master '" + (sentinel.getMaster() == null ? "?" : sentinel.getMaster().getName())
                        + "' of the sentinels " + sentinel.getSentinels();
            }
            return "Redis at " + lettuce.getHostName() + ":" + lettuce.getPort();
        }
        return "Redis through " + factory.getClass().getName();
    }

    /** This instance's name on the event channel and in lease tokens. */
    String origin() {
        return origin;
    }

    /**
     * Whether another instance is gone: while this link is up and hears its own heartbeats, the
     * other's liveness key has expired (it refreshes it every period, for five). A key seen within
     * the last period is not asked again; a Redis error counts as "not gone".
     */
    CompletableFuture<Boolean> seemsGone(String other) {
        long now = System.nanoTime();
        RedisClusterAsyncCommands<byte[], byte[]> current = commands;
        if (other.isEmpty() || other.equals(origin) || !up() || current == null
                || now - lastOwnHeartbeat >= 5 * settings.heartbeat().toNanos()) {
            return CompletableFuture.completedFuture(false);
        }
        Long seen = seenAlive.get(other);
        if (seen != null && now - seen < settings.heartbeat().toNanos()) {
            return CompletableFuture.completedFuture(false);
        }
        return within(current.exists(aliveKey(other)).toCompletableFuture()).handle((count, error) -> {
            if (error != null) {
                return false;
            }
            if (count > 0) {
                seenAlive.put(other, System.nanoTime());
                return false;
            }
            return true;
        });
    }

    private byte[] aliveKey(String instance) {
        return (settings.keyPrefix() + ":alive:" + instance).getBytes(StandardCharsets.UTF_8);
    }

    /** How many messages Redis delivered to this link: what its subscription costs. */
    long received() {
        return received.sum();
    }

    ClusterSettings settings() {
        return settings;
    }

    /** Deletes what clears left behind, one epoch at a time for every cache of this link. */
    OrphanSweeper sweeper() {
        return sweeper;
    }

    /** Runs continuations off Lettuce's threads; after close, on the completing thread. */
    Executor executor() {
        return continuations;
    }

    /** Runs {@code task} after {@code millis}; false when the link is closed and nothing will run. */
    boolean schedule(Runnable task, long millis) {
        try {
            timer.schedule(task, millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Runs a script; the future fails after redis-timeout, or at once without a connection, and completes on the link's executor. */
    <T> CompletableFuture<T> eval(String script, ScriptOutputType type, byte[][] keys, byte[]... args) {
        CompletableFuture<T> reply = send(script, type, keys, args);
        return reply.isDone() ? reply : within(reply);
    }

    /**
     * Runs a script for a caller that waits for the reply itself: no hop to the link's executor,
     * since no continuation runs on Lettuce's thread. The caller bounds the wait.
     */
    <T> CompletableFuture<T> evalForWaitingCaller(String script, ScriptOutputType type, byte[][] keys, byte[]... args) {
        return send(script, type, keys, args);
    }

    /** The keys a script is given, as KEYS. */
    static byte[][] keys(byte[]... keys) {
        return keys;
    }

    private <T> CompletableFuture<T> send(String script, ScriptOutputType type, byte[][] keys, byte[]... args) {
        RedisClusterAsyncCommands<byte[], byte[]> current = commands;
        if (current == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no connection to Redis"));
        }
        try {
            // By digest, so the script's text crosses the wire only the first time each Redis sees it.
            CompletableFuture<T> sent = current.<T>evalsha(digests.computeIfAbsent(script, Link::sha1), type, keys, args)
                    .toCompletableFuture();
            AtomicReference<@Nullable CompletableFuture<T>> fallback = new AtomicReference<>();
            CompletableFuture<T> reply = sent.exceptionallyCompose(error -> {
                if (!isNoScript(error)) {
                    return CompletableFuture.failedFuture(error);
                }
                CompletableFuture<T> again = current.<T>eval(script, type, keys, args).toCompletableFuture();
                fallback.set(again);
                return again;
            });
            // A reply given up on (timed out, cancelled) cancels its command, so that Lettuce does not
            // send it once reconnected, long after the caller went on without it.
            reply.whenComplete((value, error) -> {
                if (error != null) {
                    sent.cancel(false);
                    CompletableFuture<T> again = fallback.get();
                    if (again != null) {
                        again.cancel(false);
                    }
                }
            });
            return reply;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static boolean isNoScript(Throwable error) {
        Throwable cause = unwrapped(error);
        return cause instanceof RedisNoScriptException;
    }

    /** The failure inside a {@link java.util.concurrent.CompletionException}, as dependent futures see it. */
    private static Throwable unwrapped(Throwable error) {
        return error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    /** A script's SHA-1 in hex, the name Redis caches it under. */
    private static String sha1(String script) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1")
                    .digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing", e);
        }
    }

    <T> CompletableFuture<T> within(CompletableFuture<T> reply) {
        return reply.orTimeout(settings.redisTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenCompleteAsync((value, error) -> {
                    if (error != null) {
                        reply.cancel(false);
                    }
                }, continuations);
    }

    @Nullable RedisClusterAsyncCommands<byte[], byte[]> commands() {
        return commands;
    }

    /**
     * Publishes an event. A number is used even when nothing can be sent, so that others see the
     * gap once the link is back, and drop what they may have kept stale.
     */
    CompletableFuture<Long> publish(EventType type, String cache, String payload) {
        synchronized (publishLock) {
            long number = ++sequence;
            RedisClusterAsyncCommands<byte[], byte[]> current = commands;
            if (current == null || closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("no connection to Redis"));
            }
            ObjectNode event = mapper.createObjectNode().put("o", origin).put("s", number).put("t", type.letter()).put("c", cache)
                    .put("p", payload);
            try {
                return within(current.publish(channel, mapper.writeValueAsBytes(event)).toCompletableFuture());
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
    }

    private void heartbeat() {
        if (closed) {
            return;
        }
        try {
            if (commands == null) {
                connect();
            }
            if (!probed) {
                probe();
            }
            if (!verified || caches.values().stream().anyMatch(cache -> !cache.fullyChecked())) {
                verify(); // a bucket whose shard was away is checked again
            }
            long forgotten = System.nanoTime() - Math.max(TimeUnit.MINUTES.toNanos(1), 10 * settings.heartbeat().toNanos());
            lastHeard.values().removeIf(heard -> heard < forgotten); // instances gone for a minute
            lastSequence.keySet().retainAll(lastHeard.keySet()); // one that comes back sends its outbox first
            seenAlive.values().removeIf(seen -> seen < forgotten);
            sendHeartbeat();
            if (up) {
                caches.values().forEach(cache -> cache.outbox().flush()); // what a slow moment of Redis left unconfirmed
            }
            int silent = silentTicks();
            if (up && silent >= 3) {
                up = false;
                logger.warn("alru cluster: the link to " + redisAddress() + " is down; CLUSTER caches answer from this instance"
                        + " alone until it is back");
            }
            if (!listener.isRunning()) {
                startListenerOnce();
            }
        } catch (RuntimeException e) {
            logger.debug("alru cluster: heartbeat failed", e);
        }
    }

    /**
     * Publishes this instance's heartbeat on its own channel and refreshes its liveness key: two
     * commands, one delivery (to this instance only).
     */
    private void sendHeartbeat() {
        RedisClusterAsyncCommands<byte[], byte[]> current = commands;
        if (current == null || closed) {
            return;
        }
        try {
            within(current.publish(heartbeatChannel, new byte[] {'H'}).toCompletableFuture()).whenComplete((count, error) -> {
                if (error != null) {
                    refusedBy(error, "PUBLISH on " + new String(heartbeatChannel, StandardCharsets.UTF_8));
                }
            });
            within(current.set(aliveKey, new byte[] {'1'}, io.lettuce.core.SetArgs.Builder.px(5 * settings.heartbeat().toMillis()))
                    .toCompletableFuture())
                    .whenComplete((reply, error) -> {
                        if (error != null) {
                            refusedBy(error, "SET on " + new String(aliveKey, StandardCharsets.UTF_8));
                        }
                    });
        } catch (RuntimeException e) {
            logger.debug("alru cluster: sending the heartbeat failed", e);
        }
    }

    /**
     * Counts the ticks, up to this one, since this instance last heard its own heartbeat; a late
     * tick (this JVM did not run for more than a period) does not count.
     */
    private int silentTicks() {
        long now = System.nanoTime();
        boolean onTime = now - lastTick < 2 * settings.heartbeat().toNanos();
        lastTick = now;
        long heard = ownHeartbeatsHeard;
        if (heard != heardAtLastTick) {
            heardAtLastTick = heard;
            silentTicks = 0;
        } else if (onTime) {
            silentTicks++;
        }
        return silentTicks;
    }

    /**
     * Checks which Redis process serves each bucket of every cache, by its run id
     * ({@link LinkListener#checkServer}): a process other than the one seen before restarted,
     * perhaps from a snapshot older than the last invalidations, or took over as a replica, and the
     * first instance to see a bucket there starts a new epoch of it. Calls stop waiting once every
     * cache has tried, if no connection went or came meanwhile; a bucket whose check failed (its
     * shard away) keeps its calls on this instance until a later heartbeat's check succeeds.
     */
    private void verify() {
        if (commands == null || !verifying.compareAndSet(false, true)) {
            return;
        }
        long checking = generation.get();
        @SuppressWarnings("unchecked")
        CompletableFuture<java.util.Set<String>>[] checks = caches.values().stream().map(LinkListener::checkServer)
                .toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(checks).whenComplete((ignored, error) -> {
            try {
                if (error != null) {
                    logger.debug("alru cluster: checking which Redis process serves the link failed; trying again", error);
                    return;
                }
                boolean another = java.util.Arrays.stream(checks).flatMap(check -> check.join().stream()).toList().stream()
                        .map(takenOverSinceSuspicion::add).reduce(false, Boolean::logicalOr);
                if (another) {
                    dropLocalCopies(ResyncReason.RESTART, redisAddress() + " is another process than before (it restarted, or a"
                            + " replica took over)");
                }
                synchronized (verification) {
                    if (generation.get() == checking) { // else a connection went or came meanwhile: check again
                        verified = true;
                        whenVerified.complete(null);
                    }
                }
            } finally {
                verifying.set(false);
            }
        });
    }

    /**
     * Whether Redis is reached through Sentinel: there a master always has replicas to fail over
     * to, and one that has none at the moment may be cut off from the others, so a write counts as
     * done only once a replica has it.
     */
    boolean behindSentinel() {
        return factory instanceof LettuceConnectionFactory lettuce && lettuce.getSentinelConfiguration() != null;
    }

    /**
     * Completes with whether, on each master holding one of {@code keys}, a replica has every write
     * made before (within {@code redis-timeout}); see {@link ReplicaWait}.
     */
    CompletableFuture<Boolean> replicated(java.util.Collection<byte[]> keys) {
        ReplicaWait waiting = replicaWait;
        if (waiting == null) {
            return CompletableFuture.completedFuture(false);
        }
        CompletableFuture<Boolean> reply = new CompletableFuture<>();
        continuations.execute(() -> { // it may open its connection first: never on a caller's or Lettuce's thread
            try {
                waiting.replicated(keys).whenCompleteAsync((done, error) -> {
                    if (error != null) {
                        reply.completeExceptionally(error);
                    } else {
                        reply.complete(done);
                    }
                }, continuations);
            } catch (RuntimeException e) {
                reply.completeExceptionally(e);
            }
        });
        return reply.orTimeout(2 * settings.redisTimeout().toMillis() + 1_000, TimeUnit.MILLISECONDS);
    }

    /**
     * Runs, once, a script with every command the tier's scripts use, on a key under the prefix:
     * a Redis that refuses one of them (an ACL without it, a proxy without scripts) is told apart
     * from one that is merely slow or away, and named, instead of leaving the link silently down.
     */
    private void probe() {
        byte[] key = (settings.keyPrefix() + ":{probe}:" + origin).getBytes(StandardCharsets.UTF_8);
        CompletableFuture<Long> reply = eval(Scripts.PROBE, ScriptOutputType.INTEGER, keys(key));
        reply.whenComplete((deleted, error) -> {
            if (error == null) {
                probed = true;
                refusal = null;
            } else {
                refusedBy(error, "the cluster tier's scripts");
            }
        });
    }

    /** Records that Redis refused a command (an error reply, not a timeout or a lost connection); logs each refusal once. */
    private void refusedBy(Throwable error, String what) {
        Throwable cause = unwrapped(error);
        if (!(cause instanceof RedisCommandExecutionException)) {
            return; // slow or away: an outage, not a refusal
        }
        String reason = redisAddress() + " refuses " + what + " (" + cause.getMessage() + ") for the CLUSTER caches "
                + caches.keySet() + ": the Redis user needs the commands EVAL, EVALSHA, PUBLISH, SUBSCRIBE, GET, SET, INCR, PTTL,"
                + " PEXPIRE, EXISTS, DEL, SADD, SREM, TIME, INFO, SSCAN, UNLINK and WAIT on the keys ~" + settings.keyPrefix()
                + ":* and the channels &" + settings.keyPrefix() + ":events and &" + settings.keyPrefix() + ":heartbeat:*";
        if (!reason.equals(refusal)) {
            refusal = reason;
            logger.warn("alru cluster: " + reason + "; until then these caches answer from this instance alone");
        }
        firstUp.completeExceptionally(new IllegalStateException(reason));
    }

    /** Why Redis refuses this tier's commands, or {@code null} while it has not. */
    @Nullable String refusal() {
        return refusal;
    }

    private void connect() {
        try {
            RedisConnection connection = factory.getConnection();
            if (!(connection instanceof LettuceConnection lettuce)) {
                connection.close();
                throw new IllegalStateException("alru-redis needs Spring Data Redis on Lettuce (Boot's default client), not "
                        + connection.getClass().getName());
            }
            commands = lettuce.getNativeConnection();
        } catch (IllegalStateException e) {
            throw e;
        } catch (RuntimeException e) {
            logger.debug("alru cluster: cannot connect to Redis yet", e);
        }
    }

    @Override
    public void onMessage(Message message, byte @Nullable [] pattern) {
        received.increment();
        if (java.util.Arrays.equals(message.getChannel(), heartbeatChannel)) {
            onOwnHeartbeat();
            return;
        }
        JsonNode event;
        try {
            event = mapper.readTree(message.getBody());
        } catch (RuntimeException e) {
            logger.warn("alru cluster: unreadable event on " + new String(channel, StandardCharsets.UTF_8) + ": " + e.getMessage());
            return;
        }
        String from = event.path("o").asString("");
        long number = event.path("s").asLong();
        EventType type = EventType.of(event.path("t").asString(""));
        Long previous = lastSequence.put(from, number);
        lastHeard.put(from, System.nanoTime());
        boolean own = from.equals(origin);
        // An origin's first event since this subscription began only sets where its numbers start: what
        // was published before is covered by the drop that a new subscription makes (or the link's coming up).
        if (previous != null && number != previous + 1 && !own && up) {
            dropLocalCopies(ResyncReason.GAP, "events from another instance were lost");
        }
        if (own) {
            return;
        }
        LinkListener cache = caches.get(event.path("c").asString(""));
        if (cache != null && type != null) { // a type of a later version means nothing to this one
            cache.onEvent(type, event.path("p").asString(""));
        }
    }

    /** This instance's heartbeat came back: the link works; if it was not up, it is now, once everything pending went out. */
    private void onOwnHeartbeat() {
        lastOwnHeartbeat = System.nanoTime();
        ownHeartbeatsHeard++; // the one events thread writes it
        // the first time, only once every bucket of every cache was checked: shared from the first call
        if (!up && !closed && probed && verified && (everUp || caches.values().stream().allMatch(LinkListener::fullyChecked))
                && sendPending()) {
            if (everUp) {
                dropLocalCopies(ResyncReason.OUTAGE, "the link to Redis is up again");
            } else {
                caches.values().forEach(cache -> cache.dropLocalCopies(null)); // whatever calls made before it was up
            }
            up = true;
            everUp = true;
            firstUp.complete(null);
            logger.debug("alru cluster: the link to " + redisAddress() + " is up");
        }
    }

    /**
     * Sends every cache's invalidations and clears that Redis has not confirmed, before the link
     * counts as up again, so that no instance reads back a copy this one has invalidated.
     */
    private boolean sendPending() {
        for (LinkListener cache : caches.values()) {
            if (!cache.outbox().flushAndWait(2 * settings.redisTimeout().toMillis())) {
                return false;
            }
        }
        return true;
    }

    /** Gives what is still pending one last chance, retried for at most twice redis-timeout in all. */
    private void flushBeforeClosing() {
        if (commands == null) {
            return;
        }
        long deadline = System.nanoTime() + 2 * settings.redisTimeout().toNanos();
        while (caches.values().stream().anyMatch(cache -> !cache.outbox().isEmpty()) && System.nanoTime() < deadline) {
            CompletableFuture<?>[] flushes = caches.values().stream().map(cache -> cache.outbox().flush())
                    .toArray(CompletableFuture[]::new);
            try {
                CompletableFuture.allOf(flushes).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (ExecutionException | TimeoutException e) {
                // what did not get through is lost with this instance; the others keep their ttl
            }
            try {
                Thread.sleep(10); // Redis may answer each try with an error at once: do not spin
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        List<String> unsent = caches.values().stream().filter(cache -> !cache.outbox().isEmpty()).map(LinkListener::name).toList();
        if (!unsent.isEmpty()) {
            logger.warn("alru cluster: closing with invalidations that Redis did not confirm, for CLUSTER caches " + unsent
                    + "; other instances may serve those entries until their ttl");
        }
    }

    private void dropLocalCopies(ResyncReason reason, String why) {
        if (!caches.isEmpty()) {
            logger.info("alru cluster: " + why + "; dropping this instance's copies of CLUSTER caches " + caches.keySet()
                    + ", since they may have missed an invalidation");
        }
        caches.values().forEach(cache -> cache.dropLocalCopies(reason));
    }

    @Override
    public void onChannelSubscribed(byte[] subscribed, long count) {
        if (!java.util.Arrays.equals(subscribed, channel)) {
            return; // the heartbeat channel: subscribed on the same connection, with the event channel
        }
        boolean again = subscriptions.getAndIncrement() > 0;
        if (again) {
            suspect();
        }
        lastSequence.clear(); // every origin's numbers start afresh for this subscription
        if (again && up) {
            dropLocalCopies(ResyncReason.SUBSCRIPTION, "the subscription to the event channel was made again");
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        flushBeforeClosing();
        closed = true;
        up = false;
        Disposable events = connectionEvents;
        if (events != null) {
            events.dispose();
        }
        timer.shutdownNow(); // the poll wake-ups it held will not run: wake those calls now
        caches.values().forEach(LinkListener::wakeWaiters);
        try {
            listener.stop();
            listener.destroy();
        } catch (Exception e) {
            logger.debug("alru cluster: stopping the listener failed", e);
        }
        dispatcher.shutdownNow();
        executor.shutdown();
        if (replicaWait != null) {
            replicaWait.close();
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
