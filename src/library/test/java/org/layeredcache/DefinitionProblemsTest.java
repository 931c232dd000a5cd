package org.layeredcache;

import jakarta.enterprise.context.Dependent;
import org.junit.jupiter.api.Test;
import org.layeredcache.testing.Containers;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Misuse fails the deployment with one message that lists every problem, each naming where it is. */
class DefinitionProblemsTest {

    /** Not Serializable: cannot be a key value. */
    public static class Session {
    }

    public record User(long id) implements Serializable {
    }

    @Dependent
    public static class Misused {

        @CachedRead(cache = "services")
        public void voidRead(long id) {
        }

        @CachedRead(cache = "services", key = "service-{serviceId}")
        public String unknownPlaceholder(long id) {
            return "";
        }

        @CachedRead(cache = "services", key = "user-{user.idd}")
        public String unknownProperty(User user) {
            return "";
        }

        @CachedRead(cache = "services", key = "session-{session}")
        public String notSerializable(Session session) {
            return "";
        }

        @CachedRead(cache = "services", key = "s-{id}", ttl = "forever")
        public String badTtl(long id) {
            return "";
        }

        @CachedRead(cache = "services", key = "s-{id}")
        private String privateRead(long id) {
            return "";
        }

        @CachedRead(cache = "services", key = "s-{id}")
        public static String staticRead(long id) {
            return "";
        }

        @CachedRead(cache = "services", key = "s-{id}")
        public final String finalRead(long id) {
            return "";
        }

        @CachedRead(cache = "services", key = "s-{id}")
        public Future<String> asyncRead(long id) {
            return CompletableFuture.completedFuture("");
        }

        @CachedRead(cache = "services", key = "s-{id}", refreshAfter = "1m", trackEntities = true)
        public CompletionStage<String> asyncWithRefresh(long id) {
            return CompletableFuture.completedFuture("");
        }

        @CachedRead(cache = " ")
        public String blankCache(long id) {
            return "";
        }

        @CachedRead(cache = "services", key = "s-{id}")
        @RequestCached
        public String both(long id) {
            return "";
        }

        @Invalidates(cache = "services", key = "s-{id}", allEntries = true)
        public void keyAndAll(long id) {
        }

        @Invalidates(cache = "services", key = "s-{id")
        public void unclosed(long id) {
        }

        @RequestCached
        public void voidMemo() {
        }

        @CachedRead(cache = "services", key = "s-{id}", ttl = "1m", refreshAfter = "1m")
        public String refreshNotBeforeExpiry(long id) {
            return "";
        }

        @CachedRead(cache = "services", key = "s-{id}", staleIfError = "-5s")
        public String negativeStaleIfError(long id) {
            return "";
        }
    }

    @CachedRead(cache = "services")
    @Dependent
    public static class AnnotatedClass {
        public String find(long id) {
            return "";
        }
    }

