/**
 * alru's integration with the Spring Framework: the advice in front of every
 * {@link io.github.alru.AlruCacheable} method, the post-processor that places it, the registry of
 * method caches and their closing on shutdown. Auto-configuration lives apart, in
 * {@code io.github.alru.autoconfigure}.
 */
@NullMarked
package io.github.alru.spring;

import org.jspecify.annotations.NullMarked;
