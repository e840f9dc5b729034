package io.github.alru.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableAsync;

/** A web application that fetches PEPs from a slow upstream through an alru-cached {@code @Async} client. */
@SpringBootApplication
@EnableAsync
public class SampleApplication {

    /**
     * Starts the application; with {@code --sample.quickstart=true} it tells the quick-start story and exits.
     *
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
