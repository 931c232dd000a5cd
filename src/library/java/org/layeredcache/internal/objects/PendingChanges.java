package org.layeredcache.internal.objects;

import org.layeredcache.internal.operation.ObjectOperation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The changes one request (or one transaction) made to shared objects and has not written yet: per object, in the
 * order they were made. Thread-safe.
 */
final class PendingChanges {

    /** One object's changes. */
    record Pending(ObjectOperation kind, String key, Object keyValue, List<UnaryOperator<Object>> changes) {
    }

    private final Map<String, Pending> byObject = new LinkedHashMap<>();

    synchronized void add(ObjectOperation kind, String key, Object keyValue, UnaryOperator<Object> change) {
        byObject.computeIfAbsent(ObjectText.id(kind.name(), key),
                id -> new Pending(kind, key, keyValue, new ArrayList<>())).changes().add(change);
    }

    /** The changes made to the object so far, in order (empty if none). */
    synchronized List<UnaryOperator<Object>> of(String id) {
        Pending pending = byObject.get(id);
        return pending == null ? List.of() : List.copyOf(pending.changes());
    }

    /** Every object's changes, which are then no longer pending here. */
    synchronized List<Pending> drain() {
        List<Pending> all = new ArrayList<>(byObject.values());
        byObject.clear();
        return all;
    }
}
