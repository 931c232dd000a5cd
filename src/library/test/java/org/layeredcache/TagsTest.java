package org.layeredcache;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.layeredcache.testing.Containers;
import org.layeredcache.testing.InProcessNodes;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.layeredcache.testing.Containers.inRequest;
import static org.layeredcache.testing.Ids.newId;
import static org.layeredcache.testing.Nodes.bean;
import static org.layeredcache.testing.Nodes.eventually;
import static org.layeredcache.testing.Nodes.statistics;
import static org.layeredcache.testing.StatisticsAssert.assertThatChange;

/**
 * Tags: an {@code @Invalidates(tags = ...)} drops, in every cache and on every node, the entries whose reads
 * carry the tag, and nothing else; a load that overlaps it publishes nothing. No transaction here: at once (the
 * in-container tests cover the commit and the rollback).
 */
class TagsTest {

    /** A pretend database both nodes share: every read returns the row's current version. */
    static final Map<String, Integer> ROWS = new ConcurrentHashMap<>();

    static String row(String name) {
        return name + " v" + ROWS.getOrDefault(name, 0);
    }

    static void touch(String name) {
        ROWS.merge(name, 1, Integer::sum);
    }

    /** A parameter whose tag cannot be rendered: reading its owner throws. */
    public static class Unrenderable implements java.io.Serializable {
        public long getId() {
            return 1;
        }

        public String getOwner() {
            throw new IllegalStateException("no owner loaded");
        }
    }

    @ApplicationScoped
    public static class Services {
        /** Set by a test to hold a load in the middle: it has read its row and not returned yet. */
        static volatile CountDownLatch loading;
        static volatile CountDownLatch release;

        @CachedRead(cache = "tagged-services", key = "service-{id}", tags = "service-{id}")
        public String service(long id) throws InterruptedException {
            String value = row("service-" + id);
            CountDownLatch held = release;
            if (held != null) {
                loading.countDown();
                held.await(10, TimeUnit.SECONDS);
            }
            return value;
        }

        @CachedRead(cache = "tagged-services", key = "service-{ids}", each = "ids", tags = "service-{ids}")
        public Map<Long, String> services(List<Long> ids) {
            return ids.stream().collect(Collectors.toMap(Function.identity(), id -> row("service-" + id)));
        }

        @CachedRead(cache = "tagged-templates", key = "templates-of-{serviceId}",
                tags = {"service-{serviceId}", "templates"})
        public String templatesOf(long serviceId) {
            return row("service-" + serviceId) + " / " + row("templates");
        }

        @CachedRead(cache = "tagged-templates", key = "untagged-{serviceId}")
        public String untagged(long serviceId) {
            return row("service-" + serviceId);
        }

        @CachedRead(cache = "tagged-unrenderable", key = "thing-{thing.id}", tags = "owner-{thing.owner}")
        public String unrenderable(Unrenderable thing) {
            return row("thing");
        }

        @Invalidates(tags = "service-{id}")
        public void rename(long id) {
            touch("service-" + id);
        }

        @Invalidates(tags = "templates")
        public void changeEveryTemplate() {
            touch("templates");
        }
    }

    @RegisterExtension
    static final InProcessNodes NODES = InProcessNodes.of(2, Services.class);

    @Test
    void aTagDropsTheEntriesOfEveryCacheThatCarryItOnEveryNodeAndNoOther() throws Exception {
        Services a = bean(NODES.a(), Services.class);
        Services b = bean(NODES.b(), Services.class);
        long service = newId();
        long other = newId();
        for (Services node : List.of(a, b)) {                   // both nodes hold every entry near
            node.service(service);
            node.templatesOf(service);
            node.untagged(service);
            node.service(other);
        }

        a.rename(service);

        assertThat(a.service(service)).as("the writing node, at once").isEqualTo("service-" + service + " v1");
        assertThat(a.templatesOf(service)).startsWith("service-" + service + " v1");
        assertThat(eventually(Duration.ofSeconds(10), () -> call(() -> b.service(service)).endsWith(" v1")
                && call(() -> b.templatesOf(service)).startsWith("service-" + service + " v1")))
                .as("the other node, once the message arrived").isTrue();
        CacheStatistics servicesBefore = statistics(NODES.b(), "tagged-services");
        CacheStatistics templatesBefore = statistics(NODES.b(), "tagged-templates");
        assertThat(b.untagged(service)).as("an entry without the tag stays").isEqualTo("service-" + service + " v0");
        assertThat(b.service(other)).as("an entry with another tag stays").isEqualTo("service-" + other + " v0");
        assertThatChange(templatesBefore, statistics(NODES.b(), "tagged-templates")).nearHits(1).loads(0);
        assertThatChange(servicesBefore, statistics(NODES.b(), "tagged-services")).nearHits(1).loads(0);
    }

