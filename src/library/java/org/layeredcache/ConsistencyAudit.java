package org.layeredcache;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the consistency auditor found for one cache on this node ({@link CacheAdmin#audit}): how many cached
 * entries it checked against a new call of their method, how many agreed, and the last ones that did not. The
 * auditor is off unless configured ({@code layered-cache.cache.<cache>.audit.enabled=true}); it checks one entry
 * read on this node per {@code audit.period}, in the background, in a transaction it rolls back, and publishes
 * nothing. Immutable.
 *
 * @param cache          the cache's name
 * @param enabled        whether this cache is audited on this node
 * @param checks         entries checked since the node started: each compared in every layer that held it
 * @param agreements     checks whose every layer held what the method answers now
 * @param disagreements  checks where a layer held something else, found again after {@code audit.recheck-after}
 * @param superseded     checks that found a difference whose entry was dropped or replaced before the re-check (a
 *                       write committed meanwhile): neither agreement nor disagreement
 * @param failed         checks whose call of the method failed: neither agreement nor disagreement
 * @param layers         per layer ({@code near}, {@code cluster}): entries compared there, and how many disagreed
 * @param lastHourChecks agreements and disagreements of the last hour
 * @param lastHourDisagreements disagreements of the last hour
 * @param divergences    the last disagreements, newest first (at most ten)
 */
public record ConsistencyAudit(String cache, boolean enabled, long checks, long agreements, long disagreements,
                               long superseded, long failed, Map<String, Layer> layers, long lastHourChecks,
                               long lastHourDisagreements, List<Divergence> divergences) {

    public ConsistencyAudit {
        layers = Map.copyOf(layers);
        divergences = List.copyOf(divergences);
    }

    /**
     * Consistency over the last hour in nines: {@code log10(checks / disagreements)}, so 3 means one check in a
     * thousand disagreed. Without a disagreement it is {@code log10(checks)}, the most this many checks can show;
     * {@code NaN} before the first check.
     */
    public double nines() {
        if (lastHourChecks == 0) {
            return Double.NaN;
        }
        return Math.log10((double) lastHourChecks / Math.max(1, lastHourDisagreements));
    }

    /**
     * One layer's comparisons.
     *
     * @param compared      entries of this layer compared with the method's answer
     * @param disagreements how many of them differed, also at the re-check
     */
    public record Layer(long compared, long disagreements) {
    }

    /**
     * One entry that disagreed with its method.
     *
     * @param key        the entry's key
     * @param layer      where it was found: {@code near} (this node) or {@code cluster}
     * @param cachedAt   when the cached value was written
     * @param checkedAt  when the method was called again and answered differently (the second time)
     * @param cached     the cached value, as {@code toString} shows it (at most 200 characters)
     * @param current    what the method answers now, likewise
     * @param dropped    whether the auditor dropped the entry ({@code audit.drop-diverging})
     */
    public record Divergence(String key, String layer, Instant cachedAt, Instant checkedAt, String cached,
                             String current, boolean dropped) {
    }
}
