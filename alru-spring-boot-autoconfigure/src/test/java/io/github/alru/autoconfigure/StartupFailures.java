package io.github.alru.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.alru.spring.AlruConfigurationException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Asserts that a context fails to start with alru's message, as the failure analyzer prints it. */
final class StartupFailures {

    private StartupFailures() {
    }

    static void assertStartFailsWith(ApplicationContextRunner configured, String... fragments) {
        configured.run(context -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            Throwable cause = failure;
            while (cause != null && !(cause instanceof AlruConfigurationException)) {
                cause = cause.getCause();
            }
            assertThat(cause).as("an AlruConfigurationException in %s", failure).isNotNull();
            assertThat(cause.getMessage()).contains(fragments);
            assertThat(new AlruConfigurationFailureAnalyzer().analyze(failure).getDescription()).isEqualTo(cause.getMessage());
        });
    }
}
