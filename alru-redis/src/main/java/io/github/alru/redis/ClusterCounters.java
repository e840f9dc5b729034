package io.github.alru.redis;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import io.github.alru.cluster.ClusterStats;
import io.github.alru.cluster.ResyncReason;

/** The counters of one CLUSTER cache, written by its loads, invalidations and events; read as {@link ClusterStats}. */
final class ClusterCounters {

    final LongAdder hits = new LongAdder();
    final LongAdder misses = new LongAdder();
    final LongAdder waits = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder invalidations = new LongAdder();
    private final Map<ResyncReason, LongAdder> resyncs = new EnumMap<>(ResyncReason.class);

    ClusterCounters() {
        for (ResyncReason reason : ResyncReason.values()) {
            resyncs.put(reason, new LongAdder());
        }
    }

    void resynced(ResyncReason reason) {
        resyncs.get(reason).increment();
    }

    ClusterStats snapshot() {
        Map<ResyncReason, Long> dropped = new EnumMap<>(ResyncReason.class);
        resyncs.forEach((reason, count) -> dropped.put(reason, count.sum()));
        return new ClusterStats(hits.sum(), misses.sum(), waits.sum(), errors.sum(), invalidations.sum(), dropped);
    }
}