    @Test
    void everyProblemIsListedOnceNamingClassMethodAnnotationAndParameter() {
        Throwable failure = catchThrowable(() -> Containers.start(Misused.class, AnnotatedClass.class).close());

        CacheDefinitionException definition = findCause(failure);
        String misused = Misused.class.getName();
        assertThat(definition.problems()).containsExactlyInAnyOrder(
                misused + "#voidRead(long) @CachedRead(cache = \"services\"): the method returns void: there is no"
                        + " result to cache",
                misused + "#unknownPlaceholder(long) @CachedRead(cache = \"services\", key = \"service-{serviceId}\"):"
                        + " unknown placeholder {serviceId}: no parameter is named 'serviceId'; the parameters are"
                        + " (long id)",
                misused + "#unknownProperty(User) @CachedRead(cache = \"services\", key = \"user-{user.idd}\"):"
                        + " placeholder {user.idd} of parameter 'user': type " + User.class.getName()
                        + " has no property 'idd' (no getIdd(), isIdd(), idd() or field idd)",
                misused + "#notSerializable(Session) @CachedRead(cache = \"services\", key = \"session-{session}\"):"
                        + " placeholder {session} of parameter 'session' has type " + Session.class.getName()
                        + ", which is not Serializable, so it cannot be part of a key; name a serializable property"
                        + " of it, such as {session.id}",
                misused + "#badTtl(long) @CachedRead(cache = \"services\", key = \"s-{id}\", ttl = \"forever\"): ttl"
                        + " 'forever' is not a duration; write 500ms, 30s, 5m, 24h, 7d or ISO-8601 such as PT24H",
                misused + "#privateRead(long) @CachedRead(cache = \"services\", key = \"s-{id}\"): the method is"
                        + " private, so its calls are never intercepted; make it public",
                misused + "#staticRead(long) @CachedRead(cache = \"services\", key = \"s-{id}\"): the method is"
                        + " static, so its calls are never intercepted",
                misused + "#finalRead(long) @CachedRead(cache = \"services\", key = \"s-{id}\"): the method is"
                        + " final, so its calls cannot be intercepted; remove final",
                misused + "#asyncRead(long) @CachedRead(cache = \"services\", key = \"s-{id}\"): the method returns"
                        + " Future: of asynchronous results, @CachedRead caches a CompletionStage or"
                        + " CompletableFuture; declare one of those",
                misused + "#asyncWithRefresh(long) @CachedRead(cache = \"services\", key = \"s-{id}\", refreshAfter ="
                        + " \"1m\", trackEntities = true): refreshAfter is not available for an asynchronous result"
                        + " yet; remove it, or return the value itself",
                misused + "#asyncWithRefresh(long) @CachedRead(cache = \"services\", key = \"s-{id}\", refreshAfter ="
                        + " \"1m\", trackEntities = true): trackEntities is not available for an asynchronous"
                        + " result: the entities are loaded on another thread, where the load cannot see them; name"
                        + " tags, or return the value itself",
                misused + "#blankCache(long) @CachedRead(cache = \" \"): the cache name is blank",
                misused + "#both(long) @CachedRead and @RequestCached: a method carries one of them, not both;"
                        + " @CachedRead already keeps results in the request layer",
                misused + "#keyAndAll(long) @Invalidates(cache = \"services\", key = \"s-{id}\", allEntries = true):"
                        + " allEntries = true drops the whole cache; leave key empty",
                misused + "#unclosed(long) @Invalidates(cache = \"services\", key = \"s-{id\"): '{' at position 2 is"
                        + " never closed",
                misused + "#voidMemo() @RequestCached: the method returns void: there is no result to cache",
                misused + "#refreshNotBeforeExpiry(long) @CachedRead(cache = \"services\"): refreshAfter (PT1M) must"
                        + " be shorter than the ttl (PT1M), or entries expire before any refresh starts",
                misused + "#negativeStaleIfError(long) @CachedRead(cache = \"services\", key = \"s-{id}\","
                        + " staleIfError = \"-5s\"): staleIfError '-5s' is not a duration; write 500ms, 30s, 5m, 24h,"
                        + " 7d or ISO-8601 such as PT24H",
                AnnotatedClass.class.getName() + " @CachedRead: put the annotation on methods, not on the class");
        assertThat(definition.getMessage()).startsWith("19 caching problems in this deployment:");
    }

    @Dependent
    public static class BadlyConfigured {
        @CachedRead(cache = "badly-configured", key = "s-{id}", ttl = "1d")
        public String find(long id) {
            return "";
        }
    }

    @Test
    void unreadableConfigurationFailsTheDeploymentToo() {
        // src/test/resources/META-INF/microprofile-config.properties sets near.max-size=-5, cluster.max-value-size=lots
        // and refresh-after=2d (over the annotation's ttl of 1d) for this cache.
        Throwable failure = catchThrowable(() -> Containers.start(BadlyConfigured.class).close());

        assertThat(findCause(failure).problems()).containsExactlyInAnyOrder("configuration property"
                + " layered-cache.cache.badly-configured.near.max-size cannot be read: '-5' is not a positive number",
                "configuration property layered-cache.cache.badly-configured.cluster.max-value-size cannot be read:"
                        + " 'lots' is not a size; write 512, 16KB, 1MB or 2GB",
                BadlyConfigured.class.getName() + "#find(long) @CachedRead(cache = \"badly-configured\"): refreshAfter"
                        + " (PT48H) must be shorter than the ttl (PT24H), or entries expire before any refresh starts"
                        + " (configuration of cache 'badly-configured' included)");
    }

    @Dependent
    public static class ConfiguredManyKeys {
        @CachedRead(cache = "many-configured", key = "s-{id}")
        public String find(long id) {
            return "";
        }

        @CachedRead(cache = "many-configured", key = "s-{ids}", each = "ids")
        public Map<Long, String> findAll(List<Long> ids) {
            return Map.of();
        }
    }

    @Test
    void refreshOrStaleIfErrorConfiguredForACacheWithAReadOfManyKeysFailsTheDeploymentAsTheAnnotationWould() {
        // src/test/resources/META-INF/microprofile-config.properties sets refresh-after and stale-if-error for it.
        Throwable failure = catchThrowable(() -> Containers.start(ConfiguredManyKeys.class).close());

        String read = ConfiguredManyKeys.class.getName() + "#findAll(List) @CachedRead(cache = \"many-configured\","
                + " each = \"ids\"): configuration property layered-cache.cache.many-configured.";
        assertThat(findCause(failure).problems()).containsExactlyInAnyOrder(
                read + "refresh-after gives it refresh-after, which a read of many keys cannot use; set it only for a"
                        + " cache whose reads are all of one key, or remove it",
                read + "stale-if-error gives it stale-if-error, which a read of many keys cannot use; set it only for"
                        + " a cache whose reads are all of one key, or remove it");
    }

