package org.layeredcache.internal.admin;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.layeredcache.internal.cache.CacheRegistry;
import org.layeredcache.internal.cluster.InvalidationBus;
import org.layeredcache.internal.cluster.SharedMap;
import org.layeredcache.internal.config.CacheCatalog;
import org.layeredcache.internal.key.CacheKey;
import org.layeredcache.internal.layer.ClusterLayer;
import org.layeredcache.internal.layer.GuardedCluster;
import org.layeredcache.internal.layer.Layers;
import org.layeredcache.internal.layer.NearLayer;
import org.layeredcache.internal.layer.Tagged;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Where a key is, on every node, for operators ({@link KeyPresence}): the asking node reads the cluster layer and
 * its own near layer, and asks the other nodes over the cluster (a message type of its own on the invalidation
 * topic); each answers with its near layer in a cluster map of strings ({@value #ANSWERS}, entries live a
 * minute), so Hazelcast threads never load an application class. Every node answers once its caches have started
 * ({@link CacheRegistry} finds this answerer). Thread-safe.
 */
@ApplicationScoped
public class KeyPresences implements InvalidationBus.Questions {

    /** The cluster map where nodes answer where a key is, under the question's name and theirs, for a minute. */
    static final String ANSWERS = "layered-cache-key-presence";

    @Inject
    CacheRegistry registry;

    @Inject
    CacheCatalog catalog;

    /**
     * Where {@code key} of {@code cache} is: in the cluster layer, and in the near layer of this node and of each
     * other node that answers within {@code wait}.
     */
    public KeyPresence presence(String cache, CacheKey key, Duration wait) {
        Layers layers = registry.layersOf(cache);
        Map<String, KeyPresence.Near> nodes = new LinkedHashMap<>();
        nodes.put(registry.nodeName(), near(layers, key));
        Set<String> others = new TreeSet<>(registry.liveNodes().orElse(Set.of()));
        others.remove(registry.nodeName());
        String question = UUID.randomUUID().toString();
        if (!others.isEmpty() && registry.askOtherNodes(question, cache, key)) {
            SharedMap answers = registry.sharedMap(ANSWERS);
            long deadline = System.nanoTime() + wait.toNanos();
            do {
                for (Iterator<String> node = others.iterator(); node.hasNext(); ) {
                    String name = node.next();
                    String answer = answers.get(question + " " + name);
                    if (answer != null) {
                        nodes.put(name, KeyPresence.Near.parse(answer));
                        node.remove();
                    }
                }
                if (!others.isEmpty()) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                }
            } while (!others.isEmpty() && System.nanoTime() - deadline < 0);
        }
        GuardedCluster.Reached<ClusterLayer.Entry> found = layers.cluster().get(key);
        String cluster = !layers.cluster().present() ? "off" : !found.reached() ? "unreachable"
                : found.value() == null ? "absent" : found.value().isClaim() ? "being loaded"
                : layers.currentInCluster(found.value().value()) ? "present" : "dropped by a tag";
        Long age = cluster.equals("present") || cluster.equals("dropped by a tag")
                ? System.currentTimeMillis() - found.value().writtenAt() : null;
        List<String> tags = age != null && found.value().value() instanceof Tagged tagged
                ? List.of(tagged.tags()) : List.of();
        return new KeyPresence(cache, key.toString(), cluster, age, tags, nodes, List.copyOf(others));
    }

    /** Answers another node: where the key is in this node's near layer (the asker reads the cluster layer). */
    @Override
    public void asked(String question, String cache, CacheKey key) {
        if (!catalog.names().contains(cache)) {
            return;
        }
        KeyPresence.Near near = registry.madeLayersOf(cache).map(layers -> near(layers, key))
                .orElseGet(() -> new KeyPresence.Near(catalog.settings(cache).nearEnabled() ? "absent" : "off",
                        null));                                // not made yet: its near layer holds nothing
        registry.sharedMap(ANSWERS).put(question + " " + registry.nodeName(), near.text(), 60);
    }

    /** Whether and since when {@code key} is in a near layer. */
    private static KeyPresence.Near near(Layers layers, CacheKey key) {
        if (!layers.near().present()) {
            return new KeyPresence.Near("off", null);
        }
        NearLayer.Entry entry = layers.near().entry(key);
        return entry == null ? new KeyPresence.Near("absent", null) : new KeyPresence.Near("present",
                entry.writtenAt() == 0 ? null : System.currentTimeMillis() - entry.writtenAt());
    }
}
