package io.github.alru.redis;

/**
 * The Lua scripts of the cluster tier. Every key of one cache shares the hash tag {@code {name}}, so
 * a script touches one slot, also on Redis Cluster. The cache's epoch, bumped by {@code clear},
 * is part of every value and lease key, so a clear orphans them all at once.
 *
 * <p>KEYS[1] is always the epoch key {@code <prefix>:{<name>}:epoch}; ARGV[1] the key base
 * {@code <prefix>:{<name>}:} and ARGV[2] the key's hash.
 *
 * <p><b>Epochs never repeat.</b> An epoch is Redis's clock in microseconds when it began (or the
 * last epoch plus one, should the clock be behind), not a counter from 0: an epoch key lost (evicted
 * under an {@code allkeys} policy, or a Redis restarted without it) starts an epoch no key was ever
 * written in, so nothing a clear removed can be read again. Scripts that only read or delete treat
 * a missing epoch as {@code none}, under which nothing is stored.
 */
final class Scripts {

    private Scripts() {
    }

    /** A script's argument, or key, as Redis reads it. */
    static byte[] bytes(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A script's reply element as text: bulk strings come as bytes, integers as numbers. */
    static String text(Object reply) {
        return reply instanceof byte[] raw ? new String(raw, java.nio.charset.StandardCharsets.UTF_8) : String.valueOf(reply);
    }

    /**
     * A stored value's remaining life, in ms, as this instance may trust it: the value's own, cut to
     * this instance's longest lifetime {@code max} (ttl plus jitter; '0' for none) when it would live
     * longer or for ever. That happens to copies stored by a deployment whose ttl was longer, or
     * absent: the cut applies to the copy in Redis, so no instance serves it past the new ttl.
     */
    /** The epoch functions of {@code Scripts}' class comment. */
    private static final String EPOCH = """
            local function next_epoch(after)
              local t = redis.call('TIME')
              local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
              return string.format('%.0f', math.max(now, (tonumber(after or '0') or 0) + 1))
            end
            local function epoch(create)
              local e = redis.call('GET', KEYS[1])
              if e or not create then return e or 'none' end
              e = next_epoch(nil)
              redis.call('SET', KEYS[1], e)
              return e
            end
            """;

    private static final String LIFETIME = """
            local function lifetime(key, max)
              local pttl = redis.call('PTTL', key)
              if max ~= '0' and (pttl < 0 or pttl > tonumber(max)) then
                redis.call('PEXPIRE', key, max)
                return tonumber(max)
              end
              return pttl
            end
            """;

    /**
     * The end of {@link #ACQUIRE} and {@link #RELOAD}, with {@code e} and {@code base} set: the
     * holder's remaining time and token when the lease is held, else the lease, under the fence's
     * next number. A call that finds the lease held writes nothing, so the polls of waiting calls
     * cost Redis reads only; the script runs atomically, so no other caller can take the lease
     * between its read and its write.
     */
    private static final String TAKE_LEASE_OR_WAIT = """
            local lease = base .. ':l:' .. ARGV[2]
            local holder = redis.call('GET', lease)
            if holder then return {'W', redis.call('PTTL', lease), holder} end
            local token = redis.call('INCR', ARGV[1] .. 'fence') .. ':' .. ARGV[4]
            redis.call('SET', lease, token, 'PX', ARGV[3])
            return {'L', e, token}
            """;

    /**
     * Reads the value, or takes the lease, or reports the lease holder's remaining time:
     * {@code {"V", value, pttl}}, {@code {"L", epoch, token}} or {@code {"W", pttl, holder's token}}. ARGV[3] is the
     * lease in ms, ARGV[4] a nonce of the caller's, ARGV[5] this instance's longest lifetime
     * in ms or 0 for none (see {@link #LIFETIME}): the token is the fence's next number and the nonce,
     * so a caller whose reply was lost can still release the lease it was granted ({@link #RELEASE_OWN}).
     */
    static final String ACQUIRE = EPOCH + LIFETIME + """
            local e = epoch(true)
            local base = ARGV[1] .. e
            local v = redis.call('GET', base .. ':v:' .. ARGV[2])
            if v then return {'V', v, lifetime(base .. ':v:' .. ARGV[2], ARGV[5])} end
            """ + TAKE_LEASE_OR_WAIT;

    /**
     * For a reload (refresh-ahead): the value, if another instance stored it within the refresh
     * period (its "fresh" marker lives that long); else the lease; else the lease holder's
     * remaining time. Replies as {@link #ACQUIRE}.
     */
    static final String RELOAD = EPOCH + LIFETIME + """
            local e = epoch(true)
            local base = ARGV[1] .. e
            if redis.call('EXISTS', base .. ':f:' .. ARGV[2]) == 1 then
              local v = redis.call('GET', base .. ':v:' .. ARGV[2])
              if v then return {'V', v, lifetime(base .. ':v:' .. ARGV[2], ARGV[5])} end
            end
            """ + TAKE_LEASE_OR_WAIT;

    /** Extends the lease if this load still holds it: ARGV[3] epoch, ARGV[4] token, ARGV[5] lease ms. Returns 1 or 0. */
    static final String RENEW = """
            local lease = ARGV[1] .. ARGV[3] .. ':l:' .. ARGV[2]
            if redis.call('GET', lease) == ARGV[4] then return redis.call('PEXPIRE', lease, ARGV[5]) end
            return 0
            """;

    /**
     * Stores the value only if the cache was not cleared (epoch) and this load still holds its
     * lease (not invalidated, not taken over): ARGV[3] epoch, ARGV[4] token, ARGV[5] value,
     * ARGV[6] lifetime in ms or 0 for none, ARGV[7] the refresh period in ms or 0 for none (the
     * "fresh" marker that spares other instances a reload lives that long). Returns 1 when stored,
     * 0 when refused. A value stored for good is listed in its epoch's {@code :keys} set, so that a
     * clear can delete it without scanning the keyspace ({@link OrphanSweeper}); one that expires
     * needs no list.
     */
    static final String STORE = """
            if redis.call('GET', KEYS[1]) ~= ARGV[3] then return 0 end
            local base = ARGV[1] .. ARGV[3]
            if redis.call('GET', base .. ':l:' .. ARGV[2]) ~= ARGV[4] then return 0 end
            if ARGV[6] == '0' then
              redis.call('SET', base .. ':v:' .. ARGV[2], ARGV[5])
              redis.call('SADD', base .. ':keys', ARGV[2])
            else
              redis.call('SET', base .. ':v:' .. ARGV[2], ARGV[5], 'PX', ARGV[6])
            end
            redis.call('DEL', base .. ':l:' .. ARGV[2])
            if ARGV[7] ~= '0' then
              redis.call('SET', base .. ':f:' .. ARGV[2], '1', 'PX', ARGV[7])
            end
            return 1
            """;

    /** Gives the lease up if this load still holds it (its load failed): ARGV[3] epoch, ARGV[4] token. */
    static final String RELEASE = """
            local lease = ARGV[1] .. ARGV[3] .. ':l:' .. ARGV[2]
            if redis.call('GET', lease) == ARGV[4] then return redis.call('DEL', lease) end
            return 0
            """;

    /** Releases the key's lease if it was granted to the caller whose nonce is ARGV[3], whose reply never arrived. */
    static final String RELEASE_OWN = EPOCH + """
            local lease = ARGV[1] .. epoch(false) .. ':l:' .. ARGV[2]
            local v = redis.call('GET', lease)
            local suffix = ':' .. ARGV[3]
            if v and string.sub(v, -string.len(suffix)) == suffix then return redis.call('DEL', lease) end
            return 0
            """;

    /** Removes the key's value, lease and fresh marker in the current epoch, so a load in flight for it cannot store. */
    static final String INVALIDATE = EPOCH + """
            local base = ARGV[1] .. epoch(false)
            redis.call('SREM', base .. ':keys', ARGV[2])
            return redis.call('DEL', base .. ':v:' .. ARGV[2], base .. ':l:' .. ARGV[2], base .. ':f:' .. ARGV[2])
            """;

    /** Removes a stored value that could not be read, if it is still the same: ARGV[3] the unreadable value. */
    static final String DISCARD_UNREADABLE = EPOCH + """
            local base = ARGV[1] .. epoch(false)
            if redis.call('GET', base .. ':v:' .. ARGV[2]) == ARGV[3] then
              redis.call('SREM', base .. ':keys', ARGV[2])
              return redis.call('DEL', base .. ':v:' .. ARGV[2])
            end
            return 0
            """;

    /** Starts a new epoch, which orphans every value and lease of the cache; returns the old epoch. */
    static final String CLEAR = EPOCH + """
            local old = redis.call('GET', KEYS[1])
            redis.call('SET', KEYS[1], next_epoch(old))
            return old or 'none'
            """;

    /**
     * Records which Redis process serves the cache, ARGV[2] its run id, under {@code <base>server}.
     * When another process wrote it before (this Redis restarted, from a snapshot that may be
     * older than the last invalidations, or a replica took over), starts a new epoch, so nothing the
     * old process kept is read again. Returns 1 when it started one, else 0.
     */
    static final String CHECK_SERVER = EPOCH + """
            local seen = redis.call('GET', ARGV[1] .. 'server')
            if seen == ARGV[2] then return 0 end
            redis.call('SET', ARGV[1] .. 'server', ARGV[2])
            if not seen then return 0 end
            redis.call('SET', KEYS[1], next_epoch(redis.call('GET', KEYS[1])))
            return 1
            """;

    /** Uses every command the other scripts use, on KEYS[1], a key of its own that it deletes again. */
    static final String PROBE = """
            redis.call('TIME')
            redis.call('SET', KEYS[1], '0', 'PX', 10000)
            redis.call('INCR', KEYS[1])
            redis.call('GET', KEYS[1])
            redis.call('PTTL', KEYS[1])
            redis.call('PEXPIRE', KEYS[1], 10000)
            redis.call('EXISTS', KEYS[1])
            redis.call('DEL', KEYS[1])
            redis.call('SADD', KEYS[1], '0')
            redis.call('SREM', KEYS[1], '0')
            return redis.call('DEL', KEYS[1])
            """;

    /**
     * Takes the lease over from a holder that is gone, if it still holds it: ARGV[3] the lease in
     * ms, ARGV[4] the caller's nonce, ARGV[5] the gone holder's token. Replies {@code {"L", epoch,
     * token}}, or {@code {"G"}} when the lease is no longer that holder's (ask again).
     */
    static final String TAKE_OVER = EPOCH + """
            local e = epoch(false)
            local lease = ARGV[1] .. e .. ':l:' .. ARGV[2]
            if redis.call('GET', lease) ~= ARGV[5] then return {'G'} end
            local token = redis.call('INCR', ARGV[1] .. 'fence') .. ':' .. ARGV[4]
            redis.call('SET', lease, token, 'PX', ARGV[3])
            return {'L', e, token}
            """;
}
