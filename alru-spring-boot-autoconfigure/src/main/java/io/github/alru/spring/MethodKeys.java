package io.github.alru.spring;

/**
 * Builds a method's cache key from its arguments: none share one constant key; a single argument
 * is its own key (no wrapper) unless it is null or an array; otherwise a copy of the argument
 * array, which the cache compares by content.
 */
final class MethodKeys {

    /** The key of every call to a method without parameters. */
    static final Object NO_ARGUMENTS = new Object() {
        @Override
        public String toString() {
            return "()";
        }
    };

    private MethodKeys() {
    }

    static Object of(Object[] args) {
        if (args.length == 0) {
            return NO_ARGUMENTS;
        }
        if (args.length == 1) {
            Object single = args[0];
            return single == null || single.getClass().isArray() ? new Object[] {single} : single;
        }
        return args.clone();
    }
}
