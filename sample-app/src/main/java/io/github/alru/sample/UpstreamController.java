package io.github.alru.sample;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** The slow upstream, served by the sample itself so that it needs no network: about 200 ms a PEP. */
@RestController
class UpstreamController {

    private final PepArchive archive;

    UpstreamController(PepArchive archive) {
        this.archive = archive;
    }

    @GetMapping(path = "/upstream/peps/{number}", produces = "text/plain")
    ResponseEntity<String> pep(@PathVariable int number) throws InterruptedException {
        return archive.find(number).map(ResponseEntity::ok).orElseGet(() -> ResponseEntity.notFound().build());
    }

    @GetMapping("/upstream/requests")
    int requests() {
        return archive.requests();
    }
}
