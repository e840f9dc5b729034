package io.github.alru.redis;

import org.jspecify.annotations.Nullable;

/** What an event on the channel says. Each travels as its one letter, so a message stays short. */
enum EventType {

    /** Its origin is alive; to the origin itself, that the link works both ways. */
    HEARTBEAT("H"),
    /** One key of a cache was invalidated; the payload is the arguments' JSON. */
    INVALIDATE("I"),
    /** Every copy of a cache is to be dropped: a key whose arguments JSON cannot carry was invalidated. */
    INVALIDATE_ALL("A"),
    /** A cache was cleared: copies are dropped and counters reset. */
    CLEAR("C"),
    /** A load under lease ended (stored, refused or released); the payload is the key's hash. */
    DONE("D");

    private final String letter;

    EventType(String letter) {
        this.letter = letter;
    }

    String letter() {
        return letter;
    }

    /** The type a letter stands for, or {@code null} for an event of a later version. */
    static @Nullable EventType of(String letter) {
        for (EventType type : values()) {
            if (type.letter.equals(letter)) {
                return type;
            }
        }
        return null;
    }
}
