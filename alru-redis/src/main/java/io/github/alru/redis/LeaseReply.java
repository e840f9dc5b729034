package io.github.alru.redis;

/** What {@link Scripts#ACQUIRE}, {@link Scripts#RELOAD} and {@link Scripts#TAKE_OVER} answer, as its first element. */
enum LeaseReply {

    /** The stored value and its remaining life: a hit. */
    VALUE,
    /** The lease, with the epoch it was taken in and its token: the method runs here. */
    LEASE,
    /** Another instance's lease, with its remaining life and its holder's token: the call waits. */
    WAIT,
    /** The lease to take over moved on meanwhile: ask again. */
    MOVED,
    /** The bucket is in another epoch than the keys were named under (a clear came between): ask again under it. */
    EPOCH;

    static LeaseReply of(String letter) {
        return switch (letter) {
            case "V" -> VALUE;
            case "L" -> LEASE;
            case "G" -> MOVED;
            case "W" -> WAIT;
            case "E" -> EPOCH;
            default -> throw new IllegalStateException("unknown reply '" + letter + "' of a lease script");
        };
    }
}
