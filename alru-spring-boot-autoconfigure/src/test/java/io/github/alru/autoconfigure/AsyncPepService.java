package io.github.alru.autoconfigure;

import java.util.concurrent.CompletableFuture;

import io.github.alru.AlruCacheable;

/** An interface whose implementation is both {@code @Async} and {@code @AlruCacheable}. */
public interface AsyncPepService {

    @AlruCacheable(name = "peps")
    CompletableFuture<String> fetch(int number);
}
