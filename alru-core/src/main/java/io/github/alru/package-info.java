/**
 * alru: memoisation of asynchronous functions, a port of Python's {@code async-lru}. Concurrent
 * calls with equal keys share one execution; finished results are kept in a bounded cache with
 * optional expiry; failures are never cached. Start with {@link io.github.alru.AlruCache#builder()},
 * or, in Spring, with {@link io.github.alru.AlruCacheable}.
 */
@NullMarked
package io.github.alru;

import org.jspecify.annotations.NullMarked;
