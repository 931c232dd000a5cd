package org.layeredcache;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.layeredcache.testing.Containers;
import org.layeredcache.testing.Counter;
import org.layeredcache.testing.InProcessNodes;

import javax.cache.annotation.CacheDefaults;
import javax.cache.annotation.CacheInvocationContext;
import javax.cache.annotation.CacheKey;
import javax.cache.annotation.CacheKeyGenerator;
import javax.cache.annotation.CacheKeyInvocationContext;
import javax.cache.annotation.CachePut;
import javax.cache.annotation.CacheRemove;
import javax.cache.annotation.CacheRemoveAll;
import javax.cache.annotation.CacheMethodDetails;
import javax.cache.annotation.CacheResolver;
import javax.cache.annotation.CacheResolverFactory;
import javax.cache.annotation.CacheResult;
import javax.cache.annotation.CacheValue;
import javax.cache.annotation.GeneratedCacheKey;
import java.lang.annotation.Annotation;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.layeredcache.testing.Ids.newId;
import static org.layeredcache.testing.Nodes.bean;
import static org.layeredcache.testing.Nodes.eventually;
import static org.layeredcache.testing.Nodes.statistics;

/**
 * The JSR-107 annotations read and write through the layers with the meaning the specification gives them: cache
 * names (annotation, {@code @CacheDefaults}, the method), keys ({@code @CacheKey} or all parameters, without the
 * {@code @CacheValue}), puts, removals, {@code skipGet}, cached exceptions, {@code afterInvocation} and the exception
 * filters. (That the server's own interceptors do not run is checked on Payara, which has them.)
 */
class StandardAnnotationsTest {

    @ApplicationScoped
    @CacheDefaults(cacheName = "standard-items")
    public static class Items {
        private final Counter calls = new Counter();
        private final Map<Long, String> rows = new ConcurrentHashMap<>();

        public int calls() {
            return calls.count();
        }

        @CacheResult
        public String find(@CacheKey long id, String caller) {
            calls.next();
            return rows.getOrDefault(id, "row " + id) + " #" + calls.count();
        }

        @CacheResult(skipGet = true)
        public String reload(long id) {
            calls.next();
            return "reloaded " + id + " #" + calls.count();
        }

        @CachePut
        public void save(long id, @CacheValue String value) {
            rows.put(id, value);
        }

        @CachePut(afterInvocation = false)
        public void saveThenFail(long id, @CacheValue String value) {
            throw new IllegalStateException("failed after the put, on purpose");
        }

        @CachePut(cacheFor = IllegalArgumentException.class)
        public void saveOrFail(@CacheKey long id, @CacheValue String value, RuntimeException failure) {
            throw failure;
        }

        @CacheRemove
        public void delete(long id) {
            rows.remove(id);
        }

        @CacheRemove(evictFor = IllegalStateException.class, noEvictFor = UnsupportedOperationException.class)
        public void deleteOrFail(@CacheKey long id, RuntimeException failure) {
            throw failure;
        }

        @CacheRemoveAll
        public void deleteAll() {
            rows.clear();
        }

        @CacheResult(cacheName = "standard-letters", cacheKeyGenerator = FirstLetter.class)
        public String byLetter(String name) {
            calls.next();
            return name;
        }

        @CacheResult(cacheName = "fruit", cacheResolverFactory = Prefixed.class)
        public String fruit(long id) {
            calls.next();
            return "fruit " + id + " #" + calls.count();
        }

        @CacheResult(cacheName = "standard-checked", exceptionCacheName = "standard-failures",
                cachedExceptions = IllegalArgumentException.class)
        public String checked(long id) {
            calls.next();
            if (id < 0) {
                throw new IllegalArgumentException("negative id " + id + " #" + calls.count());
            }
            throw new IllegalStateException("not cached #" + calls.count());
        }
    }

    /** No @CacheDefaults: the specification's default cache name. */
    @ApplicationScoped
    public static class Named {
        private final Counter calls = new Counter();

        @CacheResult
        public String name(long id, String language) {
            calls.next();
            return language + " " + id + " #" + calls.count();
        }
    }

    @RegisterExtension
    static final InProcessNodes NODES = InProcessNodes.of(2, Items.class, Named.class);

    @Test
    void aResultIsReadThroughTheLayersKeyedByItsCacheKeyParametersOnEveryNode() throws Exception {
        long id = newId();
        Items a = bean(NODES.a(), Items.class);
        Items b = bean(NODES.b(), Items.class);
        CacheStatistics before = statistics(NODES.a(), "standard-items");
        int calls = a.calls() + b.calls();

        String first = a.find(id, "one caller");
        assertThat(a.find(id, "another caller")).as("only the @CacheKey parameter is the key").isEqualTo(first);
        assertThat(b.find(id, "a third")).as("from the cluster").isEqualTo(first);
        assertThat(a.calls() + b.calls() - calls).isEqualTo(1);
        CacheStatistics after = statistics(NODES.a(), "standard-items");
        assertThat(after.nearHits() + after.requestHits() - before.nearHits() - before.requestHits()).isEqualTo(1);
    }

