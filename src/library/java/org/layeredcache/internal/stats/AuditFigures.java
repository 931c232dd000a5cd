package org.layeredcache.internal.stats;

import org.layeredcache.ConsistencyAudit;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the consistency auditor found for one cache on this node: checks by outcome, comparisons per layer, the
 * last hour per minute, and the last divergences. Written by the auditor's background checks (about one per
 * second), read by operators. Thread-safe.
 */
public final class AuditFigures {

    /** How many divergences are kept to be shown. */
    static final int KEPT = 10;
    private static final int HOUR = 60;
    private static final int SHOWN = 200;

    private final LongAdder agreements = new LongAdder();
    private final LongAdder disagreements = new LongAdder();
    private final LongAdder superseded = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder nearCompared = new LongAdder();
    private final LongAdder nearDisagreements = new LongAdder();
    private final LongAdder clusterCompared = new LongAdder();
    private final LongAdder clusterDisagreements = new LongAdder();
    private final MinuteCounts hourChecks = new MinuteCounts(HOUR);
    private final MinuteCounts hourDisagreements = new MinuteCounts(HOUR);
    private final Deque<ConsistencyAudit.Divergence> divergences = new ArrayDeque<>();

    /** A layer of the cache, as the audit names it. */
    public enum Layer {
        NEAR, CLUSTER;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** An entry of {@code layer} was compared with the method's answer; {@code agreed}: it held the same. */
    public void compared(Layer layer, boolean agreed) {
        (layer == Layer.NEAR ? nearCompared : clusterCompared).increment();
        if (!agreed) {
            (layer == Layer.NEAR ? nearDisagreements : clusterDisagreements).increment();
        }
    }

    /** A check ended with every layer that held the entry agreeing. */
    public void agreed() {
        agreements.increment();
        hourChecks.add(1, System.currentTimeMillis());
    }

    /**
     * A check ended with one or more layers still disagreeing at the re-check: one disagreement, whatever the
     * number of layers. Its divergences and the count change together, so a snapshot that counts the check also
     * shows every divergence it found.
     */
    public void disagreed(List<ConsistencyAudit.Divergence> found) {
        long now = System.currentTimeMillis();
        synchronized (divergences) {
            for (ConsistencyAudit.Divergence divergence : found) {
                divergences.addFirst(divergence);
            }
            while (divergences.size() > KEPT) {
                divergences.removeLast();
            }
            disagreements.increment();
            hourChecks.add(1, now);
            hourDisagreements.add(1, now);
        }
    }

    /** A difference whose entry was dropped or replaced before the re-check: a write committed meanwhile. */
    public void superseded() {
        superseded.increment();
    }

    /** The method failed when called again: nothing can be said. */
    public void failed() {
        failed.increment();
    }

    /** The figures as the API shows them. */
    public ConsistencyAudit snapshot(String cache, boolean enabled) {
        long now = System.currentTimeMillis();
        List<ConsistencyAudit.Divergence> last;
        long disagreed;
        synchronized (divergences) {
            last = new ArrayList<>(divergences);
            disagreed = disagreements.sum();
        }
        long agreed = agreements.sum();
        return new ConsistencyAudit(cache, enabled, agreed + disagreed, agreed, disagreed, superseded.sum(),
                failed.sum(), Map.of(
                        Layer.NEAR.label(), new ConsistencyAudit.Layer(nearCompared.sum(), nearDisagreements.sum()),
                        Layer.CLUSTER.label(), new ConsistencyAudit.Layer(clusterCompared.sum(),
                                clusterDisagreements.sum())),
                hourChecks.last(HOUR, now).count(), hourDisagreements.last(HOUR, now).count(), last);
    }

    /** A value as a divergence shows it: its {@code toString}, cut at {@value #SHOWN} characters. */
    public static String shown(Object value) {
        String text = String.valueOf(value);
        return text.length() <= SHOWN ? text : text.substring(0, SHOWN) + "...";
    }

    /** A divergence found now. */
    public static ConsistencyAudit.Divergence divergence(String key, Layer layer, long cachedAtMillis, Object cached,
                                                         Object current, boolean dropped) {
        return new ConsistencyAudit.Divergence(key, layer.label(), Instant.ofEpochMilli(cachedAtMillis),
                Instant.now(), shown(cached), shown(current), dropped);
    }
}
