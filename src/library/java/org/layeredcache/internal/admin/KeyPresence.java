package org.layeredcache.internal.admin;

import java.util.List;
import java.util.Map;

/**
 * Where one key of one cache is, for operators: in the cluster layer, and in the near layer of each node that
 * answered.
 *
 * @param cache            the cache
 * @param key              the key as it renders
 * @param cluster          {@code present}, {@code absent}, {@code being loaded} (a load's claim), {@code dropped by a
 *                         tag} (its tag was invalidated since: the next read loads it), {@code unreachable} or
 *                         {@code off}
 * @param clusterAgeMillis how long ago the cluster entry was written, or {@code null}
 * @param tags             the cluster entry's tags (whose invalidation drops it), empty without one
 * @param nodes            each answering node's near layer, by node name, the asking node's first
 * @param unanswered       the nodes of the cluster that did not answer in time
 */
public record KeyPresence(String cache, String key, String cluster, Long clusterAgeMillis, List<String> tags,
                          Map<String, Near> nodes, List<String> unanswered) {

    /**
     * One node's near layer for the key.
     *
     * @param state     {@code present}, {@code absent} or {@code off} (no near layer)
     * @param ageMillis how long ago the near entry's value was loaded, or {@code null}
     */
    public record Near(String state, Long ageMillis) {

        /** As it travels between nodes: the state, then the age if there is one. */
        public String text() {
            return ageMillis == null ? state : state + " " + ageMillis;
        }

        public static Near parse(String text) {
            int space = text.indexOf(' ');
            return space < 0 ? new Near(text, null)
                    : new Near(text.substring(0, space), Long.parseLong(text.substring(space + 1)));
        }
    }
}
