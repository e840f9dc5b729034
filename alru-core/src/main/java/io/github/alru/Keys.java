package io.github.alru;

import java.util.Arrays;
import java.util.Objects;

/**
 * Turns a caller's key into the key the cache stores: the key itself when it is no array and
 * typing is off (no wrapper), an {@link ArrayKey} comparing an array by content, or a
 * {@link TypedKey} that compares runtime classes too.
 */
final class Keys {

    private Keys() {
    }

    static Object internal(Object key, boolean typed) {
        Objects.requireNonNull(key, "key");
        if (typed) {
            return new TypedKey(key);
        }
        return key.getClass().isArray() ? new ArrayKey(key) : key;
    }

    /** An array compared by content, deeply. */
    static final class ArrayKey {
        private final Object array;
        private final int hash;

        ArrayKey(Object array) {
            this.array = array;
            this.hash = Arrays.deepHashCode(new Object[] {array});
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof ArrayKey that && hash == that.hash && Objects.deepEquals(array, that.array);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public String toString() {
            return Arrays.deepToString(new Object[] {array});
        }
    }

    /** A key equal only to a key of the same runtime class, element by element inside arrays. */
    static final class TypedKey {
        private final Object key;
        private final int hash;

        TypedKey(Object key) {
            this.key = key;
            this.hash = typedHash(key);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof TypedKey that && hash == that.hash && typedEquals(key, that.key);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public String toString() {
            return key.getClass().getName() + ":" + Arrays.deepToString(new Object[] {key});
        }

        private static boolean typedEquals(Object a, Object b) {
            if (a == b) {
                return true;
            }
            if (a == null || b == null || a.getClass() != b.getClass()) {
                return false;
            }
            if (a instanceof Object[] left) {
                Object[] right = (Object[]) b;
                if (left.length != right.length) {
                    return false;
                }
                for (int i = 0; i < left.length; i++) {
                    if (!typedEquals(left[i], right[i])) {
                        return false;
                    }
                }
                return true;
            }
            return Objects.deepEquals(a, b);
        }

        private static int typedHash(Object key) {
            if (key == null) {
                return 0;
            }
            int contentHash;
            if (key instanceof Object[] elements) {
                contentHash = 1;
                for (Object element : elements) {
                    contentHash = 31 * contentHash + typedHash(element);
                }
            } else {
                contentHash = Arrays.deepHashCode(new Object[] {key});
            }
            return 31 * key.getClass().hashCode() + contentHash;
        }
    }
}
