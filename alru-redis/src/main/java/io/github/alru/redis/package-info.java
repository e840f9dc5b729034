/**
 * The cluster tier of alru on Redis: {@link io.github.alru.Scope#CLUSTER} caches shared by every
 * instance of an application, through Spring Data Redis with Lettuce.
 */
@NullMarked
package io.github.alru.redis;

import org.jspecify.annotations.NullMarked;
