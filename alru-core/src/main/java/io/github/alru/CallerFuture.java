package io.github.alru;

import java.util.concurrent.CompletableFuture;

/**
 * The future one caller gets while a load is in flight. What the caller does to it touches no
 * other caller; cancelling it tells the load, so that the last caller to cancel cancels the load.
 *
 * @param <V> the value type
 */
final class CallerFuture<V> extends CompletableFuture<V> {

    private final Load<V> load;

    CallerFuture(Load<V> load) {
        this.load = load;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled) {
            load.callerCancelled(this);
        }
        return cancelled;
    }

    /** Dependent stages are plain futures: only the caller's own future reports cancellation. */
    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }
}