    @Dependent
    public static class SharedEntries {
        @CachedRead(cache = "shared", key = "item-{id}")
        public String name(long id) {
            return "";
        }

        @CachedRead(cache = "shared", key = "item-{itemId}")
        public Integer size(int itemId) {
            return 0;
        }

        @CachedRead(cache = "shared", key = "item-{id}")
        public Optional<String> maybeName(long id) {
            return Optional.empty();
        }
    }

    @Test
    void readsThatShareEntriesButNotTheirTypeFailTheDeploymentNamingBoth() {
        Throwable failure = catchThrowable(() -> Containers.start(SharedEntries.class).close());

        String shared = SharedEntries.class.getName();
        assertThat(findCause(failure).problems()).containsExactly(shared + "#maybeName(long) and " + shared
                + "#size(int) read the same entries of cache 'shared' (key shape \"item-{}\"), but one returns"
                + " java.lang.String and the other java.lang.Integer, so each could receive the other's value; give"
                + " them different key templates or different caches");
    }

    @Dependent
    public static class TwoReadersOfOneEntry {
        @CachedRead(cache = "shared-alike", key = "item-{id}")
        public String name(long id) {
            return "name";
        }

        @CachedRead(cache = "shared-alike", key = "item-{itemId}")
        public Optional<String> maybeName(long itemId) {
            return Optional.of("name");
        }
    }

    @Test
    void readsThatShareEntriesOfOneTypeAreAllowed() {
        try (var container = Containers.start(TwoReadersOfOneEntry.class)) {
            TwoReadersOfOneEntry readers = container.select(TwoReadersOfOneEntry.class).get();
            assertThat(readers.name(1)).isEqualTo("name");
            assertThat(readers.maybeName(1)).contains("name");
        }
    }

    public record Item(long id, String name) implements Serializable {
    }

    @Dependent
    public static class MisusedEach {
        @CachedRead(cache = "items", key = "item-{id}")
        public Item item(long id) {
            return null;
        }

        @CachedRead(cache = "items", key = "item-{ids}", each = "ids")
        public java.util.List<Item> withoutIdOf(java.util.List<Long> ids) {
            return null;
        }

        @CachedRead(cache = "items", key = "item-{ids}", each = "ids", idOf = "code")
        public java.util.List<Item> unknownIdOf(java.util.List<Long> ids) {
            return null;
        }

        @CachedRead(cache = "items", key = "item-{ids}", each = "ids", idOf = "id")
        public java.util.Map<Long, Item> idOfOnMap(java.util.List<Long> ids) {
            return null;
        }

        @CachedRead(cache = "items", key = "item-{ids}", each = "idz")
        public java.util.Map<Long, Item> unknownParameter(java.util.List<Long> ids) {
            return null;
        }

        @CachedRead(cache = "items", key = "item-{ids}", each = "ids")
        public java.util.Map<Long, Item> arrayOfIds(long[] ids) {
            return null;
        }

        @CachedRead(cache = "items", key = "item-{region}", each = "ids")
        public java.util.Map<Long, Item> templateWithoutIds(java.util.List<Long> ids, String region) {
            return null;
        }

        @CachedRead(cache = "items", key = "item-{ids}", each = "ids")
        public Item[] arrayResult(java.util.List<Long> ids) {
            return null;
        }

        @CachedRead(cache = "items", key = "item-{ids}", each = "ids", refreshAfter = "1m")
        public java.util.Map<Long, Item> refreshing(java.util.List<Long> ids) {
            return null;
        }

        @CachedRead(cache = "items", key = "item-{id}", idOf = "id")
        public Item idOfWithoutEach(long id) {
            return null;
        }
    }

