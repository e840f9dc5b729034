/** The {@code alru} actuator endpoint and its auto-configuration. */
package io.github.alru.autoconfigure.endpoint;
