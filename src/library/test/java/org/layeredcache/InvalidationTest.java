package org.layeredcache;

import jakarta.enterprise.context.ApplicationScoped;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.layeredcache.internal.cache.CacheRegistry;
import org.layeredcache.internal.stats.CacheObserver;
import org.layeredcache.testing.InProcessNodes;

import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.layeredcache.testing.Containers.inRequest;
import static org.layeredcache.testing.Ids.newId;
import static org.layeredcache.testing.Nodes.bean;
import static org.layeredcache.testing.Nodes.eventually;
import static org.layeredcache.testing.Nodes.statistics;

/** Which entries a write drops, and when (no transaction here: at once; see the in-container tests for JTA). */
class InvalidationTest {

    public static class Template implements Serializable {
        private Long id;
        private final long serviceId;

        public Template(long serviceId) {
            this.serviceId = serviceId;
        }

        public Long getId() {
            return id;
        }

        public long getServiceId() {
            return serviceId;
        }
    }

    /** A pretend database: every read returns the row's current version. */
    @ApplicationScoped
    public static class Templates {
        private final Map<String, Long> rows = new ConcurrentHashMap<>();
        private final AtomicLong ids = new AtomicLong(ThreadLocalRandom.current().nextLong(1, 1L << 40));
        private final AtomicLong imports = new AtomicLong();

        private String row(String name) {
            return name + " v" + rows.getOrDefault(name, 0L) + " import " + imports.get();
        }

        private void touch(String name) {
            rows.merge(name, 1L, Long::sum);
        }

        @CachedRead(cache = "templates", key = "template-{templateId}")
        public String template(long templateId) {
            return row("template-" + templateId);
        }

        @CachedRead(cache = "templates", key = "service-{serviceId}-templates")
        public String templatesOf(long serviceId) {
            return row("service-" + serviceId + "-templates");
        }

        @Invalidates(cache = "templates", key = "template-{id}")
        @Invalidates(cache = "templates", key = "service-{serviceId}-templates")
        public void update(long serviceId, long id) {
            touch("template-" + id);
            touch("service-" + serviceId + "-templates");
        }

        /** The id exists only once the method has run: the key is computed afterwards. */
        @Invalidates(cache = "templates", key = "template-{template.id}")
        @Invalidates(cache = "templates", key = "service-{template.serviceId}-templates")
        public long create(Template template) {
            template.id = ids.incrementAndGet();
            touch("template-" + template.id);
            touch("service-" + template.serviceId + "-templates");
            return template.id;
        }

        @Invalidates(cache = "templates", key = "template-{id}")
        public void failAfterWriting(long id) {
            touch("template-" + id);
            throw new IllegalStateException("failed after the write");
        }

        @Invalidates(cache = "templates", allEntries = true)
        public void reimport() {
            imports.incrementAndGet();
        }

        @CachedRead(cache = "switched-off", key = "x-{id}")
        public String switchedOff(long id) {
            touch("x-" + id);
            return row("x-" + id);
        }
    }

    @RegisterExtension
    static final InProcessNodes NODES = InProcessNodes.of(2, Templates.class);


    @Test
    void aWriteDropsEveryKeyItNamesAndNoOther() {
        Templates templates = bean(NODES.a(), Templates.class);
        long service = newId();
        long template = newId();
        long otherTemplate = newId();
        assertThat(templates.template(template)).contains(" v0 ");
        assertThat(templates.templatesOf(service)).contains(" v0 ");
        assertThat(templates.template(otherTemplate)).contains(" v0 ");

        templates.update(service, template);

        assertThat(templates.template(template)).contains(" v1 ");
        assertThat(templates.templatesOf(service)).contains(" v1 ");
        assertThat(templates.template(otherTemplate)).contains(" v0 ");
    }

    @Test
    void keysAreComputedAfterTheMethodSoAnIdItAssignsIsSeen() {
        Templates templates = bean(NODES.a(), Templates.class);
        long service = newId();
        assertThat(templates.templatesOf(service)).contains(" v0 ");

        long created = templates.create(new Template(service));

        assertThat(templates.templatesOf(service)).contains(" v1 ");
        assertThat(templates.template(created)).contains(" v1 ");
    }

    @Test
    void aWriteThatThrowsStillInvalidatesBecauseItMayHaveWritten() {
        Templates templates = bean(NODES.a(), Templates.class);
        long template = newId();
        assertThat(templates.template(template)).contains(" v0 ");

        assertThat(catchThrowable(() -> templates.failAfterWriting(template))).hasMessage("failed after the write");

        assertThat(templates.template(template)).contains(" v1 ");
    }

    /** What the invalidation-delay metric hears: another node's invalidation, and how long it took to arrive. */
    @Test
    void theOtherNodeHearsEachInvalidationWithItsDelay() throws Exception {
        Templates a = bean(NODES.a(), Templates.class);
        Templates b = bean(NODES.b(), Templates.class);
        java.util.List<Long> delays = new java.util.concurrent.CopyOnWriteArrayList<>();
        bean(NODES.b(), CacheRegistry.class).observe(new CacheObserver() {
            @Override
            public void invalidationReceived(String cache, long millis) {
                delays.add(millis);
            }
        });
        try {
            long service = newId();
            long template = newId();
            b.template(template);
            CacheStatistics before = statistics(NODES.b(), "templates");

            a.update(service, template);                       // two keys

            assertThat(eventually(Duration.ofSeconds(5), () -> delays.size() >= 2)).as("heard: %s", delays).isTrue();
            assertThat(delays).allMatch(millis -> millis >= 0 && millis < 5_000);
            assertThat(statistics(NODES.b(), "templates").invalidationsReceived() - before.invalidationsReceived())
                    .isGreaterThanOrEqualTo(2);
        } finally {
            bean(NODES.b(), CacheRegistry.class).observe(CacheObserver.NONE);
        }
    }

    @Test
    void allEntriesDropsTheWholeCacheOnEveryNode() throws Exception {
        Templates a = bean(NODES.a(), Templates.class);
        Templates b = bean(NODES.b(), Templates.class);
        long template = newId();
        String before = a.template(template);
        assertThat(b.template(template)).isEqualTo(before);

        a.reimport();

        assertThat(a.template(template)).isNotEqualTo(before);
        assertThat(eventually(Duration.ofSeconds(5), () -> !b.template(template).equals(before))).isTrue();
    }

    @Test
    void withinARequestTheWriterReadsItsOwnWrite() throws Exception {
        Templates templates = bean(NODES.a(), Templates.class);
        long template = newId();

        inRequest(NODES.a(), () -> {
            assertThat(templates.template(template)).contains(" v0 ");
            assertThat(templates.template(template)).contains(" v0 ");
            templates.update(newId(), template);
            assertThat(templates.template(template)).contains(" v1 ");
            return null;
        });
    }

    @Test
    void aDisabledCacheRunsTheMethodEveryTime() {
        // src/test/resources/META-INF/microprofile-config.properties: layered-cache.cache.switched-off.enabled=false
        Templates templates = bean(NODES.a(), Templates.class);
        long id = newId();
        long loadsBefore = statistics(NODES.a(), "switched-off").loads();

        assertThat(templates.switchedOff(id)).contains(" v1 ");
        assertThat(templates.switchedOff(id)).contains(" v2 ");

        assertThat(statistics(NODES.a(), "switched-off").loads() - loadsBefore).isEqualTo(2);
    }
}
