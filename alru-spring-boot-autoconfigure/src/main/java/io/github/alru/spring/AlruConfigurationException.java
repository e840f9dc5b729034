package io.github.alru.spring;

/** A bad {@code @AlruCacheable} method or {@code alru.*} setting, found while the application starts. */
public class AlruConfigurationException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong, naming the method, the setting and the value
     */
    public AlruConfigurationException(String message) {
        super(message);
    }

    AlruConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
