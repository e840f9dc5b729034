package io.github.alru.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.alru.cluster.ClusterCacheSpec;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.std.StdSerializer;

/**
 * The Redis key of a CLUSTER cache's arguments: the SHA-256 of the arguments written as canonical
 * JSON (map entries, properties and the elements of sets sorted; with {@code typed}, the runtime
 * classes appended), so equal arguments make the same key in every JVM whatever order a set
 * iterates in there.
 *
 * <p>JSON is trusted as a key only when it says everything {@code equals} looks at: the arguments,
 * read back from it as the method's parameter types, must be equal to them (and of the same
 * classes, when typed). Otherwise two unequal arguments could share a key and one be served the
 * other's value; such calls are LOCAL, as are arguments that cannot be written (each logged once).
 */
final class KeyCodec {

    private static final Log logger = LogFactory.getLog(KeyCodec.class);

    /** A key: the hash that names it in Redis, and whether it may be shared through Redis. */
    record Key(String hash, String json, boolean shared) {
    }

    private final ClusterCacheSpec spec;
    private final JsonMapper keys;
    private final JavaType[] parameterTypes;
    /** Every parameter is of a type whose JSON reads back equal (numbers, booleans, strings): no need to check. */
    private final boolean exactInJson;
    private final AtomicBoolean warnedUnwritable = new AtomicBoolean();
    private final AtomicBoolean warnedLossy = new AtomicBoolean();

    /**
     * The application's mapper, made canonical for keys: built once per tier and shared by every
     * cache's codec, since a mapper and its serializer caches are large.
     */
    static JsonMapper canonical(JsonMapper mapper) {
        return mapper.rebuild()
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                .addModule(new SimpleModule("alru-canonical-sets").addSerializer(Set.class, new SortedSetSerializer()))
                .build();
    }

    /**
     * @param spec the cache's name and parameter types
     * @param keys a mapper from {@link #canonical}
     */
    KeyCodec(ClusterCacheSpec spec, JsonMapper keys) {
        this.spec = spec;
        this.keys = keys;
        this.parameterTypes = Arrays.stream(spec.parameterTypes()).map(type -> keys.getTypeFactory().constructType(type))
                .toArray(JavaType[]::new);
        this.exactInJson = Arrays.stream(parameterTypes).allMatch(KeyCodec::exactInJson);
    }

    /** Whether JSON gives back an equal value of this declared type always, so the check can be skipped on the miss path. */
    private static boolean exactInJson(JavaType type) {
        Class<?> raw = type.getRawClass();
        return raw.isPrimitive() || raw == String.class || raw == Integer.class || raw == Long.class || raw == Short.class
                || raw == Byte.class || raw == Boolean.class || raw == Character.class;
    }

    /** The key of these arguments, or {@code null} when they cannot be written as JSON. */
    @Nullable Key keyOf(@Nullable Object[] args) {
        String json;
        try {
            json = keys.writeValueAsString(args);
        } catch (RuntimeException e) {
            if (warnedUnwritable.compareAndSet(false, true)) {
                logger.warn("alru cluster: arguments of cache '" + spec.name() + "' cannot be written as JSON, so such calls are"
                        + " served as LOCAL calls (" + e.getMessage() + ")");
            }
            return null;
        }
        boolean shared = exactInJson || readsBackEqual(json, args);
        if (!shared && warnedLossy.compareAndSet(false, true)) {
            logger.warn("alru cluster: arguments of cache '" + spec.name() + "' do not read back equal from their JSON " + json
                    + " (it leaves out part of what equals() compares, or cannot be read as the parameter types), so such calls"
                    + " are served as LOCAL calls: give the arguments' classes properties for every field equals() uses");
        }
        return new Key(hash(json, args), json, shared);
    }

    private String hash(String json, @Nullable Object[] args) {
        StringBuilder text = new StringBuilder(json);
        if (spec.typed()) {
            for (Object arg : args) {
                text.append('|').append(arg == null ? "null" : arg.getClass().getName());
            }
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }

    /** The arguments written as {@code json}, read back as the parameter types; {@code null} when they cannot be. */
    @Nullable Object @Nullable [] readArguments(String json) {
        try {
            JsonNode array = keys.readTree(json);
            if (array.size() != parameterTypes.length) {
                return null;
            }
            Object[] args = new Object[parameterTypes.length];
            for (int i = 0; i < args.length; i++) {
                args[i] = keys.treeToValue(array.get(i), parameterTypes[i]);
            }
            return args;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private boolean readsBackEqual(String json, @Nullable Object[] args) {
        @Nullable Object[] back = readArguments(json);
        if (back == null || !Arrays.deepEquals(back, args)) {
            return false;
        }
        if (spec.typed()) {
            for (int i = 0; i < args.length; i++) {
                if (args[i] != null && back[i] != null && args[i].getClass() != back[i].getClass()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Writes a set's elements in the order of their own JSON, the same in every JVM. */
    @SuppressWarnings("rawtypes")
    private static final class SortedSetSerializer extends StdSerializer<Set> {

        SortedSetSerializer() {
            super(Set.class);
        }

        @Override
        public void serialize(Set set, JsonGenerator generator, SerializationContext context) {
            List<JsonNode> elements = new ArrayList<>(set.size());
            for (Object element : set) {
                elements.add(context.valueToTree(element));
            }
            elements.sort(Comparator.comparing(JsonNode::toString));
            generator.writeStartArray(set, elements.size());
            for (JsonNode element : elements) {
                context.writeTree(generator, element);
            }
            generator.writeEndArray();
        }
    }
}
