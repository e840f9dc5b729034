package io.github.alru.sample;

import java.util.Arrays;
import java.util.Map;

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
        SpringApplication application = new SpringApplication(SampleApplication.class);
        if (Arrays.asList(args).contains("--sample.quickstart=true")) {
            // The story serves its own upstream on a free port, so it runs even while the sample app holds 8080.
            application.setDefaultProperties(Map.of("server.port", "0"));
        }
        application.run(args);
    }
}
