package io.github.alru.redis;

/**
 * The Lua scripts of the cluster tier. Each touches the keys of one bucket of one cache
 * ({@link KeySpace}), so one slot, also on Redis Cluster, and is given the name of every key it
 * touches in KEYS: none is built inside a script. The bucket's epoch, started anew by
 * {@code clear}, is part of every value and lease key's name, so a clear orphans them all at once.
 *
 * <p>A script that names keys under an epoch checks that epoch first; finding another, it replies
 * {@code {"E", epoch}} and changes nothing, and the caller asks again under that one.
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

    /** The epoch functions of {@code Scripts}' class comment; KEYS[1] is the bucket's epoch key. */
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

    /** How many replicas this Redis master has connected: an invalidation waits for one of them ({@code WAIT}). */
    private static final String REPLICAS = """
            local function replicas()
              return tonumber(string.match(redis.call('INFO', 'replication'), 'connected_slaves:(%d+)') or '0')
            end
            """;

    /**
     * A stored value's remaining life, in ms, as this instance may trust it: the value's own, cut to
     * this instance's longest lifetime {@code max} (ttl plus jitter; '0' for none) when it would live
     * longer or for ever. That happens to copies stored by a deployment whose ttl was longer, or
     * absent: the cut applies to the copy in Redis, so no instance serves it past the new ttl.
     */
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
     * The end of {@link #ACQUIRE} and {@link #RELOAD}, with {@code e} set: the holder's remaining
     * time and token when the lease is held, else the lease, under the fence's next number. A call
     * that finds the lease held writes nothing, so the polls of waiting calls cost Redis reads only;
     * the script runs atomically, so no other caller can take the lease between its read and its write.
     */
    private static final String TAKE_LEASE_OR_WAIT = """
            local holder = redis.call('GET', KEYS[3])
            if holder then return {'W', redis.call('PTTL', KEYS[3]), holder} end
            local token = redis.call('INCR', KEYS[4]) .. ':' .. ARGV[3]
            redis.call('SET', KEYS[3], token, 'PX', ARGV[2])
            return {'L', e, token}
            """;

    /**
     * Reads the value, or takes the lease, or reports the lease holder's remaining time:
     * {@code {"V", value, pttl}}, {@code {"L", epoch, token}} or {@code {"W", pttl, holder's token}}
     * (or {@code {"E", epoch}}, creating the bucket's first epoch if it has none).
     * KEYS: epoch, value, lease, fence, fresh marker (unused here: {@link #RELOAD}'s keys).
     * ARGV[1] the epoch the keys are named under, ARGV[2] the lease in ms, ARGV[3] a nonce of the
     * caller's, ARGV[4] this instance's longest lifetime in ms or 0 for none (see {@link #LIFETIME}):
     * the token is the fence's next number and the nonce, so a caller whose reply was lost can still
     * release the lease it was granted ({@link #RELEASE_OWN}).
     */
    static final String ACQUIRE = EPOCH + LIFETIME + """
            local e = epoch(true)
            if e ~= ARGV[1] then return {'E', e} end
            local v = redis.call('GET', KEYS[2])
            if v then return {'V', v, lifetime(KEYS[2], ARGV[4])} end
            """ + TAKE_LEASE_OR_WAIT;

    /**
     * For a reload (refresh-ahead): the value, if another instance stored it within the refresh
     * period (its "fresh" marker, KEYS[5], lives that long); else the lease; else the lease holder's
     * remaining time. Keys, arguments and replies as {@link #ACQUIRE}.
     */
    static final String RELOAD = EPOCH + LIFETIME + """
            local e = epoch(true)
            if e ~= ARGV[1] then return {'E', e} end
            if redis.call('EXISTS', KEYS[5]) == 1 then
              local v = redis.call('GET', KEYS[2])
              if v then return {'V', v, lifetime(KEYS[2], ARGV[4])} end
            end
            """ + TAKE_LEASE_OR_WAIT;

    /** Extends the lease KEYS[1] if this load still holds it: ARGV[1] token, ARGV[2] lease ms. Returns 1 or 0. */
    static final String RENEW = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            return 0
            """;

    /**
     * Stores the value only if the bucket was not cleared (epoch) and this load still holds its
     * lease (not invalidated, not taken over). KEYS: epoch, lease, value, the epoch's {@code :keys}
     * set, fresh marker. ARGV[1] epoch, ARGV[2] token, ARGV[3] value, ARGV[4] lifetime in ms or 0
     * for none, ARGV[5] the refresh period in ms or 0 for none (the "fresh" marker that spares other
     * instances a reload lives that long), ARGV[6] the key's hash. Returns 1 when stored, 0 when
     * refused. A value stored for good is listed in its epoch's {@code :keys} set, so that a clear
     * can delete it without scanning the keyspace ({@link OrphanSweeper}); one that expires needs no list.
     */
    static final String STORE = """
            if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
            if redis.call('GET', KEYS[2]) ~= ARGV[2] then return 0 end
            if ARGV[4] == '0' then
              redis.call('SET', KEYS[3], ARGV[3])
              redis.call('SADD', KEYS[4], ARGV[6])
            else
              redis.call('SET', KEYS[3], ARGV[3], 'PX', ARGV[4])
            end
            redis.call('DEL', KEYS[2])
            if ARGV[5] ~= '0' then
              redis.call('SET', KEYS[5], '1', 'PX', ARGV[5])
            end
            return 1
            """;

    /** Gives the lease KEYS[1] up if this load still holds it (its load failed): ARGV[1] token. */
    static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0
            """;

    /**
     * Releases the lease KEYS[1] if it was granted to the caller whose nonce is ARGV[1], whose reply
     * never arrived: it was granted, if at all, under the epoch the caller named it by.
     */
    static final String RELEASE_OWN = """
            local v = redis.call('GET', KEYS[1])
            local suffix = ':' .. ARGV[1]
            if v and string.sub(v, -string.len(suffix)) == suffix then return redis.call('DEL', KEYS[1]) end
            return 0
            """;

    /**
     * Removes the key's value, lease and fresh marker in the current epoch, so a load in flight for
     * it cannot store. KEYS: epoch, value, lease, fresh marker, {@code :keys} set; ARGV[1] the epoch
     * they are named under, ARGV[2] the key's hash. Replies {@code {"D", replicas}}: done, and how
     * many replicas the master has, which the caller waits for one of; or {@code {"E", epoch}}.
     */
    static final String INVALIDATE = REPLICAS + """
            local e = redis.call('GET', KEYS[1])
            if e and e ~= ARGV[1] then return {'E', e} end
            if e then
              redis.call('SREM', KEYS[5], ARGV[2])
              redis.call('DEL', KEYS[2], KEYS[3], KEYS[4])
            end
            return {'D', replicas()}
            """;

    /** Removes the stored value KEYS[1] that could not be read, if it is still ARGV[1], and its hash ARGV[2] from the set KEYS[2]. */
    static final String DISCARD_UNREADABLE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              redis.call('SREM', KEYS[2], ARGV[2])
              return redis.call('DEL', KEYS[1])
            end
            return 0
            """;

    /**
     * Starts a new epoch in the bucket, which orphans every value and lease of it. Replies
     * {@code {old epoch or "none", new epoch, replicas}}.
     */
    static final String CLEAR = EPOCH + REPLICAS + """
            local old = redis.call('GET', KEYS[1])
            local new = next_epoch(old)
            redis.call('SET', KEYS[1], new)
            return {old or 'none', new, replicas()}
            """;

    /**
     * Records which Redis process serves the bucket, by its run id, under KEYS[2]. When another
     * process wrote it before (this Redis restarted, from a snapshot that may be older than the last
     * invalidations, or a replica took over), starts a new epoch, so nothing the old process kept is
     * read again. Replies {@code {1 when it started one else 0, run id}}.
     */
    static final String CHECK_SERVER = EPOCH + """
            local id = string.match(redis.call('INFO', 'server'), 'run_id:(%x+)')
            local seen = redis.call('GET', KEYS[2])
            if seen == id then return {0, id} end
            redis.call('SET', KEYS[2], id)
            if not seen then return {0, id} end
            redis.call('SET', KEYS[1], next_epoch(redis.call('GET', KEYS[1])))
            return {1, id}
            """;

    /** Uses every command the other scripts use, on KEYS[1], a key of its own that it deletes again. */
    static final String PROBE = """
            redis.call('TIME')
            redis.call('INFO', 'server')
            redis.call('INFO', 'replication')
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
     * Takes over the lease from a holder that is gone, if it still holds it. KEYS: epoch, lease,
     * fence; ARGV[1] the epoch they are named under, ARGV[2] the lease in ms, ARGV[3] the caller's
     * nonce, ARGV[4] the gone holder's token. Replies {@code {"L", epoch, token}}, or {@code {"G"}}
     * when the lease is no longer that holder's, or the epoch moved on (ask again).
     */
    static final String TAKE_OVER = """
            if redis.call('GET', KEYS[1]) ~= ARGV[1] then return {'G'} end
            if redis.call('GET', KEYS[2]) ~= ARGV[4] then return {'G'} end
            local token = redis.call('INCR', KEYS[3]) .. ':' .. ARGV[3]
            redis.call('SET', KEYS[2], token, 'PX', ARGV[2])
            return {'L', ARGV[1], token}
            """;
}
