package io.github.alru.cluster;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import io.github.alru.AlruTieredLoad;
import org.jspecify.annotations.Nullable;

/**
 * One CLUSTER cache's view of the tier. The local cache stays in front of it: the tier is asked
 * only on a local miss, once per key per instance, however many callers wait locally.
 */
public interface ClusterCache {

    /**
     * Loads the value for these arguments through the tier: from the shared store if another
     * instance loaded it; after waiting for another instance's load of it; or by running
     * {@code method} here, under a lease, and sharing the value. No error of the tier reaches the
     * returned future: when the tier is down or slow, the method runs here.
     *
     * @param args the method's arguments
     * @param method runs the method on this instance
     * @param callerMayBlock whether the first Redis round trip (at most the tier's timeout) may run on
     *     the caller's thread, and the method too when this instance takes the load; {@code false} for
     *     reactive callers and for callers on a thread that must never block (an event loop, Reactor's
     *     non-blocking schedulers), whose loads run wholly on the tier's threads
     * @param <V> the value type
     * @return the load, completed as {@link AlruTieredLoad} describes
     */
    <V> AlruTieredLoad<V> load(@Nullable Object[] args, Supplier<? extends CompletionStage<V>> method, boolean callerMayBlock);

    /**
     * Reloads an entry due for refresh: with the value another instance reloaded within the refresh
     * period, if there is one; else by running {@code method} here, under the key's lease, and
     * sharing the value; else, while another instance holds the lease, with that instance's value
     * once it is stored. One reload per key across instances.
     *
     * @param args the method's arguments
     * @param method runs the method on this instance
     * @param callerMayBlock as for {@link #load}; the Spring layer passes {@code false}, since a
     *     refresh runs in the background of the hit that started it
     * @param <V> the value type
     * @return the reload
     */
    <V> AlruTieredLoad<V> reload(@Nullable Object[] args, Supplier<? extends CompletionStage<V>> method, boolean callerMayBlock);

    /**
     * Removes the shared entry for these arguments and tells every other instance to drop its own;
     * a load in flight for them anywhere stores its value nowhere.
     *
     * @param args the method's arguments
     */
    void invalidate(@Nullable Object[] args);

    /** Removes every shared entry of the cache and tells every other instance to drop its own. */
    void clear();

    /**
     * Returns the cache's counters in the tier.
     *
     * @return a snapshot
     */
    ClusterStats stats();
}
