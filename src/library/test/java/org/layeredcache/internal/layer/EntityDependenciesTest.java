package org.layeredcache.internal.layer;

import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Id;
import org.junit.jupiter.api.Test;
import org.layeredcache.internal.stats.CacheCounters;
import org.layeredcache.internal.stats.CacheObserver;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a load records of the entities it reads, on its own thread, and what it passes to an enclosing load. */
class EntityDependenciesTest {

    static class Row {
        @Id
        long id;

        Row(long id) {
            this.id = id;
        }
    }

    static class Base {
        @Id
        String code;
    }

    static class Derived extends Base {
        Derived(String code) {
            this.code = code;
        }
    }

    record Key(long a, long b) implements Serializable {
    }

    static class Composite {
        @EmbeddedId
        Key key = new Key(1, 2);
    }

    static class TwoIds {
        @Id
        long a = 3;
        @Id
        long b = 4;
    }

    static class NoId {
    }

    private final CacheCounters counters = new CacheCounters("entity-dependencies-test", () -> CacheObserver.NONE);
    private final TagVersions versions = TagVersions.local();

    @Test
    void anEntityIsTaggedByItsClassAndItsIdWhereverTheIdIsDeclared() {
        assertThat(EntityDependencies.tagOf(new Row(42))).isEqualTo("jpa:" + Row.class.getName() + "#42");
        assertThat(EntityDependencies.tagOf(new Derived("x"))).isEqualTo("jpa:" + Derived.class.getName() + "#x");
        assertThat(EntityDependencies.tagOf(new Composite())).endsWith("#Key[a=1, b=2]");
        assertThat(EntityDependencies.tagOf(new TwoIds())).endsWith("#[3, 4]");
        assertThatThrownBy(() -> EntityDependencies.tagOf(new NoId())).hasMessageContaining("no @Id");
    }

    @Test
    void onlyALoadBeingRecordedOnThisThreadTakesTheEntitiesAndTheirTypesAndAnEnclosingLoadGetsThemToo() {
        EntityDependencies.loaded(new Row(1));                       // no recording: nothing happens
        Map<String, Long> outer;
        Map<String, Long> inner;
        try (EntityDependencies.Recording outerLoad = EntityDependencies.start(versions, counters)) {
            EntityDependencies.loaded(new Row(2));
            try (EntityDependencies.Recording innerLoad = EntityDependencies.start(versions, counters)) {
                EntityDependencies.loaded(new Row(3));
                inner = innerLoad.tags();
            }
            EntityDependencies.carried(TagVersions.tag("cached", new String[] {"service-9"}, new long[] {5}));
            outer = outerLoad.tags();
        }
        String type = EntityDependencies.typeTagOf(Row.class.getName());
        assertThat(inner).containsOnlyKeys(EntityDependencies.tagOf(new Row(3)), type);
        assertThat(outer).containsOnlyKeys(EntityDependencies.tagOf(new Row(2)), EntityDependencies.tagOf(new Row(3)),
                type, "service-9");
        assertThat(outer.get("service-9")).as("a carried tag keeps the version it was stored with").isEqualTo(5);
    }

    @Test
    void anEntityChangedOnThisNodeWhileTheLoadRanMakesItsValueNeverCurrent() {
        String tag = EntityDependencies.tagOf(new Row(7));
        Map<String, Long> recorded;
        try (EntityDependencies.Recording load = EntityDependencies.start(versions, counters)) {
            EntityDependencies.loaded(new Row(7));
            versions.invalidate(List.of(tag), counters);             // committed after the row was read
            recorded = load.tags();
        }
        assertThat(recorded.get(tag)).isEqualTo(TagVersions.UNKNOWN);
        Object stored = TagVersions.tag("old", new String[] {tag}, new long[] {recorded.get(tag)});
        assertThat(versions.current(stored, counters)).isFalse();
    }
}