    @Test
    void aReadOfManyKeysChecksAndCarriesTheTagsOfEachEntry() throws Exception {
        Services a = bean(NODES.a(), Services.class);
        long first = newId();
        long second = newId();
        assertThat(a.services(List.of(first, second))).containsValues("service-" + first + " v0",
                "service-" + second + " v0");
        assertThat(a.service(first)).as("a single read shares the entry").isEqualTo("service-" + first + " v0");

        a.rename(first);

        assertThat(a.services(List.of(first, second))).containsEntry(first, "service-" + first + " v1")
                .containsEntry(second, "service-" + second + " v0");
        assertThat(a.service(first)).isEqualTo("service-" + first + " v1");
    }

    @Test
    void aTagWithoutPlaceholdersDropsEveryEntryCarryingItCountedAndRecorded() {
        Services a = bean(NODES.a(), Services.class);
        long one = newId();
        long two = newId();
        a.templatesOf(one);
        a.templatesOf(two);
        CacheStatistics before = statistics(NODES.a(), "tagged-templates");
        List<String> recorded;
        try (CacheRecording recording = bean(NODES.a(), CacheAdmin.class).startRecording()) {
            a.changeEveryTemplate();
            recorded = recording.tagInvalidations();
        }

        assertThat(recorded).containsExactly("templates");
        assertThat(a.templatesOf(one)).endsWith(row("templates"));
        assertThat(a.templatesOf(two)).endsWith(row("templates"));
        assertThatChange(before, statistics(NODES.a(), "tagged-templates")).loads(2).nearHits(0)
                .droppedByTags(4);                                     // each read: in the near and cluster layers
    }

