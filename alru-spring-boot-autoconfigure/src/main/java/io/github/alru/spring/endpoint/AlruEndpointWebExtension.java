package io.github.alru.spring.endpoint;

import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The web side of the {@link AlruEndpoint}: clearing a cache answers 204 No Content, or 404 Not
 * Found when no cache has the name.
 */
@EndpointWebExtension(endpoint = AlruEndpoint.class)
public class AlruEndpointWebExtension {

    private final AlruEndpoint delegate;

    /**
     * Creates the extension.
     *
     * @param delegate the endpoint it extends
     */
    public AlruEndpointWebExtension(AlruEndpoint delegate) {
        this.delegate = delegate;
    }

    /**
     * Clears one cache.
     *
     * @param name the cache's name
     * @return 204 when the cache was cleared, 404 when no cache has that name
     */
    @DeleteOperation
    public WebEndpointResponse<Void> clearCache(@Selector String name) {
        return new WebEndpointResponse<>(
                delegate.clearCache(name) ? WebEndpointResponse.STATUS_NO_CONTENT : WebEndpointResponse.STATUS_NOT_FOUND);
    }
}