    @Test
    void withoutCacheDefaultsTheCacheIsNamedAfterTheMethod() {
        long id = newId();
        Named a = bean(NODES.a(), Named.class);
        String cache = Named.class.getName() + ".name(long,java.lang.String)";
        long loads = statistics(NODES.a(), cache).loads();

        String first = a.name(id, "en");
        assertThat(a.name(id, "en")).isEqualTo(first);
        assertThat(a.name(id, "de")).as("every parameter is part of the key").isNotEqualTo(first);
        assertThat(statistics(NODES.a(), cache).loads() - loads).isEqualTo(2);
    }

    @Test
    void aPutIsWhatEveryNodeReadsNextAndARemovalDropsTheEntryEverywhere() throws Exception {
        long id = newId();
        Items a = bean(NODES.a(), Items.class);
        Items b = bean(NODES.b(), Items.class);
        String old = b.find(id, "b");

        a.save(id, "saved " + id);
        int calls = a.calls() + b.calls();
        assertThat(a.find(id, "a")).isEqualTo("saved " + id);
        assertThat(eventually(Duration.ofSeconds(5), () -> b.find(id, "b").equals("saved " + id)))
                .as("the other node reads the put value, not " + old).isTrue();
        assertThat(a.calls() + b.calls() - calls).as("a put value is read without calling the method").isZero();

        a.delete(id);
        String reloaded = a.find(id, "a");
        assertThat(reloaded).startsWith("row " + id);
        assertThat(eventually(Duration.ofSeconds(5), () -> b.find(id, "b").equals(reloaded))).isTrue();
    }

    @Test
    void anApplicationsKeyGeneratorMakesTheKeys() {
        Items a = bean(NODES.a(), Items.class);
        int calls = a.calls();

        assertThat(a.byLetter("kiwi")).isEqualTo("kiwi");
        assertThat(a.byLetter("kumquat")).as("the same first letter: the same key").isEqualTo("kiwi");
        assertThat(a.byLetter("lime")).isEqualTo("lime");
        assertThat(a.calls() - calls).isEqualTo(2);
    }

    @Test
    void anApplicationsCacheResolverChoosesTheCacheTheLayersUse() {
        long id = newId();
        Items a = bean(NODES.a(), Items.class);
        long loads = statistics(NODES.a(), "resolved-fruit").loads();

        String first = a.fruit(id);
        assertThat(a.fruit(id)).isEqualTo(first);
        assertThat(statistics(NODES.a(), "resolved-fruit").loads() - loads).as("the resolved cache's name")
                .isEqualTo(1);
    }

    @Test
    void removeAllDropsEveryEntryOfTheCache() {
        long one = newId();
        long two = newId();
        Items a = bean(NODES.a(), Items.class);
        String first = a.find(one, "a");
        String second = a.find(two, "a");

        a.deleteAll();

        assertThat(a.find(one, "a")).isNotEqualTo(first);
        assertThat(a.find(two, "a")).isNotEqualTo(second);
    }

    @Test
    void skipGetAlwaysRunsTheMethodAndPutsItsValue() {
        long id = newId();
        Items a = bean(NODES.a(), Items.class);
        String cached = a.find(id, "a");

        String reloaded = a.reload(id);
        assertThat(a.reload(id)).as("the method runs every time").isNotEqualTo(reloaded);
        assertThat(a.find(id, "a")).as("what the last run put").startsWith("reloaded " + id).isNotEqualTo(cached);
    }

    @Test
    void theExceptionsNamedAreCachedAndThrownAgainOthersAreNot() {
        long id = newId();
        Items a = bean(NODES.a(), Items.class);
        int calls = a.calls();

        Throwable first = catchThrowable(() -> a.checked(-id));
        assertThat(first).isInstanceOf(IllegalArgumentException.class);
        assertThat(catchThrowable(() -> a.checked(-id))).as("thrown again from the exception cache")
                .isInstanceOf(IllegalArgumentException.class).hasMessage(first.getMessage());
        assertThat(a.calls() - calls).isEqualTo(1);

        Throwable other = catchThrowable(() -> a.checked(id));
        assertThat(catchThrowable(() -> a.checked(id))).as("not a cached kind: the method runs again")
                .isInstanceOf(IllegalStateException.class).hasMessageNotContaining(other.getMessage());
        assertThat(a.calls() - calls).isEqualTo(3);
    }

