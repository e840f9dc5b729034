package io.github.alru.autoconfigure.endpoint;

import io.github.alru.AlruCacheRegistry;
import io.github.alru.autoconfigure.AlruAutoConfiguration;
import io.github.alru.spring.endpoint.AlruEndpoint;
import io.github.alru.spring.endpoint.AlruEndpointWebExtension;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@link AlruEndpoint}: present when the actuator is on the class path,
 * alru's registry exists and the endpoint is available (its access is not {@code none} and it is
 * exposed), like Boot's own endpoints.
 */
@AutoConfiguration(after = AlruAutoConfiguration.class)
@ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
@ConditionalOnAvailableEndpoint(AlruEndpoint.class)
@ConditionalOnBean(AlruCacheRegistry.class)
public class AlruEndpointAutoConfiguration {

    /** Creates an AlruEndpointAutoConfiguration. */
    public AlruEndpointAutoConfiguration() {
    }

    /**
     * The endpoint.
     *
     * @param registry the caches it shows
     * @return the endpoint
     */
    @Bean
    @ConditionalOnMissingBean
    public AlruEndpoint alruEndpoint(AlruCacheRegistry registry) {
        return new AlruEndpoint(registry);
    }

    /**
     * The endpoint's web extension, present when the endpoint is exposed on the web.
     *
     * @param endpoint the endpoint
     * @return the extension
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(AlruEndpoint.class)
    @ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
    public AlruEndpointWebExtension alruEndpointWebExtension(AlruEndpoint endpoint) {
        return new AlruEndpointWebExtension(endpoint);
    }
}
