package io.github.alru.autoconfigure;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.task.AsyncTaskExecutor;

/** An executor for {@code @Async} that counts the tasks submitted to it. */
class CountingExecutor implements AsyncTaskExecutor, DisposableBean {

    private final AtomicInteger submissions = new AtomicInteger();
    private final ExecutorService threads = Executors.newFixedThreadPool(8, runnable -> {
        Thread thread = new Thread(runnable, "counting-executor");
        thread.setDaemon(true);
        return thread;
    });

    @Override
    public void execute(Runnable task) {
        submissions.incrementAndGet();
        threads.execute(task);
    }

    int submissions() {
        return submissions.get();
    }

    @Override
    public void destroy() {
        threads.shutdownNow();
    }
}
