package org.layeredcache.it;

import jakarta.enterprise.context.ApplicationScoped;
import org.layeredcache.LoadsObject;
import org.layeredcache.StoresObjects;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Shared objects of kind "notes" (lists of text per id) for the transaction tests: what those tests check is when
 * changes reach the cluster, so the store keeps the stored lists in memory rather than in a table.
 */
@ApplicationScoped
public class Notes {

    private final Map<Long, List<String>> stored = new ConcurrentHashMap<>();

    @StoresObjects("notes")
    public void store(Map<Long, List<String>> notes) {
        stored.putAll(notes);
    }

    @LoadsObject("notes")
    public List<String> load(long id) {
        return stored.get(id);
    }

    /** The list with one more note: a new list, the argument unchanged. */
    public static List<String> with(List<String> notes, String note) {
        List<String> more = new ArrayList<>(notes == null ? List.of() : notes);
        more.add(note);
        return more;
    }
}
