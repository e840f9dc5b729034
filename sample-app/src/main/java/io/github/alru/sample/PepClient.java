package io.github.alru.sample;

import java.util.concurrent.CompletableFuture;

import io.github.alru.AlruCacheable;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * Fetches PEPs from the upstream over HTTP, on Spring's task executor ({@code @Async}), through an
 * alru cache: concurrent requests for one PEP share one fetch, and a fetched PEP is served from the
 * cache, without touching the executor, for 10 to 12 seconds. A 404 fails the future and is not cached.
 */
@Component
public class PepClient {

    private final RestClient http;
    private final Environment environment;

    PepClient(RestClient.Builder http, Environment environment) {
        this.http = http.build();
        this.environment = environment;
    }

    /**
     * Fetches one PEP.
     *
     * @param number the PEP's number
     * @return its text; fails with {@code HttpClientErrorException.NotFound} for an unknown PEP
     */
    @Async
    @AlruCacheable(maxSize = 32, ttl = "10s", jitter = "2s")
    public CompletableFuture<String> fetch(int number) {
        String text = http.get().uri(upstream() + "/upstream/peps/{number}", number).retrieve().body(String.class);
        return CompletableFuture.completedFuture(text);
    }

    /** The upstream's address: {@code sample.upstream.base-url}, or this application itself. */
    private String upstream() {
        String configured = environment.getProperty("sample.upstream.base-url");
        return configured != null ? configured : "http://localhost:" + environment.getRequiredProperty("local.server.port");
    }
}
