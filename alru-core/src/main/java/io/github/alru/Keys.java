package io.github.alru;

import java.lang.reflect.Array;
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

    /**
     * The key to store for a new entry: array contents are copied, so that a caller who changes
     * an array after the call cannot change a stored key's hash. Other keys are stored as they are.
     */
    static Object forStorage(Object internalKey) {
        if (internalKey instanceof ArrayKey arrayKey) {
            return new ArrayKey(deepCopy(arrayKey.array), arrayKey.hash);
        }
        if (internalKey instanceof TypedKey typedKey && typedKey.key.getClass().isArray()) {
            return new TypedKey(deepCopy(typedKey.key), typedKey.hash);
        }
        return internalKey;
    }

    private static Object deepCopy(Object value) {
        if (value instanceof Object[] elements) {
            Object[] copy = elements.clone();
            for (int i = 0; i < copy.length; i++) {
                copy[i] = deepCopy(copy[i]);
            }
            return copy;
        }
        if (value != null && value.getClass().isArray()) {
            int length = Array.getLength(value);
            Object copy = Array.newInstance(value.getClass().getComponentType(), length);
            System.arraycopy(value, 0, copy, 0, length);
            return copy;
        }
        return value;
    }

    /** The content hash of any value, arrays included, deeply. */
    private static int contentHash(Object value) {
        if (value instanceof Object[] elements) {
            return Arrays.deepHashCode(elements);
        }
        return value.getClass().isArray() ? Arrays.deepHashCode(new Object[] {value}) : value.hashCode();
    }

    /** An array compared by content, deeply. */
    static final class ArrayKey {
        private final Object array;
        private final int hash;

        ArrayKey(Object array) {
            this(array, contentHash(array));
        }

        private ArrayKey(Object array, int hash) {
            this.array = array;
            this.hash = hash;
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
            this(key, typedHash(key));
        }

        private TypedKey(Object key, int hash) {
            this.key = key;
            this.hash = hash;
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
                contentHash = contentHash(key);
            }
            return 31 * key.getClass().hashCode() + contentHash;
        }
    }
}
