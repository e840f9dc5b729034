package io.github.alru.spring;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.alru.AlruCacheRegistry;
import io.github.alru.AlruMethodCache;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * Closes every alru cache when the application context closes: after the web server has stopped
 * taking requests, and before Spring's task executors stop, so that loads in flight (often
 * {@code @Async} work) finish for their callers, for up to {@code alru.shutdown.timeout}; the
 * loads still running then are cancelled.
 */
public class AlruCacheLifecycle implements SmartLifecycle, DisposableBean {

    /**
     * The phase in which caches close: after the web server's graceful shutdown
     * ({@code DEFAULT_PHASE - 1024}) and stop ({@code - 2048}), before executors
     * ({@code Integer.MAX_VALUE / 2}).
     */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Log logger = LogFactory.getLog(AlruCacheLifecycle.class);

    private final AlruCacheRegistry registry;
    private final boolean wait;
    private final Duration timeout;
    private volatile boolean running;

    /**
     * Creates the lifecycle.
     *
     * @param registry the caches to close
     * @param wait whether closing lets loads in flight finish for their callers ({@code alru.shutdown.wait})
     * @param timeout the longest wait for them, after which they are cancelled ({@code alru.shutdown.timeout})
     */
    public AlruCacheLifecycle(AlruCacheRegistry registry, boolean wait, Duration timeout) {
        this.registry = registry;
        this.wait = wait;
        this.timeout = timeout;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        try {
            closeAll();
        } finally {
            running = false;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** Cancels whatever is still in flight if the context closes without stopping its lifecycle beans. */
    @Override
    public void destroy() {
        caches().forEach(cache -> cache.close(false));
    }

    private List<AlruMethodCache> caches() {
        return registry.names().stream().map(registry::find).flatMap(Optional::stream).toList();
    }

    private void closeAll() {
        List<AlruMethodCache> caches = caches();
        if (!wait) {
            caches.forEach(cache -> cache.close(false));
            return;
        }
        CompletableFuture<?>[] closing = caches.stream().map(cache -> cache.close(true)).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(closing).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            logger.warn("alru: loads still in flight after alru.shutdown.timeout=" + timeout + " are cancelled");
            caches.forEach(cache -> cache.close(false));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            caches.forEach(cache -> cache.close(false));
        } catch (ExecutionException e) {
            throw new IllegalStateException("closing alru caches failed", e.getCause());
        }
    }
}
