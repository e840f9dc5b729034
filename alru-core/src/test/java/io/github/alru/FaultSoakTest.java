package io.github.alru;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A fault soak of both engines, bounded in time: 16 threads drive a cache of {@code maxSize} 64
 * over keys 0..511 with loaders that succeed, fail, throw, return {@code null}, complete with
 * {@code null}, or complete later from a scheduler thread; callers cancel their own futures; and
 * {@code invalidate}, {@code clear}, {@code contains}, {@code info} run in between. Each round builds
 * a cache (every other one with a ttl of 2 ms and a jitter of 3 ms) and runs two phases of half a
 * second, each followed by a check at quiescence (every call completed): the first with all of that
 * traffic; the second without {@code invalidate} and {@code clear}, at the end of which one thread
 * closes the cache ({@code close(true)} and {@code close(false)} in turn) while the others go on
 * calling it.
 *
 * <p>Every call, load and removal is logged with stamps of one test-wide clock (an
 * {@link AtomicLong} read before and after each operation), and the log is checked after each
 * round. The checks, with the semantics items they come from:
 * <ul>
 * <li><b>One execution per key</b> (1, 6, 7, 9). A load <em>runs</em> from its loader's call until
 *   just before its future is completed (or cancelled). Two loads of one key may run at once only
 *   when one of them stopped being the key's entry without finishing before the other's entry went
 *   in: by an {@code invalidate} of the key that removed something, a {@code clear}, a
 *   {@code close(false)}, or by all its callers cancelling, which needs its starter to cancel (the
 *   starter is a caller until it does). An entry goes in between its {@code get}'s call and its
 *   loader's call. So for every two loads A and B of a key whose runs overlap, one of them, say A,
 *   must have been detached between A's {@code get} and B's loader call: a removal overlapping that
 *   window, or A's starter cancelling before B's loader call. Otherwise it is a violation. In the
 *   first phase, whose removals are many and whose loads run long, this is weak: a removal of the
 *   key is nearly always in the window. The second phase starts with nothing in flight and has no
 *   removals but the final {@code close(false)}, so there it is strict: two loads of a key run at
 *   once only if the first one's starter cancelled.</li>
 * <li><b>Each caller gets the outcome of a load it may have joined</b> (1, 3, 4). Every value and
 *   every exception is a fresh object naming its load; a caller's outcome must be the very object
 *   a load of the same key produced (for {@code null} values, a load of the key that completed
 *   with {@code null}; for a loader that returned {@code null}, the same {@code
 *   NullPointerException} instance its starter got), and that load must have started before the
 *   call returned. A caller whose loader ran must get that load's own outcome. A value must come
 *   from a load whose future succeeded. Since each outcome object is checked by identity, all
 *   callers served by one load see the same outcome; which load a joiner joined is not
 *   observable, so a joiner handed the outcome of another load of its key that it could also have
 *   joined would pass.</li>
 * <li><b>Nothing removed or failed is served</b> (3, 6, 7). No call that began after an
 *   {@code invalidate(k)} or {@code clear()} ended gets the outcome of a load of k started before
 *   that removal began (an in-flight load's completion does not write back); no call that began
 *   after some caller saw a load's failure gets that failure (the entry goes before callers are
 *   told). Half of the callers that see a failure retry at once, from the completion callback,
 *   so the "re-runs on retry" path is exercised.</li>
 * <li><b>Size</b> (2). On some operations, {@code info().currentSize()} must not exceed
 *   {@code maxSize} plus the entries that may be in flight at that moment. {@code
 *   parameters().inFlight()} cannot serve as that count: it is read apart from the size, and a
 *   load's entry is in the map just before the load is counted. So the test counts instead the
 *   calls that may hold an in-flight entry (a call that ran its loader holds one until its
 *   {@code get} returned and its future's completion returned), reads that count before the size
 *   and adds the calls begun while the size was read. At quiescence {@code currentSize <= maxSize},
 *   {@code parameters().inFlight() == 0}, and, before close, no key is still loading (present for
 *   {@code contains} but without a finished entry for {@code getIfPresent}).</li>
 * <li><b>Counters</b> (1, 3). At quiescence {@code stats().misses()} equals the loader calls,
 *   {@code loadSuccesses()} the loads whose future completed with a value, and {@code
 *   loadFailures()} those that threw, returned {@code null}, failed or were cancelled.</li>
 * <li><b>Cancelling and closing</b> (9, 10). Only a caller that cancelled its own future, or a
 *   caller of a load that {@code close(false)} cancelled, sees a {@link CancellationException};
 *   after {@code close(true)} no caller sees one. A {@code get} called after {@code close}
 *   returned gets an already failed future with {@link AlruCacheClosedException} and its loader
 *   is never called; a call made earlier may get that exception only if close had begun before it
 *   completed. {@code close}'s future completes; when it does, no loader of the cache is running,
 *   and none starts afterwards.</li>
 * </ul>
 * Not checked here: LRU order, TinyLFU admission and ttl timing (other tests pin them down
 * deterministically; here ttl only adds expiry to the churn), hits versus misses ({@code clear}
 * resets them and which calls joined cannot be seen), and that an abandoned load is cancelled.
 *
 * <p>The short form runs in {@code ./mvnw -B verify}: {@value #DEFAULT_SECONDS} s per engine. The
 * long form, 10 minutes per engine:
 * <pre>./mvnw -B -pl alru-core test -Dtest=FaultSoakTest -Dalru.soak.seconds=600</pre>
 * ({@code -Dalru.soak.engines=TINY_LFU} soaks one engine only).
 * Each engine prints a one-line summary (operations by kind, violations) to standard output; the
 * test fails if any check was violated, listing the first ones. Time only bounds the run: no
 * check waits for a moment in time.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Eviction.class)
class FaultSoakTest {

    private static final long DEFAULT_SECONDS = 10;
    private static final Duration SOAK = Duration.ofSeconds(Long.getLong("alru.soak.seconds", DEFAULT_SECONDS));
    private static final Duration ROUND_TRAFFIC = Duration.ofSeconds(1);
    private static final int THREADS = 16;
    private static final int KEYS = 512;
    private static final int HOT_KEYS = 32;
    private static final int MAX_SIZE = 64;
    private static final Duration TTL = Duration.ofMillis(2);
    private static final Duration JITTER = Duration.ofMillis(3);
    private static final long MAX_COMPLETION_DELAY_MICROS = 2_000;
    private static final int OPS_AFTER_CLOSE_PER_THREAD = 200;
    private static final Duration QUIESCENCE_TIMEOUT = Duration.ofSeconds(60);
    private static final int VIOLATIONS_SHOWN = 10;
    private static final long NEVER = Long.MAX_VALUE;
    private static final int ALL_KEYS = -1;

    private final Eviction eviction;
    private final Map<Tally, LongAdder> tallies = new EnumMap<>(Tally.class);
    private final Queue<String> violations = new ConcurrentLinkedQueue<>();
    private final AtomicLong violationCount = new AtomicLong();
    private ExecutorService workers;
    private ScheduledExecutorService completer;

    FaultSoakTest(Eviction eviction) {
        this.eviction = eviction;
        for (Tally tally : Tally.values()) {
            tallies.put(tally, new LongAdder());
        }
    }

    @BeforeEach
    void startThreads() {
        String engines = System.getProperty("alru.soak.engines", "");
        assumeTrue(engines.isEmpty() || Arrays.asList(engines.split(",")).contains(eviction.name()),
                () -> eviction + " is not among -Dalru.soak.engines=" + engines);
        workers = Executors.newFixedThreadPool(THREADS);
        completer = Executors.newScheduledThreadPool(2);
    }

    @AfterEach
    void stopThreads() throws InterruptedException {
        if (workers == null) {
            return; // the engine was not among -Dalru.soak.engines
        }
        workers.shutdownNow();
        completer.shutdownNow();
        assertThat(workers.awaitTermination(10, TimeUnit.SECONDS)).as("workers stopped").isTrue();
        assertThat(completer.awaitTermination(10, TimeUnit.SECONDS)).as("completer stopped").isTrue();
    }

    /** Runs inside {@link Execution#stop()}, between its end stamp and its count; only the test of stop() sets it. */
    private static volatile Runnable stopSeam;

    @Test
    void aLoadThatTwoThreadsStopAtOnceIsCountedOutBeforeEitherReturns() throws Exception {
        Round round = new Round(false, false);
        Execution load = new Execution(round, 1, LoaderKind.VALUE_LATER, round.clock.incrementAndGet());
        round.runningLoads.incrementAndGet();
        CountDownLatch stamped = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        stopSeam = () -> {
            stamped.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        try {
            Thread completer = new Thread(load::stop, "completer");
            completer.start();
            stamped.await();
            AtomicInteger countedWhenSecondReturned = new AtomicInteger(-1);
            Thread closer = new Thread(() -> {
                load.stop();
                countedWhenSecondReturned.set(round.runningLoads.get());
            }, "closer");
            closer.start();
            // The closer either returned at once (the count still 1) or waits for the completer.
            while (closer.getState() != Thread.State.BLOCKED && closer.getState() != Thread.State.TERMINATED) {
                Thread.onSpinWait();
            }
            release.countDown();
            completer.join();
            closer.join();

            assertThat(countedWhenSecondReturned).as("loads counted as running when the second stop() returned").hasValue(0);
        } finally {
            stopSeam = null;
        }
    }

    @Test
    void everyInvariantHoldsUnderFaultsCancellationsRemovalsAndClose() throws Exception {
        long started = System.nanoTime();
        long deadline = started + SOAK.toNanos();
        int rounds = 0;
        int ttlRounds = 0;
        while (System.nanoTime() < deadline && violationCount.get() == 0) {
            boolean withTtl = rounds % 2 == 1;
            boolean closeWaits = rounds / 2 % 2 == 0;
            long trafficNanos = Math.min(ROUND_TRAFFIC.toNanos(), Math.max(0, deadline - System.nanoTime()));
            new Round(withTtl, closeWaits).run(trafficNanos);
            rounds++;
            ttlRounds += withTtl ? 1 : 0;
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);

        System.out.println("FaultSoakTest " + eviction + ": " + seconds + " s, " + rounds + " rounds (" + ttlRounds
                + " with ttl), " + summary() + ", violations " + violationCount.get());
        assertThat(violationCount.get())
                .as("violations; the first %d:%n%s", VIOLATIONS_SHOWN, String.join(System.lineSeparator(), violations))
                .isZero();
        assertThat(tallies.get(Tally.JOINED_IN_FLIGHT).sum())
                .as("calls that joined a load in flight (else the soak raced nothing)")
                .isPositive();
    }

    private String summary() {
        StringBuilder line = new StringBuilder("ops ").append(tallies.get(Tally.OPS).sum()).append(':');
        for (Tally tally : Tally.values()) {
            if (tally != Tally.OPS) {
                line.append(' ').append(tally.label).append(' ').append(tallies.get(tally).sum());
            }
        }
        return line.toString();
    }

    private void count(Tally tally) {
        tallies.get(tally).increment();
    }

    private void violation(String description) {
        if (violationCount.incrementAndGet() <= VIOLATIONS_SHOWN) {
            violations.add(description);
        }
    }

    /** What the soak counts, for its summary line. */
    private enum Tally {
        OPS("ops"),
        GET_VALUE_NOW("get:value-now"),
        GET_VALUE_LATER("get:value-later"),
        GET_NULL_NOW("get:null-now"),
        GET_NULL_LATER("get:null-later"),
        GET_FAILED_NOW("get:failed-now"),
        GET_FAILED_LATER("get:failed-later"),
        GET_THROWS("get:throws"),
        GET_RETURNS_NULL("get:returns-null"),
        RETRY_AFTER_FAILURE("retry-after-failure"),
        LOADS("loads"),
        JOINED_IN_FLIGHT("joined-in-flight"),
        CANCEL("cancel"),
        INVALIDATE("invalidate"),
        CLEAR("clear"),
        CONTAINS("contains"),
        SIZE_CHECK("size-check"),
        CLOSE_WAIT("close(true)"),
        CLOSE_NO_WAIT("close(false)"),
        GET_AFTER_CLOSE("get-after-close"),
        LOADS_OVERLAPPING_A_DETACHED_ONE("loads-overlapping-a-detached-one");

        final String label;

        Tally(String label) {
            this.label = label;
        }
    }

    /** What a loader does with its call, with the weight of each in the traffic. */
    private enum LoaderKind {
        VALUE_NOW(28, Tally.GET_VALUE_NOW),
        VALUE_LATER(28, Tally.GET_VALUE_LATER),
        NULL_NOW(3, Tally.GET_NULL_NOW),
        NULL_LATER(3, Tally.GET_NULL_LATER),
        FAILED_NOW(9, Tally.GET_FAILED_NOW),
        FAILED_LATER(9, Tally.GET_FAILED_LATER),
        THROWS(10, Tally.GET_THROWS),
        RETURNS_NULL(10, Tally.GET_RETURNS_NULL);

        private static final LoaderKind[] BY_DIE = Arrays.stream(values())
                .flatMap(kind -> Stream.generate(() -> kind).limit(kind.weight))
                .toArray(LoaderKind[]::new);

        final int weight;
        final Tally tally;

        LoaderKind(int weight, Tally tally) {
            this.weight = weight;
            this.tally = tally;
        }

        static LoaderKind random(ThreadLocalRandom random) {
            return BY_DIE[random.nextInt(BY_DIE.length)];
        }

        boolean completesLater() {
            return this == VALUE_LATER || this == NULL_LATER || this == FAILED_LATER;
        }

        boolean fails() {
            return this == FAILED_NOW || this == FAILED_LATER || this == THROWS;
        }

        boolean yieldsNull() {
            return this == NULL_NOW || this == NULL_LATER;
        }
    }

    /** How a load's future ended, as the test saw it. */
    private enum LoadResult { SUCCEEDED, FAILED, CANCELLED, THREW, RETURNED_NULL }

    /** A successful load's value: a fresh object naming the load. */
    private record Value(Execution execution) {
        @Override
        public String toString() {
            return "the value of load " + execution.id;
        }
    }

    /** A failed load's error: a fresh exception naming the load. */
    private static final class LoadFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LoadFailure(Execution execution) {
            super("load " + execution.id + " of key " + execution.key + " failed", null, false, false);
        }
    }

    /**
     * A removal, by its clock stamps. {@code mayDetach}: it may have taken an in-flight load out of
     * the cache (an invalidate that removed something, a clear, a close without waiting).
     * {@code removesEntries}: entries that existed when it began are gone when it ends (invalidate,
     * clear).
     */
    private record Removal(int key, long begin, long end, boolean mayDetach, boolean removesEntries) {
    }

    /** One loader call, logged by the loader itself. */
    private static final class Execution {
        final int key;
        final long id;
        final LoaderKind kind;
        /** When the {@code get} that called the loader was called. */
        final long callBegin;
        /** When the loader was called. */
        final long begin;
        final Value value;
        final LoadFailure failure;
        private final Round round;
        private boolean stopped; // guarded by this
        /** 2 until its {@code get} returned and its future's completion returned. */
        private final AtomicInteger entryHolds = new AtomicInteger(2);
        /** When it stopped running: just before its future was completed or cancelled. */
        volatile long end = NEVER;
        volatile String stoppedBy;
        /**
         * When its starter began a cancel of its own future that took effect. Only then can the
         * load be abandoned: the starter is its caller until it cancels.
         */
        volatile long starterCancelled = NEVER;
        volatile LoadResult result;

        Execution(Round round, int key, LoaderKind kind, long callBegin) {
            this.round = round;
            this.key = key;
            this.kind = kind;
            this.callBegin = callBegin;
            this.id = round.loadIds.incrementAndGet();
            this.begin = round.clock.incrementAndGet();
            this.value = kind.yieldsNull() || kind.fails() || kind == LoaderKind.RETURNS_NULL ? null : new Value(this);
            this.failure = kind.fails() ? new LoadFailure(this) : null;
        }

        /**
         * Called just before the load's future is completed or cancelled (idempotent). The completer
         * and a close(false) may call it at once: the second call returns only once the first has
         * counted the load out, or the second would complete or cancel the future, and so let
         * close's future complete, while the load still counted as running (the soak's one
         * unexplained reading, until {@link #aLoadThatTwoThreadsStopAtOnceIsCountedOutBeforeEitherReturns}).
         */
        synchronized void stop() {
            if (stopped) {
                return;
            }
            stopped = true;
            stoppedBy = Thread.currentThread().getName();
            end = round.clock.incrementAndGet();
            Runnable seam = stopSeam;
            if (seam != null) {
                seam.run();
            }
            round.runningLoads.decrementAndGet();
        }

        /** One of the two reasons the load may still hold an in-flight entry is gone. */
        void releaseEntryHold() {
            if (entryHolds.decrementAndGet() == 0) {
                round.entryHolds.decrementAndGet();
            }
        }
    }

    /** The loader's future for a load that completes later: it tells the load when it is completed or cancelled. */
    private static final class LaterFuture extends CompletableFuture<Value> {
        private final Execution load;

        LaterFuture(Execution load) {
            this.load = load;
        }

        /** Completes as the load's kind says, from the completer thread. */
        void completeAsPlanned() {
            load.stop();
            boolean completed = load.failure != null ? completeExceptionally(load.failure) : complete(load.value);
            if (completed) {
                load.result = load.failure != null ? LoadResult.FAILED : LoadResult.SUCCEEDED;
                load.releaseEntryHold();
            }
        }

        /** The cache cancels a load when its last caller cancelled or the cache closed without waiting. */
        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            load.stop();
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled) {
                load.result = LoadResult.CANCELLED;
                load.releaseEntryHold();
            }
            return cancelled;
        }
    }

    /** One {@code get}, its stamps and its outcome. */
    private static final class Call {
        final int key;
        final LoaderKind kind;
        final boolean retry;
        /** Whether {@code close} had returned before the call was made. */
        final boolean afterClose;
        final long begin;
        long returned;
        boolean doneWhenReturned;
        boolean cancelledByCaller;
        CompletableFuture<Value> future;
        /** The load this call's loader made, if the loader ran. */
        Execution started;
        long observed;
        Value value;
        Throwable error;

        Call(int key, LoaderKind kind, boolean retry, boolean afterClose, long begin) {
            this.key = key;
            this.kind = kind;
            this.retry = retry;
            this.afterClose = afterClose;
            this.begin = begin;
        }
    }

    /** One cache's life: traffic, a check at quiescence, traffic during which it is closed, a last check. */
    private final class Round {
        final AlruCache<Integer, Value> cache;
        final boolean closeWaits;
        final AtomicLong clock = new AtomicLong();
        final AtomicLong loadIds = new AtomicLong();
        final Queue<Execution> loads = new ConcurrentLinkedQueue<>();
        final Queue<Call> calls = new ConcurrentLinkedQueue<>();
        final Queue<Removal> removals = new ConcurrentLinkedQueue<>();
        /** Calls whose future has not completed and been logged yet. */
        final AtomicInteger pendingCalls = new AtomicInteger();
        final AtomicInteger scheduledCompletions = new AtomicInteger();
        /** Loads whose loader was called and whose future was not completed or cancelled yet. */
        final AtomicInteger runningLoads = new AtomicInteger();
        /** Calls that may hold an in-flight entry now, and all such calls ever begun. */
        final AtomicLong entryHolds = new AtomicLong();
        final AtomicLong entryHoldsTaken = new AtomicLong();
        volatile long closeBegan = NEVER;
        volatile long closeReturned = NEVER;
        volatile long closeCompleted = NEVER;
        volatile int loadsRunningWhenCloseCompleted = -1;
        volatile java.util.function.Supplier<String> loadsStillRunning = () -> "";
        volatile CompletableFuture<Void> closed;

        Round(boolean withTtl, boolean closeWaits) {
            this.closeWaits = closeWaits;
            AlruCacheBuilder builder = AlruCache.builder().name("soak-" + eviction).maxSize(MAX_SIZE).eviction(eviction);
            if (withTtl) {
                builder.ttl(TTL).jitter(JITTER);
            }
            this.cache = builder.build();
        }

        /** Runs both phases, each for half of {@code trafficNanos}, then checks the log. */
        void run(long trafficNanos) throws Exception {
            long removalsEnd = System.nanoTime() + trafficNanos / 2;
            runOnAllWorkers(() -> {
                while (System.nanoTime() < removalsEnd) {
                    step(true);
                }
            });
            if (!awaitQuiescence()) {
                return;
            }
            checkQuiescent("after the phase with removals");

            long closeAt = System.nanoTime() + trafficNanos / 2;
            AtomicBoolean closing = new AtomicBoolean();
            runOnAllWorkers(() -> {
                int afterClose = 0;
                while (afterClose < OPS_AFTER_CLOSE_PER_THREAD) {
                    if (closeReturned != NEVER) {
                        afterClose++;
                    }
                    step(false);
                    if (System.nanoTime() >= closeAt && closing.compareAndSet(false, true)) {
                        close();
                    }
                }
            });
            if (!awaitQuiescence()) {
                return;
            }
            checkQuiescent("after close(" + closeWaits + ")");
            checkClose();
            checkLog();
        }

        private void runOnAllWorkers(Runnable body) throws Exception {
            List<Future<?>> running = new ArrayList<>(THREADS);
            for (int i = 0; i < THREADS; i++) {
                running.add(workers.submit(body));
            }
            for (Future<?> worker : running) {
                worker.get(QUIESCENCE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        }

        /** One random operation; {@code invalidate} and {@code clear} only {@code withRemovals}. */
        private void step(boolean withRemovals) {
            count(Tally.OPS);
            ThreadLocalRandom random = ThreadLocalRandom.current();
            int key = random.nextInt(5) < 2 ? random.nextInt(HOT_KEYS) : random.nextInt(KEYS);
            int die = random.nextInt(10_000);
            if (die < 500) {
                if (withRemovals) {
                    invalidate(key);
                }
            } else if (die < 505) {
                if (withRemovals) {
                    clear();
                }
            } else if (die < 1_500) {
                cache.contains(key);
                count(Tally.CONTAINS);
            } else if (die < 1_700) {
                checkSize();
            } else {
                Call call = get(key, LoaderKind.random(random), false);
                if (!call.doneWhenReturned && random.nextInt(5) == 0) {
                    cancel(call);
                }
            }
        }

        private Call get(int key, LoaderKind kind, boolean retry) {
            count(retry ? Tally.RETRY_AFTER_FAILURE : kind.tally);
            boolean afterClose = closeReturned != NEVER;
            if (afterClose) {
                count(Tally.GET_AFTER_CLOSE);
            }
            pendingCalls.incrementAndGet();
            entryHolds.incrementAndGet();
            entryHoldsTaken.incrementAndGet();
            Call call = new Call(key, kind, retry, afterClose, clock.incrementAndGet());
            calls.add(call);
            CompletableFuture<Value> future;
            try {
                future = cache.get(key, k -> load(call));
            } catch (RuntimeException e) {
                violation("get(" + key + ") threw " + e + " (loader " + kind + ")");
                future = CompletableFuture.failedFuture(e);
            }
            call.returned = clock.incrementAndGet();
            call.future = future;
            call.doneWhenReturned = future.isDone();
            if (call.started == null) {
                entryHolds.decrementAndGet(); // a call that ran no loader put no entry in the map, or removed it again
                if (!call.doneWhenReturned) {
                    count(Tally.JOINED_IN_FLIGHT);
                }
            } else {
                call.started.releaseEntryHold();
            }
            future.whenComplete((value, error) -> observe(call, value, error));
            return call;
        }

        private CompletionStage<Value> load(Call call) {
            Execution load = new Execution(this, call.key, call.kind, call.begin);
            call.started = load;
            loads.add(load);
            runningLoads.incrementAndGet();
            count(Tally.LOADS);
            if (call.kind.completesLater()) {
                LaterFuture future = new LaterFuture(load);
                scheduledCompletions.incrementAndGet();
                completer.schedule(() -> {
                    try {
                        future.completeAsPlanned();
                    } finally {
                        scheduledCompletions.decrementAndGet();
                    }
                }, ThreadLocalRandom.current().nextLong(MAX_COMPLETION_DELAY_MICROS), TimeUnit.MICROSECONDS);
                return future;
            }
            load.stop();
            load.releaseEntryHold(); // the cache completes this load inside get, which still holds the entry
            switch (call.kind) {
                case THROWS -> {
                    load.result = LoadResult.THREW;
                    throw load.failure;
                }
                case RETURNS_NULL -> {
                    load.result = LoadResult.RETURNED_NULL;
                    return null;
                }
                case FAILED_NOW -> {
                    load.result = LoadResult.FAILED;
                    return CompletableFuture.failedFuture(load.failure);
                }
                default -> {
                    load.result = LoadResult.SUCCEEDED;
                    return CompletableFuture.completedFuture(load.value);
                }
            }
        }

        /** Logs a call's outcome; half of the failures are retried at once. */
        private void observe(Call call, Value value, Throwable error) {
            call.observed = clock.incrementAndGet();
            call.value = value;
            call.error = error;
            boolean loadFailed = error instanceof LoadFailure || error instanceof NullPointerException;
            if (loadFailed && !call.retry && ThreadLocalRandom.current().nextBoolean()) {
                get(call.key, LoaderKind.VALUE_NOW, true);
            }
            pendingCalls.decrementAndGet();
        }

        private void cancel(Call call) {
            long begin = clock.incrementAndGet();
            call.cancelledByCaller = call.future.cancel(false);
            if (call.cancelledByCaller && call.started != null) {
                call.started.starterCancelled = begin;
            }
            count(Tally.CANCEL);
        }

        private void invalidate(int key) {
            long begin = clock.incrementAndGet();
            boolean removed = cache.invalidate(key);
            removals.add(new Removal(key, begin, clock.incrementAndGet(), removed, true));
            count(Tally.INVALIDATE);
        }

        private void clear() {
            long begin = clock.incrementAndGet();
            cache.clear();
            removals.add(new Removal(ALL_KEYS, begin, clock.incrementAndGet(), true, true));
            count(Tally.CLEAR);
        }

        private void close() {
            closeBegan = clock.incrementAndGet();
            CompletableFuture<Void> future = cache.close(closeWaits);
            long end = clock.incrementAndGet();
            if (!closeWaits) {
                removals.add(new Removal(ALL_KEYS, closeBegan, end, true, false));
            }
            future.whenComplete((ignored, error) -> {
                long readAt = clock.incrementAndGet();
                loadsRunningWhenCloseCompleted = runningLoads.get();
                closeCompleted = clock.incrementAndGet();
                if (loadsRunningWhenCloseCompleted != 0) {
                    String completedBy = Thread.currentThread().getName() + " at "
                            + Arrays.toString(Arrays.copyOfRange(Thread.currentThread().getStackTrace(), 2, 14));
                    loadsStillRunning = () -> loads.stream().filter(load -> load.begin < readAt && load.end > readAt)
                            .map(load -> "load " + load.id + " of key " + load.key + " (" + load.kind + ", began at "
                                    + load.begin + ", its call at " + load.callBegin + ", stopped at " + load.end
                                    + " on " + load.stoppedBy + ")")
                            .toList() + "; close's future completed by " + completedBy;
                }
            });
            closed = future;
            closeReturned = end;
            count(closeWaits ? Tally.CLOSE_WAIT : Tally.CLOSE_NO_WAIT);
        }

        /**
         * Checks {@code currentSize <= maxSize + entries possibly in flight}: those held when the
         * size is read, plus those of calls begun while it was read.
         */
        private void checkSize() {
            long takenBefore = entryHoldsTaken.get();
            long held = entryHolds.get();
            long size = cache.info().currentSize();
            long takenDuring = entryHoldsTaken.get() - takenBefore;
            if (size > MAX_SIZE + held + takenDuring) {
                violation("currentSize " + size + " > maxSize " + MAX_SIZE + " + entries possibly in flight "
                        + (held + takenDuring));
            }
            count(Tally.SIZE_CHECK);
        }

        /** Waits until every call completed, every later completion ran, and close's future completed. */
        private boolean awaitQuiescence() {
            try {
                await().atMost(QUIESCENCE_TIMEOUT).pollInterval(Duration.ofMillis(1)).until(() ->
                        pendingCalls.get() == 0 && scheduledCompletions.get() == 0 && (closed == null || closed.isDone()));
                return true;
            } catch (ConditionTimeoutException e) {
                violation("not quiescent after " + QUIESCENCE_TIMEOUT + ": " + pendingCalls.get()
                        + " calls never completed, close future done: " + (closed == null || closed.isDone()));
                return false;
            }
        }

        private void checkQuiescent(String when) {
            int inFlight = cache.parameters().inFlight();
            if (inFlight != 0) {
                violation(when + ": parameters().inFlight() " + inFlight + " at quiescence");
            }
            long size = cache.info().currentSize();
            if (size > MAX_SIZE) {
                violation(when + ": currentSize " + size + " > maxSize " + MAX_SIZE + " at quiescence");
            }
            for (int key = 0; key < KEYS && closed == null; key++) {
                // getIfPresent (which answers null once closed) first: an entry that expires in between
                // is then absent for contains too.
                if (cache.getIfPresent(key) == null && cache.contains(key)) {
                    violation(when + ": key " + key + " still loading at quiescence");
                }
            }
            long successes = loads.stream().filter(load -> load.result == LoadResult.SUCCEEDED).count();
            long unfinished = loads.stream().filter(load -> load.result == null).count();
            AlruCacheStats stats = cache.stats();
            if (unfinished != 0 || stats.misses() != loads.size() || stats.loadSuccesses() != successes
                    || stats.loadFailures() != loads.size() - successes) {
                violation(when + ": " + stats + " for " + loads.size() + " loader calls, " + successes
                        + " succeeded, " + unfinished + " never completed");
            }
        }

        private void checkClose() {
            if (!cache.parameters().closed()) {
                violation("parameters().closed() is false after close(" + closeWaits + ")");
            }
            if (loadsRunningWhenCloseCompleted != 0) {
                violation("close(" + closeWaits + ")'s future completed at " + closeCompleted + " (close began at "
                        + closeBegan + ", returned at " + closeReturned + ") while " + loadsRunningWhenCloseCompleted
                        + " loads still ran: " + loadsStillRunning.get());
            }
            for (Execution load : loads) {
                if (load.begin > closeCompleted) {
                    violation("load " + load.id + " of key " + load.key + " started after close(" + closeWaits
                            + ")'s future completed");
                }
            }
        }

        /** Checks every call and load of the round against the log. */
        private void checkLog() {
            RemovalIndex index = new RemovalIndex(removals);
            Map<Throwable, Execution> failures = new IdentityHashMap<>();
            for (Execution load : loads) {
                if (load.failure != null) {
                    failures.put(load.failure, load);
                }
            }
            for (Call call : calls) {
                if (call.started != null && call.started.kind == LoaderKind.RETURNS_NULL
                        && call.error instanceof NullPointerException) {
                    failures.put(call.error, call.started);
                }
            }
            Map<Execution, Long> failureFirstSeen = new IdentityHashMap<>();
            for (Call call : calls) {
                Execution failed = call.error == null ? null : failures.get(call.error);
                if (failed != null) {
                    failureFirstSeen.merge(failed, call.observed, Math::min);
                }
            }
            List<List<Execution>> loadsByKey = new ArrayList<>(KEYS);
            List<List<Execution>> nullLoadsByKey = new ArrayList<>(KEYS);
            for (int key = 0; key < KEYS; key++) {
                loadsByKey.add(new ArrayList<>());
                nullLoadsByKey.add(new ArrayList<>());
            }
            for (Execution load : loads) {
                loadsByKey.get(load.key).add(load);
                if (load.kind.yieldsNull() && load.result == LoadResult.SUCCEEDED) {
                    nullLoadsByKey.get(load.key).add(load);
                }
            }
            for (Call call : calls) {
                checkCall(call, index, failures, failureFirstSeen, nullLoadsByKey.get(call.key));
            }
            for (List<Execution> loadsOfKey : loadsByKey) {
                checkOneExecutionPerKey(loadsOfKey, index);
            }
        }

        private void checkCall(Call call, RemovalIndex index, Map<Throwable, Execution> failures,
                Map<Execution, Long> failureFirstSeen, List<Execution> nullLoads) {
            String what = "call " + call.begin + " get(" + call.key + ") with loader " + call.kind;
            Throwable error = call.error;
            if (call.cancelledByCaller) {
                if (!(error instanceof CancellationException)) {
                    violation(what + ": cancelled by its caller but completed with " + describe(call));
                }
            } else if (call.afterClose) {
                if (call.started != null || !call.doneWhenReturned || !(error instanceof AlruCacheClosedException)) {
                    violation(what + ", made after close returned: loader ran " + (call.started != null)
                            + ", done when returned " + call.doneWhenReturned + ", outcome " + describe(call));
                }
            } else if (error == null && call.value != null) {
                Execution load = call.value.execution();
                if (load.result != LoadResult.SUCCEEDED) {
                    violation(what + ": got the value of load " + load.id + ", whose future ended " + load.result);
                }
                checkServedBy(what, call, load, index);
            } else if (error == null) {
                checkNullValue(what, call, nullLoads, index);
            } else if (error instanceof AlruCacheClosedException) {
                if (call.started != null || closeBegan > call.observed) {
                    violation(what + ": " + error + " before close began, or after its loader ran");
                }
            } else if (error instanceof CancellationException) {
                if (closeWaits || closeBegan > call.observed) {
                    violation(what + ": " + error + " though no caller of it cancelled and no close(false) ran");
                }
            } else if (failures.containsKey(error)) {
                Execution load = failures.get(error);
                checkServedBy(what, call, load, index);
                if (failureFirstSeen.get(load) < call.begin) {
                    violation(what + ": got the failure of load " + load.id + " after another caller had seen it");
                }
            } else {
                violation(what + ": completed with an error no load produced: " + error);
            }
        }

        private void checkServedBy(String what, Call call, Execution load, RemovalIndex index) {
            if (load.key != call.key) {
                violation(what + ": got the outcome of load " + load.id + " of key " + load.key);
            } else if (call.started != null && call.started != load) {
                violation(what + ": ran load " + call.started.id + " but got the outcome of load " + load.id);
            } else if (load.callBegin > call.returned) {
                violation(what + ": got the outcome of load " + load.id + ", whose get began after the call returned");
            } else if (index.removedBetween(call.key, load.begin, call.begin)) {
                violation(what + ": got the outcome of load " + load.id
                        + " though an invalidate or clear that began after it ended before the call");
            }
        }

        private void checkNullValue(String what, Call call, List<Execution> nullLoads, RemovalIndex index) {
            if (call.started != null) {
                if (!call.started.kind.yieldsNull() || call.started.result != LoadResult.SUCCEEDED) {
                    violation(what + ": got null, but its own load " + call.started.id + " ended " + call.started.result);
                }
                return;
            }
            for (Execution load : nullLoads) {
                if (load.callBegin < call.returned && !index.removedBetween(call.key, load.begin, call.begin)) {
                    return;
                }
            }
            violation(what + ": got null, but no load of the key it could have joined completed with null");
        }

        /**
         * Every pair of loads of one key whose loaders ran at once: the entry of one of them must
         * have been put in the map, then possibly taken out, before the other's was put in. Each
         * entry goes in between its {@code get}'s call and its loader's call, in either order (a
         * starter may be descheduled before calling its loader), so one of the two must have been
         * detached in the window from its own {@code get} to the other's loader.
         */
        private void checkOneExecutionPerKey(List<Execution> loadsOfKey, RemovalIndex index) {
            loadsOfKey.sort(Comparator.comparingLong(load -> load.begin));
            List<Execution> running = new ArrayList<>();
            for (Execution load : loadsOfKey) {
                running.removeIf(older -> older.end < load.begin);
                for (Execution older : running) {
                    if (!mayHaveBeenDetachedBefore(older, load, index) && !mayHaveBeenDetachedBefore(load, older, index)) {
                        violation("load " + load.id + " of key " + load.key + " (" + load.kind + ") started while load "
                                + older.id + " (" + older.kind + ") still ran and nothing had removed either");
                    }
                }
                if (!running.isEmpty()) {
                    count(Tally.LOADS_OVERLAPPING_A_DETACHED_ONE);
                }
                running.add(load);
            }
        }

        /**
         * Whether {@code first}'s entry may have left the cache after it went in and before
         * {@code second}'s loader was called: by an invalidate that removed something, a clear or
         * a close without waiting overlapping that window, or by its starter's cancel.
         */
        private boolean mayHaveBeenDetachedBefore(Execution first, Execution second, RemovalIndex index) {
            return first.starterCancelled < second.begin || index.mayHaveDetached(first.key, first.callBegin, second.begin);
        }

        private String describe(Call call) {
            return call.error != null ? call.error.toString() : String.valueOf(call.value);
        }
    }

    /** The round's removals, indexed by key for the log checks. */
    private static final class RemovalIndex {
        /** Per key, the invalidates and clears: their begins in order, and the least end from each one on. */
        private final long[][] removingBegins = new long[KEYS][];
        private final long[][] removingLeastEndFrom = new long[KEYS][];
        /** Per key, the removals that may detach a load: their begins in order, and the greatest end up to each one. */
        private final long[][] detachingBegins = new long[KEYS][];
        private final long[][] detachingGreatestEndTo = new long[KEYS][];

        RemovalIndex(Queue<Removal> removals) {
            List<List<Removal>> byKey = new ArrayList<>(KEYS);
            List<Removal> global = removals.stream().filter(removal -> removal.key() == ALL_KEYS).toList();
            for (int key = 0; key < KEYS; key++) {
                byKey.add(new ArrayList<>(global));
            }
            for (Removal removal : removals) {
                if (removal.key() != ALL_KEYS) {
                    byKey.get(removal.key()).add(removal);
                }
            }
            for (int key = 0; key < KEYS; key++) {
                byKey.get(key).sort(Comparator.comparingLong(Removal::begin));
                List<Removal> removing = byKey.get(key).stream().filter(Removal::removesEntries).toList();
                removingBegins[key] = removing.stream().mapToLong(Removal::begin).toArray();
                long[] leastEndFrom = new long[removing.size() + 1];
                leastEndFrom[removing.size()] = NEVER;
                for (int i = removing.size() - 1; i >= 0; i--) {
                    leastEndFrom[i] = Math.min(leastEndFrom[i + 1], removing.get(i).end());
                }
                removingLeastEndFrom[key] = leastEndFrom;

                List<Removal> detaching = byKey.get(key).stream().filter(Removal::mayDetach).toList();
                detachingBegins[key] = detaching.stream().mapToLong(Removal::begin).toArray();
                long[] greatestEndTo = new long[detaching.size()];
                for (int i = 0; i < detaching.size(); i++) {
                    greatestEndTo[i] = Math.max(i == 0 ? 0 : greatestEndTo[i - 1], detaching.get(i).end());
                }
                detachingGreatestEndTo[key] = greatestEndTo;
            }
        }

        /** Whether an invalidate of {@code key} or a clear began after {@code after} and ended before {@code before}. */
        boolean removedBetween(int key, long after, long before) {
            int first = firstAbove(removingBegins[key], after);
            return removingLeastEndFrom[key][first] < before;
        }

        /** Whether a removal that may take a load of {@code key} out of the cache overlapped ({@code from}, {@code to}). */
        boolean mayHaveDetached(int key, long from, long to) {
            int beganBefore = firstAbove(detachingBegins[key], to - 1);
            return beganBefore > 0 && detachingGreatestEndTo[key][beganBefore - 1] > from;
        }

        /** The index of the first element greater than {@code value} in an ascending array of distinct stamps. */
        private static int firstAbove(long[] ascending, long value) {
            int index = Arrays.binarySearch(ascending, value + 1);
            return index >= 0 ? index : -index - 1;
        }
    }
}