    @Test
    void readsOfManyKeysThatCannotBeMatchedToTheirIdsAreRefusedSayingHowToFixThem() {
        Throwable failure = catchThrowable(() -> Containers.start(MisusedEach.class).close());

        String misused = MisusedEach.class.getName();
        assertThat(findCause(failure).problems()).containsExactlyInAnyOrder(
                misused + "#withoutIdOf(List) @CachedRead(cache = \"items\", key = \"item-{ids}\", each = \"ids\"): the"
                        + " result java.util.List<" + Item.class.getName() + "> cannot be matched to its ids: return a"
                        + " Map of Item by id, or name the property of Item that holds its id, such as idOf = \"id\"",
                misused + "#unknownIdOf(List) @CachedRead(cache = \"items\", key = \"item-{ids}\", each = \"ids\","
                        + " idOf = \"code\"): idOf = \"code\": type " + Item.class.getName() + " has no property 'code'"
                        + " (no getCode(), isCode(), code() or field code)",
                misused + "#idOfOnMap(List) @CachedRead(cache = \"items\", key = \"item-{ids}\", each = \"ids\","
                        + " idOf = \"id\"): idOf = \"id\": a Map result is matched to its ids by its keys; remove idOf",
                misused + "#unknownParameter(List) @CachedRead(cache = \"items\", key = \"item-{ids}\", each ="
                        + " \"idz\"): each = \"idz\": no parameter is named 'idz'; the parameters are (List ids)",
                misused + "#arrayOfIds(long[]) @CachedRead(cache = \"items\", key = \"item-{ids}\", each = \"ids\"):"
                        + " each = \"ids\": parameter 'ids' is a long[]; it must be a Collection, List or Set of ids",
                misused + "#templateWithoutIds(List, String) @CachedRead(cache = \"items\", key = \"item-{region}\","
                        + " each = \"ids\"): the key template names no {ids}: each entry's key comes from one id, such"
                        + " as key = \"price-{ids}\"",
                misused + "#arrayResult(List) @CachedRead(cache = \"items\", key = \"item-{ids}\", each = \"ids\"):"
                        + " with each, the method must return a Map of values by id, or a List, Set or Collection of"
                        + " values that carry their id (named by idOf); it returns " + Item.class.getName() + "[]",
                misused + "#refreshing(List) @CachedRead(cache = \"items\", key = \"item-{ids}\", each = \"ids\","
                        + " refreshAfter = \"1m\"): refreshAfter is not available for a read of many keys (each);"
                        + " remove it, or read one key per call",
                misused + "#idOfWithoutEach(long) @CachedRead(cache = \"items\", key = \"item-{id}\", idOf = \"id\"):"
                        + " idOf = \"id\" is only for reads of many keys; name the collection parameter of ids with"
                        + " each, or remove idOf");
    }

    @Dependent
    public static class MisusedPreloads {
        @CachedRead(cache = "stock", key = "item-{id}")
        public Item item(long id) {
            return null;
        }

        @Preloads(cache = "stock", key = "thing-{id}")
        public java.util.List<Item> noReadOfThatShape() {
            return null;
        }

        @Preloads(cache = "stock", key = "item-{code}")
        public java.util.stream.Stream<Item> unknownProperty() {
            return null;
        }

        @Preloads(cache = "stock", key = "item-{id}")
        public Item[] notAStream() {
            return null;
        }

        @Preloads(cache = "stock", key = "item-{id}")
        public java.util.List<Item> withParameter(int page) {
            return null;
        }
    }

    @Test
    void preloadsThatNoReadUsesOrThatCannotGiveTheirValuesAreRefused() {
        Throwable failure = catchThrowable(() -> Containers.start(MisusedPreloads.class).close());

        String misused = MisusedPreloads.class.getName();
        assertThat(findCause(failure).problems()).containsExactlyInAnyOrder(
                misused + "#noReadOfThatShape() @Preloads(cache = \"stock\", key = \"thing-{id}\"): no @CachedRead of"
                        + " cache 'stock' has a key of the shape \"thing-{}\", so nothing would read the preloaded"
                        + " entries; the reads' templates are [item-{id}]",
                misused + "#unknownProperty() @Preloads(cache = \"stock\", key = \"item-{code}\"): placeholder {code}:"
                        + " type " + Item.class.getName() + " has no property 'code' (no getCode(), isCode(), code() or"
                        + " field code)",
                misused + "#notAStream() @Preloads(cache = \"stock\", key = \"item-{id}\"): the method must return a"
                        + " Stream, List or other Iterable of the values, typed (such as Stream<ServiceView>); it"
                        + " returns " + Item.class.getName() + "[]",
                misused + "#withParameter(int) @Preloads(cache = \"stock\", key = \"item-{id}\"): the method must"
                        + " take no parameters: it gives every value of the cache");
    }

    /** The problems a failed deployment reported. */
    static java.util.List<String> problemsOf(Throwable failure) {
        return findCause(failure).problems();
    }

    private static CacheDefinitionException findCause(Throwable failure) {
        assertThat(failure).as("the deployment must fail").isNotNull();
        CacheDefinitionException found = search(failure);
        if (found == null) {
            throw new AssertionError("no CacheDefinitionException in", failure);
        }
        return found;
    }

    /** The container may wrap the exception, or attach it as a suppressed one. */
    private static CacheDefinitionException search(Throwable failure) {
        if (failure == null) {
            return null;
        }
        if (failure instanceof CacheDefinitionException definition) {
            return definition;
        }
        for (Throwable suppressed : failure.getSuppressed()) {
            CacheDefinitionException found = search(suppressed);
            if (found != null) {
                return found;
            }
        }
        return failure.getCause() == failure ? null : search(failure.getCause());
    }
}