    @Test
    void afterInvocationAndTheExceptionFiltersDecideWhetherAFailedCallPutsOrRemoves() {
        long id = newId();
        Items a = bean(NODES.a(), Items.class);

        assertThat(catchThrowable(() -> a.saveThenFail(id, "put before the call"))).isInstanceOf(
                IllegalStateException.class);
        assertThat(a.find(id, "a")).as("afterInvocation = false: put whatever the call did").isEqualTo(
                "put before the call");

        catchThrowable(() -> a.saveOrFail(id, "not put", new IllegalStateException("not in cacheFor")));
        assertThat(a.find(id, "a")).isEqualTo("put before the call");
        catchThrowable(() -> a.saveOrFail(id, "put", new IllegalArgumentException("in cacheFor")));
        assertThat(a.find(id, "a")).isEqualTo("put");

        catchThrowable(() -> a.deleteOrFail(id, new UnsupportedOperationException("in noEvictFor")));
        assertThat(a.find(id, "a")).as("an exception in noEvictFor removes nothing").isEqualTo("put");
        catchThrowable(() -> a.deleteOrFail(id, new IllegalArgumentException("not in evictFor")));
        assertThat(a.find(id, "a")).isEqualTo("put");
        catchThrowable(() -> a.deleteOrFail(id, new IllegalStateException("in evictFor")));
        assertThat(a.find(id, "a")).as("an exception in evictFor removes").startsWith("row " + id);
    }

    /** Keys a name by its first letter. */
    public static class FirstLetter implements CacheKeyGenerator {
        @Override
        public GeneratedCacheKey generateCacheKey(CacheKeyInvocationContext<? extends Annotation> context) {
            return new Letter(((String) context.getKeyParameters()[0].getValue()).substring(0, 1));
        }
    }

    public record Letter(String letter) implements GeneratedCacheKey {
    }

    /** Cannot be created by the deployment: no constructor without parameters. */
    public static class OwnKeys implements CacheKeyGenerator {
        public OwnKeys(String seed) {
        }

        @Override
        public GeneratedCacheKey generateCacheKey(CacheKeyInvocationContext<? extends Annotation> context) {
            return null;
        }
    }

    /** Resolves each method's cache to one named after it with a prefix, as an application's factory may. */
    public static class Prefixed implements CacheResolverFactory {
        @Override
        public CacheResolver getCacheResolver(CacheMethodDetails<? extends Annotation> details) {
            return new ByName("resolved-" + details.getCacheName());
        }

        @Override
        public CacheResolver getExceptionCacheResolver(CacheMethodDetails<CacheResult> details) {
            return new ByName("resolved-" + details.getCacheName());
        }
    }

    /** Gives a cache of that name; the layers read only its name. */
    record ByName(String name) implements CacheResolver {
        @Override
        @SuppressWarnings("unchecked")
        public <K, V> javax.cache.Cache<K, V> resolveCache(CacheInvocationContext<? extends Annotation> context) {
            return (javax.cache.Cache<K, V>) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {javax.cache.Cache.class}, (proxy, method, arguments) -> {
                        if (method.getName().equals("getName")) {
                            return name;
                        }
                        throw new UnsupportedOperationException(method.getName());
                    });
        }
    }

    /** Gives no resolver at all. */
    public static class OwnCaches implements CacheResolverFactory {
        @Override
        public CacheResolver getCacheResolver(CacheMethodDetails<? extends Annotation> details) {
            return null;
        }

        @Override
        public CacheResolver getExceptionCacheResolver(CacheMethodDetails<CacheResult> details) {
            return null;
        }
    }

    @Dependent
    @CacheResult
    public static class Misused {
        @CacheResult
        @CacheRemove
        public String both(long id) {
            return "";
        }

        @CachePut(cacheName = "standard-misused")
        public void noValue(long id, String value) {
        }

        @CacheResult(cacheName = "standard-misused", cacheKeyGenerator = OwnKeys.class)
        public String ownKeys(long id) {
            return "";
        }

        @CacheRemove(cacheName = "standard-misused", cacheResolverFactory = OwnCaches.class)
        public void ownCaches(long id) {
        }

        @CacheResult(cacheName = "standard-misused")
        @CachedRead(cache = "standard-misused")
        public String twoKinds(long id) {
            return "";
        }
    }

    @Test
    void misuseFailsTheDeploymentNamingMethodAndAnnotation() {
        Throwable failure = catchThrowable(() -> Containers.start(Misused.class).close());

        String misused = Misused.class.getName();
        assertThat(DefinitionProblemsTest.problemsOf(failure)).contains(
                misused + " @CacheResult: put the annotation on methods, not on the class",
                misused + "#both(long) @CacheResult: the method carries @CacheResult and @CacheRemove; the"
                        + " specification allows one of them per method",
                misused + "#noValue(long, String) @CachePut: no parameter is marked @CacheValue; mark the one whose"
                        + " value is put",
                misused + "#ownKeys(long) @CacheResult: cacheKeyGenerator " + OwnKeys.class.getName() + " cannot be"
                        + " created (java.lang.NoSuchMethodException: " + OwnKeys.class.getName() + ".<init>()): give"
                        + " it a public constructor without parameters",
                misused + "#ownCaches(long) @CacheRemove: cacheResolverFactory " + OwnCaches.class.getName()
                        + " gave no cache resolver for it",
                misused + "#twoKinds(long) @CacheResult: the method carries @CachedRead too; use one kind of"
                        + " annotation per method");
    }
}
