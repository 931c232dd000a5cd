package org.layeredcache.internal.layer;

import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Id;
import org.layeredcache.internal.stats.CacheCounters;

import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JPA entities a load reads, recorded while it runs on this thread: each becomes a tag of the stored value
 * ({@code jpa:<entity class>#<id>}), and so does its type ({@code jpa:<entity class>}, {@link #typeTagOf}), at
 * their versions when the entity was read, so that a change of the entity
 * anywhere in the application drops the value ({@link #tagOf}). A read inside a recorded load that answers a
 * tagged value passes its tags on ({@link #carried}): the outer value was built from the same entities. An entity
 * tag invalidated on this node while the load ran is kept at {@link TagVersions#UNKNOWN}: such a value is never
 * current. Only the thread that runs the load records; entities read on other threads are not seen.
 */
public final class EntityDependencies {

    private static final ThreadLocal<Recording> CURRENT = new ThreadLocal<>();
    private static final ClassValue<AccessibleObject[]> IDS = new ClassValue<>() {
        @Override
        protected AccessibleObject[] computeValue(Class<?> type) {
            return idMembers(type);
        }
    };

    private EntityDependencies() {
    }

    /** What one load read; closed by the load, also when it throws. */
    public static final class Recording implements AutoCloseable {
        private final Recording outer;
        private final TagVersions versions;
        private final CacheCounters counters;
        private final long since;
        /** Each tag's version: a number, or the cluster's answer still to come (see TagVersions#versionLater). */
        private final Map<String, Object> tags = new LinkedHashMap<>();

        private Recording(Recording outer, TagVersions versions, CacheCounters counters) {
            this.outer = outer;
            this.versions = versions;
            this.counters = counters;
            this.since = versions.sequence();
        }

        void add(String tag, Object version) {
            tags.putIfAbsent(tag, version);
        }

        /** The entities' tags and versions, those invalidated on this node meanwhile at {@code UNKNOWN}. */
        public Map<String, Long> tags() {
            Map<String, Long> recorded = new LinkedHashMap<>();
            tags.forEach((tag, version) -> recorded.put(tag, versions.settle(tag, version, counters)));
            for (String changed : versions.changedSince(since, recorded.keySet())) {
                recorded.put(changed, TagVersions.UNKNOWN);
            }
            return recorded;
        }

        /** Stops recording on this thread; an enclosing load's recording takes what this one read. */
        @Override
        public void close() {
            CURRENT.set(outer);
            if (outer != null) {
                tags().forEach(outer::add);
            }
        }
    }

    /** Starts recording the entities this thread reads, until the recording is closed. */
    public static Recording start(TagVersions versions, CacheCounters counters) {
        Recording recording = new Recording(CURRENT.get(), versions, counters);
        CURRENT.set(recording);
        return recording;
    }

    /** An entity was loaded (JPA {@code @PostLoad}): a dependency of the load recording on this thread, if any. */
    public static void loaded(Object entity) {
        Recording recording = CURRENT.get();
        if (recording != null) {
            String tag = tagOf(entity);
            if (!recording.tags.containsKey(tag)) {
                recording.add(tag, recording.versions.versionLater(tag));
            }
            String type = typeTagOf(entity.getClass().getName());
            if (!recording.tags.containsKey(type)) {
                recording.add(type, recording.versions.versionLater(type));
            }
        }
    }

    /**
     * A query of the load recorded on this thread (if any) read entities of this type: the value depends on every
     * row of the type, so a new or removed one drops it ({@link #queryTagOf}), even when the query returned none.
     */
    public static void queried(Class<?> type) {
        Recording recording = CURRENT.get();
        if (recording != null) {
            String tag = queryTagOf(type.getName());
            if (!recording.tags.containsKey(tag)) {
                recording.add(tag, recording.versions.versionLater(tag));
            }
        }
    }

    /** A read answered {@code stored}; if a load is being recorded on this thread, the value's tags join it. */
    public static void carried(Object stored) {
        Recording recording = CURRENT.get();
        if (recording != null && stored instanceof Tagged tagged) {
            for (int i = 0; i < tagged.tags().length; i++) {
                recording.add(tagged.tags()[i], tagged.versions()[i]);
            }
        }
    }

    /** The tag of one entity: its class and its id ({@code jpa:com.example.Service#42}). */
    public static String tagOf(Object entity) {
        return "jpa:" + entity.getClass().getName() + "#" + idOf(entity);
    }

    /**
     * The tag every entry built from an entity of this class carries besides the entity's own
     * ({@code jpa:com.example.Service}): what dropping a whole entity type invalidates.
     */
    public static String typeTagOf(String entityClass) {
        return "jpa:" + entityClass;
    }

    /**
     * The tag of the entries built from a query of this entity class ({@code jpa-query:com.example.Service}): what a
     * new or removed entity of the class invalidates.
     */
    public static String queryTagOf(String entityClass) {
        return "jpa-query:" + entityClass;
    }

    /** The tags that dropping a whole entity type invalidates: everything built from it, by entity or by query. */
    public static java.util.Set<String> typeTagsOf(String entityClass) {
        return java.util.Set.of(typeTagOf(entityClass), queryTagOf(entityClass));
    }

    /** The entity's id: its {@code @Id} or {@code @EmbeddedId} member, or a list of its {@code @Id} members. */
    static Object idOf(Object entity) {
        AccessibleObject[] members = IDS.get(entity.getClass());
        if (members.length == 0) {
            throw new IllegalArgumentException(entity.getClass().getName() + " has no @Id or @EmbeddedId member");
        }
        List<Object> values = new ArrayList<>(members.length);
        for (AccessibleObject member : members) {
            try {
                values.add(member instanceof Field field ? field.get(entity) : ((Method) member).invoke(entity));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("the id of " + entity.getClass().getName() + " cannot be read", e);
            }
        }
        return values.size() == 1 ? values.get(0) : values;
    }

    private static AccessibleObject[] idMembers(Class<?> type) {
        List<AccessibleObject> found = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (field.isAnnotationPresent(Id.class) || field.isAnnotationPresent(EmbeddedId.class)) {
                    field.setAccessible(true);
                    found.add(field);
                }
            }
            for (Method method : c.getDeclaredMethods()) {
                if (method.getParameterCount() == 0 && (method.isAnnotationPresent(Id.class)
                        || method.isAnnotationPresent(EmbeddedId.class))) {
                    method.setAccessible(true);
                    found.add(method);
                }
            }
        }
        return found.toArray(new AccessibleObject[0]);
    }
}
