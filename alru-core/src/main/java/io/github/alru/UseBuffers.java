package io.github.alru;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

/**
 * The uses that hits record without a lock, for an {@link LruAlruCache} to apply to its order
 * under its lock: striped ring buffers, as Caffeine's read buffers are, but lossless.
 *
 * <p>A thread records into the stripe its id hashes to, so threads on different stripes write no
 * common memory; threads that share a stripe claim its slots with a compare-and-set on its tail.
 * Within a stripe, uses sit in the order their claims succeeded, so each thread's own uses sit in
 * the order it made them. Nothing is dropped: when a stripe is full, {@link #offer} says so, and
 * the hit drains the buffers under the cache's lock before it records its use there.
 *
 * <p>The consumer (the cache's lock holder) takes each stripe's uses up to the tail it reads; a slot
 * whose claim it sees but whose element is not written yet belongs to a producer between its two
 * steps, and the consumer waits for it, so that no use claimed before a drain is left for the next.
 *
 * @param <E> the recorded elements
 */
final class UseBuffers<E> {

    /** Four stripes per processor, rounded up to a power of two, at most 64. */
    static final int DEFAULT_STRIPES = Integer.highestOneBit(Math.min(64, 4 * Runtime.getRuntime().availableProcessors()) - 1) << 1;
    private static final VarHandle STRIPE = MethodHandles.arrayElementVarHandle(Stripe[].class);

    private final Stripe<?>[] stripes;
    private final int shift;

    /**
     * Creates the buffers.
     *
     * @param stripes a power of two; one makes the recorded order the order of the claims, a
     *     linearization of the uses (the Lincheck tests run the engine so)
     */
    UseBuffers(int stripes) {
        if (stripes < 1 || Integer.bitCount(stripes) != 1) {
            throw new IllegalArgumentException("stripes must be a power of two, was: " + stripes);
        }
        this.stripes = new Stripe<?>[stripes];
        this.shift = 64 - Integer.numberOfTrailingZeros(stripes);
    }

    /**
     * Records a use on the calling thread's stripe.
     *
     * @return {@code false} when that stripe is full: nothing was recorded
     */
    boolean offer(E element) {
        return stripeOfThisThread().offer(element);
    }

    /**
     * Hands the uses recorded on the calling thread's stripe to {@code consumer}, in the order
     * recorded; for a hit whose stripe is full. Only the cache's lock holder may drain.
     */
    void drainThisThreadsStripe(Consumer<? super E> consumer) {
        stripeOfThisThread().drain(consumer);
    }

    private Stripe<E> stripeOfThisThread() {
        // Fibonacci hashing of the thread's id: consecutive ids land on different stripes.
        int index = shift == 64 ? 0 : (int) ((Thread.currentThread().getId() * 0x9E3779B97F4A7C15L) >>> shift);
        @SuppressWarnings("unchecked")
        Stripe<E> stripe = (Stripe<E>) STRIPE.getAcquire(stripes, index);
        return stripe != null ? stripe : create(index);
    }

    @SuppressWarnings("unchecked")
    private Stripe<E> create(int index) {
        Stripe<E> fresh = new Stripe<>();
        Stripe<E> witness = (Stripe<E>) STRIPE.compareAndExchange(stripes, index, null, fresh);
        return witness == null ? fresh : witness;
    }

    /**
     * Hands every use recorded so far to {@code consumer}, stripe by stripe, each stripe's in the
     * order recorded. Only one thread at a time may drain: the cache's lock holder.
     */
    @SuppressWarnings("unchecked")
    void drain(Consumer<? super E> consumer) {
        for (int i = 0; i < stripes.length; i++) {
            Stripe<E> stripe = (Stripe<E>) STRIPE.getAcquire(stripes, i);
            if (stripe != null) {
                stripe.drain(consumer);
            }
        }
    }

    /** One ring buffer: producers claim slots at the tail, the one consumer takes them at the head. */
    static final class Stripe<E> {
        static final int CAPACITY = 64;
        private static final int MASK = CAPACITY - 1;
        private static final VarHandle TAIL;
        private static final VarHandle HEAD;
        private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);

        static {
            try {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                TAIL = lookup.findVarHandle(Stripe.class, "tail", long.class);
                HEAD = lookup.findVarHandle(Stripe.class, "head", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final Object[] slots = new Object[CAPACITY];
        /** The next slot to claim; written by producers, with a compare-and-set. */
        @SuppressWarnings("unused")
        private volatile long tail;
        /** The next slot to take; written by the consumer only. */
        @SuppressWarnings("unused")
        private volatile long head;

        /**
         * Claims the tail slot and writes the element into it. The compare-and-set is a full fence:
         * what the caller reads next comes after the claim, as {@link LruAlruCache}'s eviction
         * check needs.
         */
        boolean offer(E element) {
            for (;;) {
                long claimed = (long) TAIL.getVolatile(this);
                if (claimed - (long) HEAD.getAcquire(this) >= CAPACITY) {
                    return false;
                }
                if (TAIL.compareAndSet(this, claimed, claimed + 1)) {
                    SLOT.setRelease(slots, (int) claimed & MASK, element);
                    return true;
                }
            }
        }

        @SuppressWarnings("unchecked")
        void drain(Consumer<? super E> consumer) {
            long next = (long) HEAD.getOpaque(this);
            long end = (long) TAIL.getVolatile(this);
            for (; next != end; next++) {
                int index = (int) next & MASK;
                Object element;
                for (int spins = 0; (element = SLOT.getAcquire(slots, index)) == null; spins++) {
                    // claimed, not yet written: its producer is between its two steps
                    if (spins < 64) {
                        Thread.onSpinWait();
                    } else {
                        Thread.yield();
                    }
                }
                SLOT.setOpaque(slots, index, null); // published to producers by the head's release below
                consumer.accept((E) element);
            }
            HEAD.setRelease(this, next);
        }
    }
}
