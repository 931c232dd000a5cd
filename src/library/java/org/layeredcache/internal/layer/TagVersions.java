package org.layeredcache.internal.layer;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.hazelcast.map.IMap;
import org.layeredcache.internal.stats.CacheCounters;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The current version of every tag, so that invalidating a tag costs a constant number of cluster operations
 * however many entries carry it. An entry records its tags' versions when its load begins ({@link Tagged}); it is
 * current while every one of them still is. Invalidating a tag gives it a new random version: one write to a map
 * the cluster shares, then one message telling the other nodes the new version. Entries are not searched for; an
 * outdated one is found when it is read, and counts as a miss.
 *
 * <p>A tag never invalidated has version 0. This node keeps the versions it has seen for the near TTL; the
 * other nodes' messages update them at once, and a version it does not know is read from the shared map (one
 * cluster read per tag and near TTL). Like a key invalidation's message, a lost message leaves this node's view
 * of a tag old for at most that TTL. Without a cluster, this node's versions are the only ones. A version that
 * cannot be read ({@link #UNKNOWN}) makes every entry carrying the tag a miss, and is counted as a fault.
 * Thread-safe.
 */
public final class TagVersions {

    /** The version of a tag that could not be read: no entry carrying it is current. */
    public static final long UNKNOWN = Long.MIN_VALUE;
    static final long NEVER_INVALIDATED = 0;
    private static final String MAP = "layered-cache-tag-versions";

    /** Where the versions every node agrees on live. */
    interface Shared {
        /** The version of {@code tag}, asked now and answered later (0 for one never invalidated). */
        java.util.concurrent.CompletableFuture<Long> getLater(String tag);

        /** How long an answer may take. */
        long timeoutMillis();

        /** Writes the new versions, all sent at once; waits for every answer within the timeout. */
        void setAll(Map<String, Long> versions) throws Exception;

        /** The versions of {@code tags} (0 for one never invalidated), asked all at once, answered later. */
        java.util.concurrent.CompletableFuture<Map<String, Long>> getAllLater(Set<String> tags);

    }

    private final Shared shared;
    private final Map<String, Long> seen;
    /** The questions of versions sent to the cluster and not answered yet, by tag. */
    private final Map<String, java.util.concurrent.CompletableFuture<Long>> asking = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.LongAdder questions = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder lateQuestions = new java.util.concurrent.atomic.LongAdder();
    /** The tags this node saw change (its own invalidations and the messages), in order. */
    private final TagChanges changes = new TagChanges();
    /** How long a hit may trust that an entry's tags were current, while this node saw no tag change. */
    private final long trustMillis;

    private TagVersions(Shared shared, Map<String, Long> seen, Duration seenFor) {
        this.shared = shared;
        this.seen = seen;
        this.trustMillis = Math.max(1, Math.min(1_000, seenFor.toMillis()));
    }

    /** Versions this node alone keeps (no cluster). */
    public static TagVersions local() {
        return new TagVersions(null, new ConcurrentHashMap<>(), Duration.ofSeconds(1));
    }

    /**
     * Versions shared through a Hazelcast map, obtained on first use.
     *
     * @param seenFor how long this node trusts a version it has seen without hearing of it again (the near TTL)
     * @param timeout how long one cluster operation may take
     */
    public static TagVersions shared(Supplier<IMap<String, Long>> map, Duration seenFor, Duration timeout) {
        return shared(new ClusterTagVersions(map, timeout), seenFor);
    }

    /** Versions shared through {@code shared}; this node trusts those it has seen for {@code seenFor}. */
    static TagVersions shared(Shared shared, Duration seenFor) {
        Cache<String, Long> seen = Caffeine.newBuilder().expireAfterWrite(seenFor).maximumSize(1_000_000).build();
        return new TagVersions(shared, seen.asMap(), seenFor);
    }

    /** The name of the cluster's map of versions. */
    public static String mapName() {
        return MAP;
    }

    /**
     * The versions of a load's tags, asked before it begins: those this node knows at once, the others of the
     * cluster, sent now and answered by {@link #settle(Asked, CacheCounters)}, so that the asking can travel
     * together with the load's other cluster operations.
     */
    public static final class Asked {
        private final String[] tags;
        private final Object[] later;

        private Asked(String[] tags, Object[] later) {
            this.tags = tags;
            this.later = later;
        }

        /** The tags asked for, in their order. */
        public String[] tags() {
            return tags;
        }
    }

    /**
     * Asks the current versions of {@code tags}, for a load about to begin: those this node does not know, of the
     * cluster, all at once.
     */
    public Asked ask(String[] tags) {
        Object[] later = new Object[tags.length];
        for (int i = 0; i < tags.length; i++) {
            later[i] = versionLater(tags[i]);
        }
        return new Asked(tags, later);
    }

    /** The versions {@link #ask} asked, in the tags' order, each waited for within the cluster timeout. */
    public long[] settle(Asked asked, CacheCounters counters) {
        long[] versions = new long[asked.tags.length];
        for (int i = 0; i < versions.length; i++) {
            versions[i] = settle(asked.tags[i], asked.later[i], counters);
        }
        return versions;
    }

    /** The current versions of {@code tags}, in their order, for a load about to begin. */
    public long[] versions(String[] tags, CacheCounters counters) {
        return settle(ask(tags), counters);
    }

    /** {@code stored} carrying {@code tags} at {@code versions}; {@code stored} itself without tags. */
    public static Object tag(Object stored, String[] tags, long[] versions) {
        return tags.length == 0 ? stored : new Tagged(stored, tags, versions);
    }

    /** Whether no tag of the stored form was invalidated since its load began (true for an untagged form). */
    public boolean current(Object stored, CacheCounters counters) {
        if (!(stored instanceof Tagged tagged)) {
            return true;
        }
        long seenChanges = changes.sequence();
        long now = System.currentTimeMillis();
        if (tagged.checked(seenChanges, now, trustMillis)) {
            return true;                                   // found current a moment ago, and no tag changed since
        }
        String[] tags = tagged.tags();
        long[] versions = tagged.versions();
        Map<String, Long> unknown = null;                  // not seen on this node: asked of the cluster at once
        for (int i = 0; i < tags.length; i++) {
            Long known = seen.get(tags[i]);
            if (versions[i] == UNKNOWN || known != null && known != versions[i]) {
                return false;
            }
            if (known == null) {
                if (shared == null) {
                    if (versions[i] != NEVER_INVALIDATED) {
                        return false;
                    }
                } else {
                    if (unknown == null) {
                        unknown = new java.util.HashMap<>();
                    }
                    unknown.put(tags[i], versions[i]);
                }
            }
        }
        if (unknown != null && !currentInCluster(unknown, counters)) {
            return false;
        }
        tagged.rememberChecked(seenChanges, now);
        return true;
    }

    /**
     * Whether the cluster holds these versions of the tags, joining the questions on their way (a read asks its
     * tags with its get); what it answers is remembered as seen.
     */
    private boolean currentInCluster(Map<String, Long> expected, CacheCounters counters) {
        Map<String, java.util.concurrent.CompletableFuture<Long>> asked = new java.util.HashMap<>();
        expected.keySet().forEach(tag -> asked.put(tag, ask(tag, true)));
        boolean current = true;
        for (Map.Entry<String, Long> tag : expected.entrySet()) {
            long version = settle(tag.getKey(), asked.get(tag.getKey()), counters);
            if (version == UNKNOWN) {
                return false;
            }
            current &= version == tag.getValue();
        }
        return current;
    }

    /**
     * The version of {@code tag} for a load reading it now: this node's if it knows one, else the cluster is asked
     * now and answers later ({@link #settle}), so that a load reading many entities waits for one round trip.
     */
    Object versionLater(String tag) {
        Long known = seen.get(tag);
        if (known != null || shared == null) {
            return known != null ? known : NEVER_INVALIDATED;
        }
        return ask(tag, false);
    }

    /**
     * The cluster's answer for the version of {@code tag}: the question on its way if there is one (many reads of
     * one tag whose version this node forgot send one question), else a new one. An answer is remembered as seen
     * unless a newer version came meanwhile; a question unanswered within the timeout fails.
     *
     * @param late whether an entry waits for it that its read did not ask for with its get (counted)
     */
    private java.util.concurrent.CompletableFuture<Long> ask(String tag, boolean late) {
        java.util.concurrent.CompletableFuture<Long> onItsWay = asking.get(tag);
        if (onItsWay != null) {
            return onItsWay;
        }
        java.util.concurrent.CompletableFuture<Long> mine = new java.util.concurrent.CompletableFuture<>();
        onItsWay = asking.putIfAbsent(tag, mine);
        if (onItsWay != null) {
            return onItsWay;
        }
        Long answered = seen.get(tag);             // a question answered since the caller looked: no new one
        if (answered != null) {
            asking.remove(tag, mine);
            mine.complete(answered);
            return mine;
        }
        questions.increment();
        if (late) {
            lateQuestions.increment();
        }
        shared.getLater(tag).orTimeout(shared.timeoutMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((version, failure) -> {
                    if (failure == null) {
                        seen.putIfAbsent(tag, version);
                    }
                    asking.remove(tag, mine);
                    if (failure == null) {
                        mine.complete(version);
                    } else {
                        mine.completeExceptionally(failure);
                    }
                });
        return mine;
    }

    /** How many tags' versions this node asked of the cluster (one question for the reads that asked at once). */
    public long questions() {
        return questions.sum();
    }

    /**
     * How many of {@link #questions} a hit sent as it checked an entry, because no read had asked them before: a
     * read that reaches the cluster asks its call's tags with its get, not the tags of the JPA entities a tracked
     * load read, and a near hit asks only when the version it had seen has expired.
     */
    public long lateQuestions() {
        return lateQuestions.sum();
    }

    /** The version {@link #versionLater} gave, waited for within the cluster timeout. */
    long settle(String tag, Object later, CacheCounters counters) {
        if (later instanceof Long known) {
            return known;
        }
        try {
            long version = ((java.util.concurrent.CompletableFuture<?>) later)
                    .thenApply(Long.class::cast).get(shared.timeoutMillis(), TimeUnit.MILLISECONDS);
            Long first = seen.putIfAbsent(tag, version);
            return first != null ? first : version;
        } catch (Exception e) {
            interruptedAgain(e);
            counters.fault("reading the version of tag " + tag, e);
            return UNKNOWN;
        }
    }

    /**
     * Whether the cluster still holds the versions the stored form's tags carry, asked now (all at once) and answered
     * where the answer arrives, never blocking; if it does, this node trusts those versions for another near TTL
     * (a version a message changed meanwhile stays changed, and the form is then not current). For the renewal of a
     * near copy ({@code NearRenewal}), so that a copy kept past its first life does not find its tags' versions
     * forgotten and wait for the cluster on a reader's thread. True at once for an untagged form.
     */
    public java.util.concurrent.CompletableFuture<Boolean> renewLater(Object stored, CacheCounters counters) {
        if (!(stored instanceof Tagged tagged)) {
            return java.util.concurrent.CompletableFuture.completedFuture(true);
        }
        if (shared == null) {
            return java.util.concurrent.CompletableFuture.completedFuture(current(stored, counters));
        }
        String[] tags = tagged.tags();
        long[] versions = tagged.versions();
        for (long version : versions) {
            if (version == UNKNOWN) {
                return java.util.concurrent.CompletableFuture.completedFuture(false);
            }
        }
        return shared.getAllLater(new HashSet<>(Arrays.asList(tags)))
                .orTimeout(shared.timeoutMillis(), TimeUnit.MILLISECONDS)
                .thenApply(found -> {
                    for (int i = 0; i < tags.length; i++) {
                        Long now = found.get(tags[i]);
                        if (now == null || now != versions[i]) {
                            return false;
                        }
                    }
                    boolean current = true;
                    for (int i = 0; i < tags.length; i++) {
                        Long known = seen.putIfAbsent(tags[i], versions[i]);
                        // The same version again: written anew, so trusted for another near TTL from now.
                        current &= known == null || seen.replace(tags[i], versions[i], versions[i]);
                    }
                    return current;
                });
    }

    /** Whether two stored forms carry the same tags at the same versions (none: both untagged). */
    public static boolean sameTags(Object one, Object other) {
        String[] tags = one instanceof Tagged tagged ? tagged.tags() : new String[0];
        long[] versions = one instanceof Tagged tagged ? tagged.versions() : new long[0];
        String[] otherTags = other instanceof Tagged tagged ? tagged.tags() : new String[0];
        long[] otherVersions = other instanceof Tagged tagged ? tagged.versions() : new long[0];
        return Arrays.equals(tags, otherTags) && Arrays.equals(versions, otherVersions);
    }

    /**
     * Whether no tag of the stored form was invalidated since its load began, asked of the cluster itself rather
     * than of this node's view (which a message may not have reached yet). True for an untagged form; all the
     * tags are asked at once.
     */
    public boolean currentInCluster(Object stored, CacheCounters counters) {
        return askCurrentInCluster(stored).current(counters);
    }

    /**
     * As {@link #currentInCluster}, asked now and answered by {@link Check#current}, so that the question travels
     * together with the write it checks: what a load asks as it publishes.
     */
    public Check askCurrentInCluster(Object stored) {
        if (!(stored instanceof Tagged tagged)) {
            return Check.CURRENT;
        }
        if (shared == null) {
            return counters -> current(stored, counters);
        }
        String[] tags = tagged.tags();
        long[] versions = tagged.versions();
        for (long version : versions) {
            if (version == UNKNOWN) {
                return counters -> false;
            }
        }
        java.util.concurrent.CompletableFuture<Map<String, Long>> asked =
                shared.getAllLater(new HashSet<>(Arrays.asList(tags)));        // all asked at once: one round trip
        return counters -> {
            Map<String, Long> found = answer(asked, tags.length, counters);
            if (found == null) {
                return false;
            }
            for (int i = 0; i < tags.length; i++) {
                Long now = found.get(tags[i]);
                if (now == null || now != versions[i]) {
                    return false;
                }
            }
            return true;
        };
    }

    /** A question of {@link #askCurrentInCluster}, asked already. */
    @FunctionalInterface
    public interface Check {
        /** Always current: a form without tags. */
        Check CURRENT = counters -> true;

        /** The answer, waited for within the cluster timeout; a fault counts and answers not current. */
        boolean current(CacheCounters counters);
    }

    /**
     * The stored forms among {@code stored} one of whose tags was invalidated since their load began, asked of the
     * cluster for all their tags at once (see {@link #currentInCluster}).
     */
    public <K> Set<K> staleInCluster(Map<K, Object> stored, CacheCounters counters) {
        return askStaleInCluster(stored).stale(counters);
    }

    /**
     * As {@link #staleInCluster}, asked now and answered by {@link StaleCheck#stale}, so that the question travels
     * together with the writes it checks.
     */
    public <K> StaleCheck<K> askStaleInCluster(Map<K, Object> stored) {
        Set<String> tags = new HashSet<>();
        stored.values().forEach(value -> {
            if (value instanceof Tagged tagged) {
                tags.addAll(Arrays.asList(tagged.tags()));
            }
        });
        if (tags.isEmpty()) {
            return counters -> Set.of();
        }
        if (shared == null) {
            return counters -> stale(stored, null);
        }
        java.util.concurrent.CompletableFuture<Map<String, Long>> asked = shared.getAllLater(tags);
        return counters -> {
            Map<String, Long> versions = answer(asked, tags.size(), counters);
            if (versions == null) {
                Set<K> all = new HashSet<>();
                stored.forEach((key, value) -> {
                    if (value instanceof Tagged) {
                        all.add(key);
                    }
                });
                return all;
            }
            return stale(stored, versions);
        };
    }

    /** A question of {@link #askStaleInCluster}, asked already. */
    @FunctionalInterface
    public interface StaleCheck<K> {
        /** The stale keys, waited for within the cluster timeout; on a fault (counted) every tagged key. */
        Set<K> stale(CacheCounters counters);
    }

    /** The keys whose tags' versions differ from {@code versions} (this node's, when {@code null}). */
    private <K> Set<K> stale(Map<K, Object> stored, Map<String, Long> versions) {
        Set<K> stale = new HashSet<>();
        for (Map.Entry<K, Object> entry : stored.entrySet()) {
            if (entry.getValue() instanceof Tagged tagged) {
                for (int i = 0; i < tagged.tags().length; i++) {
                    long now = versions == null ? seen.getOrDefault(tagged.tags()[i], NEVER_INVALIDATED)
                            : versions.getOrDefault(tagged.tags()[i], NEVER_INVALIDATED);
                    if (tagged.versions()[i] == UNKNOWN || now != tagged.versions()[i]) {
                        stale.add(entry.getKey());
                        break;
                    }
                }
            }
        }
        return stale;
    }

    /**
     * Gives each tag a new version, on this node and in the cluster: one cluster write per tag, whatever carries
     * it, all sent at once. Answers the new versions, for the message to the other nodes.
     */
    public Map<String, Long> invalidate(Collection<String> tags, CacheCounters counters) {
        Map<String, Long> changed = new LinkedHashMap<>();
        for (String tag : tags) {
            long version = newVersion();
            seen.put(tag, version);
            changed.put(tag, version);
        }
        changes.add(tags);                                 // after the new versions: hits check again from now
        if (shared != null) {
            try {
                shared.setAll(changed);
            } catch (Exception e) {
                interruptedAgain(e);
                counters.fault("invalidating " + changed.size() + " tags", e);
            }
        }
        return changed;
    }

    /**
     * Invalidation messages were lost, which may have carried new versions of any tag: every version this node has
     * seen is forgotten (read from the cluster again when next needed), and hits check their tags again.
     */
    public void forgetSeen() {
        if (shared != null) {
            seen.clear();
        }
        changes.everything();
    }

    /** Another node's invalidation of tags: their new versions. */
    public void received(Map<String, Long> versions) {
        seen.putAll(versions);
        changes.add(versions.keySet());
    }

    /** A mark of how many tag changes this node has seen; see {@link #changedSince}. */
    long sequence() {
        return changes.sequence();
    }

    /** Which of {@code tags} this node saw change after {@code since}; see {@link TagChanges#since}. */
    java.util.Set<String> changedSince(long since, Collection<String> tags) {
        return changes.since(since, tags);
    }

    /** The answer to a question of many tags' versions, within the cluster timeout; {@code null} (counted) if none. */
    private Map<String, Long> answer(java.util.concurrent.CompletableFuture<Map<String, Long>> asked, int tags,
                                     CacheCounters counters) {
        try {
            return asked.get(shared.timeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            interruptedAgain(e);
            counters.fault("reading the versions of " + tags + " tags", e);
            return null;
        }
    }

    private static long newVersion() {
        long version;
        do {
            version = ThreadLocalRandom.current().nextLong();
        } while (version == NEVER_INVALIDATED || version == UNKNOWN);
        return version;
    }

    private static void interruptedAgain(Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
    }
}
