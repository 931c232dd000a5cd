package org.layeredcache.example.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A user's recently viewed templates, newest first, at most {@value #KEEP}: the object many requests change (each
 * page view), written to the cluster once per request and persisted in the background ({@link RecentViews}).
 * Immutable: a change makes a new one, as a change function must.
 */
public record RecentlyViewed(List<Long> templateIds) implements Serializable {

    static final int KEEP = 10;

    public RecentlyViewed {
        templateIds = List.copyOf(templateIds);
    }

    /** The list after a view of {@code templateId}: it comes first, once. */
    public static RecentlyViewed viewed(RecentlyViewed before, long templateId) {
        List<Long> ids = new ArrayList<>(KEEP);
        ids.add(templateId);
        if (before != null) {
            before.templateIds.stream().filter(id -> id != templateId).limit(KEEP - 1).forEach(ids::add);
        }
        return new RecentlyViewed(ids);
    }

    /** The column's text form: the ids separated by commas. */
    String text() {
        return String.join(",", templateIds.stream().map(String::valueOf).toList());
    }

    static RecentlyViewed parse(String text) {
        return new RecentlyViewed(text.isEmpty() ? List.of()
                : Arrays.stream(text.split(",")).map(Long::valueOf).toList());
    }
}
