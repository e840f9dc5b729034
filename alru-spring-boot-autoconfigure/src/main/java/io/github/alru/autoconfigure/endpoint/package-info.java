/** Auto-configuration of the {@code alru} actuator endpoint. */
@NullMarked
package io.github.alru.autoconfigure.endpoint;

import org.jspecify.annotations.NullMarked;
