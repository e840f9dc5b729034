package io.github.alru.sample;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.HttpClientErrorException;

/** What users call: {@code GET /peps/{number}}, answered through the cached client. */
@RestController
class PepController {

    private final PepClient peps;

    PepController(PepClient peps) {
        this.peps = peps;
    }

    @GetMapping(path = "/peps/{number}", produces = "text/plain")
    CompletableFuture<ResponseEntity<String>> pep(@PathVariable int number) {
        return peps.fetch(number).thenApply(ResponseEntity::ok).exceptionally(error -> {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof HttpClientErrorException.NotFound) {
                return ResponseEntity.status(HttpStatus.NOT_FOUND).body("PEP " + number + " not found\n");
            }
            return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body("upstream failed: " + cause.getMessage() + "\n");
        });
    }
}
