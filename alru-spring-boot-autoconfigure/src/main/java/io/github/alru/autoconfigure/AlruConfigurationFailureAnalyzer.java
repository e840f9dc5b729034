package io.github.alru.autoconfigure;

import io.github.alru.spring.AlruConfigurationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports a bad {@code @AlruCacheable} method or {@code alru.*} setting plainly when the start fails. */
class AlruConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<AlruConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, AlruConfigurationException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Correct the @AlruCacheable annotation or the alru.* property named above.", cause);
    }
}
