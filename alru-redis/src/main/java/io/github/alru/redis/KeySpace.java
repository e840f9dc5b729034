package io.github.alru.redis;

import static io.github.alru.redis.Scripts.bytes;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.lettuce.core.cluster.SlotHash;

/**
 * Where one CLUSTER cache's keys live in Redis: {@value #BUCKETS} buckets, each with a hash tag of
 * its own, so that on Redis Cluster the cache's keys and traffic spread over every shard while
 * each script still touches the keys of one slot (one bucket) only.
 *
 * <p>A key's bucket is given by its hash. Bucket {@code b}'s tag, {@code {<name>/<n>}}, is the
 * first {@code n} whose slot falls in the {@code b}-th of {@value #BUCKETS} equal ranges of the
 * 16,384 slots: the buckets cover the slot space evenly, so a shard holding a share of the slots
 * (Redis Cluster gives each a contiguous range) holds that share of every cache. The tags depend
 * on the name only, so every instance, in every JVM, finds the same ones.
 *
 * <p>Each bucket has its own epoch ({@link Scripts}): a clear starts a new one in every bucket.
 * Key names carry their epoch, and every script is given the names of all the keys it touches
 * (so proxies and Redis-compatible servers that check declared keys accept it); an instance
 * names them under the epoch it last saw in that bucket, and a script that finds another one
 * replies with it, to be asked again ({@link #knownEpoch}).
 *
 * <p>Layout, under {@code <bucket> = <prefix>:{<name>/<n>}:}: {@code <bucket>epoch},
 * {@code <bucket>fence} (lease numbers), {@code <bucket>server} (the Redis process last seen),
 * and per epoch {@code e}: {@code <bucket>e:v:<hash>} (value), {@code <bucket>e:l:<hash>}
 * (lease), {@code <bucket>e:f:<hash>} (fresh marker) and {@code <bucket>e:keys} (the hashes of
 * values stored without a ttl, for {@link OrphanSweeper}).
 */
final class KeySpace {

    /** Buckets per cache: a power of two, so hashes spread evenly, and enough to cover 64 shards. */
    static final int BUCKETS = 64;

    private static final int SLOTS = SlotHash.SLOT_COUNT;

    private final String[] bases = new String[BUCKETS];
    private final byte[][] epochKeys = new byte[BUCKETS][];
    /** The epoch this instance last saw in each bucket, {@code none} before it saw one. */
    private final AtomicReferenceArray<String> epochs = new AtomicReferenceArray<>(BUCKETS);
    /**
     * 1 for a bucket whose Redis process was checked ({@link Scripts#CHECK_SERVER}) since the link
     * last reconnected, else 0: calls for keys of an unchecked bucket (its shard is away, say) run
     * on this instance alone, while the other buckets keep sharing.
     */
    private final AtomicIntegerArray checked = new AtomicIntegerArray(BUCKETS);

    KeySpace(String keyPrefix, String cacheName) {
        for (int bucket = 0; bucket < BUCKETS; bucket++) {
            bases[bucket] = tagFor(keyPrefix, cacheName, bucket);
            epochKeys[bucket] = bytes(bases[bucket] + "epoch");
            epochs.set(bucket, "none");
        }
    }

    /** Bucket {@code bucket}'s key base: the first tag {@code {<name>/<n>}} whose slot is in the bucket's range. */
    static String tagFor(String keyPrefix, String cacheName, int bucket) {
        if ((keyPrefix + cacheName).indexOf('{') >= 0 || cacheName.indexOf('}') >= 0) {
            // Redis would cut the tag short: the buckets may share a slot, but every instance names them alike
            return keyPrefix + ":{" + cacheName + "/" + bucket + "}:";
        }
        int perBucket = SLOTS / BUCKETS;
        for (int n = 0;; n++) { // one n in 64 falls in the range: a few hundred tries at most
            String base = keyPrefix + ":{" + cacheName + "/" + n + "}:";
            if (SlotHash.getSlot(base) / perBucket == bucket) {
                return base;
            }
        }
    }

    /** The bucket of a key hash (hex of SHA-256, see {@link KeyCodec}). */
    static int bucketOf(String hash) {
        return Integer.parseInt(hash.substring(0, 4), 16) % BUCKETS;
    }

    String base(int bucket) {
        return bases[bucket];
    }

    byte[] epochKey(int bucket) {
        return epochKeys[bucket];
    }

    /** The epoch this instance last saw in the bucket, or {@code none}. */
    String knownEpoch(int bucket) {
        return epochs.get(bucket);
    }

    /** Records the epoch a script found in the bucket. */
    void sawEpoch(int bucket, String epoch) {
        epochs.set(bucket, epoch);
    }

    /** Whether the bucket's Redis process was checked since the link last reconnected. */
    boolean checked(int bucket) {
        return checked.get(bucket) == 1;
    }

    void markChecked(int bucket) {
        checked.set(bucket, 1);
    }

    /** Whether some bucket still waits for its check. */
    boolean anyUnchecked() {
        for (int bucket = 0; bucket < BUCKETS; bucket++) {
            if (checked.get(bucket) == 0) {
                return true;
            }
        }
        return false;
    }

    /** Forgets every check: the link reconnected, perhaps to another process. */
    void uncheckAll() {
        for (int bucket = 0; bucket < BUCKETS; bucket++) {
            checked.set(bucket, 0);
        }
    }

    byte[] key(int bucket, String suffix) {
        return bytes(bases[bucket] + suffix);
    }

    /** A key of epoch {@code epoch}: {@code <bucket><epoch>:<kind>:<hash>}, or {@code <bucket><epoch>:keys}. */
    byte[] key(int bucket, String epoch, String kind, String hash) {
        return bytes(bases[bucket] + epoch + ":" + kind + ":" + hash);
    }

    byte[] keysSet(int bucket, String epoch) {
        return bytes(bases[bucket] + epoch + ":keys");
    }
}