    @Test
    void aLoadThatOverlapsATagsInvalidationPublishesNothing() throws Exception {
        Services a = bean(NODES.a(), Services.class);
        Services b = bean(NODES.b(), Services.class);
        long service = newId();
        CountDownLatch release = new CountDownLatch(1);
        Services.loading = new CountDownLatch(1);
        Services.release = release;
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            Future<String> slow = reader.submit(() -> a.service(service));     // reads v0, then waits
            assertThat(Services.loading.await(10, TimeUnit.SECONDS)).isTrue();
            Services.release = null;                                           // later reads do not wait
            a.rename(service);                                                 // v1 written and invalidated
            release.countDown();
            assertThat(slow.get(10, TimeUnit.SECONDS)).as("the caller gets what its load read")
                    .isEqualTo("service-" + service + " v0");
        } finally {
            reader.shutdownNow();
        }
        assertThat(a.service(service)).as("but it was not published").isEqualTo("service-" + service + " v1");
        assertThat(eventually(Duration.ofSeconds(10), () -> call(() -> b.service(service)).endsWith(" v1")))
                .as("nor does the other node serve it once the message arrived").isTrue();
    }

    /** A tag that cannot be rendered is a fault: the method's value is returned, and never served from a layer. */
    @Test
    void aTagThatCannotBeRenderedLeavesTheResultAndCachesNothing() {
        Services a = bean(NODES.a(), Services.class);
        CacheStatistics before = statistics(NODES.a(), "tagged-unrenderable");

        assertThat(a.unrenderable(new Unrenderable())).isEqualTo(row("thing"));
        assertThat(a.unrenderable(new Unrenderable())).isEqualTo(row("thing"));

        assertThatChange(before, statistics(NODES.a(), "tagged-unrenderable")).loads(2).faults(2).nearHits(0)
                .clusterHits(0);
    }

    /** Within one request, a tag's invalidation drops the request's own entries at once. */
    @Test
    void theRequestsOwnEntriesAreDroppedAtOnce() throws Exception {
        Services a = bean(NODES.a(), Services.class);
        long service = newId();
        String seen = inRequest(NODES.a(), () -> {
            a.service(service);
            a.rename(service);
            return a.service(service);
        });
        assertThat(seen).isEqualTo("service-" + service + " v1");
    }

    @Dependent
    public static class Misused {
        @CachedRead(cache = "misused-tags", key = "s-{id}", tags = "owner-{ownerId}")
        public String unknownPlaceholder(long id) {
            return "";
        }

        @CachedRead(cache = "misused-tags", key = "t-{id}", tags = " ")
        public String blankTag(long id) {
            return "";
        }

        @Invalidates(cache = "misused-tags", key = "s-{id}", tags = "service-{id}")
        public void tagsWithAKey(long id) {
        }

        @Invalidates(tags = "service-{serviceId}")
        public void unknownInvalidatedPlaceholder(long id) {
        }
    }

    public record Item(long id) implements java.io.Serializable {
    }

    /** A preload writes entries without tags: a cache whose reads need them cannot have one. */
    @Dependent
    public static class PreloadedAndTracked {
        @CachedRead(cache = "preloaded-tracked", key = "item-{id}", trackEntities = true)
        public Item item(long id) {
            return new Item(id);
        }

        @Preloads(cache = "preloaded-tracked", key = "item-{id}")
        public List<Item> all() {
            return List.of();
        }
    }

    @Test
    void aCacheWhoseReadsTrackEntitiesCannotBePreloaded() {
        Throwable failure = catchThrowable(() -> Containers.start(PreloadedAndTracked.class).close());

        assertThat(DefinitionProblemsTest.problemsOf(failure)).containsExactly(PreloadedAndTracked.class.getName()
                + "#all() @Preloads(cache = \"preloaded-tracked\", key = \"item-{id}\"): reads of cache"
                + " 'preloaded-tracked' carry tags or track entities, and the entries a preload writes would carry"
                + " neither, so invalidating a tag or changing an entity would leave them; remove the tags and"
                + " trackEntities of those reads, or the preload");
    }

    @Test
    void misusedTagsAreRefusedAtDeploymentNamingMethodAnnotationAndTag() {
        Throwable failure = catchThrowable(() -> Containers.start(Misused.class).close());

        String misused = Misused.class.getName();
        assertThat(failure).isNotNull();
        assertThat(DefinitionProblemsTest.problemsOf(failure)).containsExactlyInAnyOrder(
                misused + "#unknownPlaceholder(long) @CachedRead(cache = \"misused-tags\", key = \"s-{id}\", tags ="
                        + " \"owner-{ownerId}\"): tag \"owner-{ownerId}\": unknown placeholder {ownerId}: no parameter"
                        + " is named 'ownerId'; the parameters are (long id)",
                misused + "#blankTag(long) @CachedRead(cache = \"misused-tags\", key = \"t-{id}\", tags = \" \"): a"
                        + " tag is blank; write its template, such as tags = \"service-{serviceId}\"",
                misused + "#tagsWithAKey(long) @Invalidates(cache = \"misused-tags\", key = \"s-{id}\", tags ="
                        + " \"service-{id}\"): tags drop the entries that carry them in every cache, so an"
                        + " @Invalidates with tags names no cache, key or allEntries; put those in an @Invalidates"
                        + " of their own",
                misused + "#unknownInvalidatedPlaceholder(long) @Invalidates(tags = \"service-{serviceId}\"): tag"
                        + " \"service-{serviceId}\": unknown placeholder {serviceId}: no parameter is named"
                        + " 'serviceId'; the parameters are (long id)");
    }

    private static String call(java.util.concurrent.Callable<String> read) {
        try {
            return read.call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
