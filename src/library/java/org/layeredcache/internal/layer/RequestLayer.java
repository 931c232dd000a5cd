package org.layeredcache.internal.layer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.ContextNotActiveException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fastest layer: what the current CDI request has already read or memoized, by namespace (a cache, or one
 * {@code @RequestCached} method). Nothing in it is shared with another request. Where no request context is
 * active, every namespace is {@link RequestEntries#NONE}. Internal: not part of the API.
 */
@ApplicationScoped
public class RequestLayer {

    @Inject
    Store store;

    /** The current request's entries of a namespace, or {@link RequestEntries#NONE} outside a request. */
    public RequestEntries entries(String namespace) {
        try {
            return store.entries(namespace);
        } catch (ContextNotActiveException outsideRequest) {
            return RequestEntries.NONE;
        }
    }

    /** Every namespace's entries the current request holds (none outside a request). */
    public java.util.List<RequestEntries> all() {
        try {
            return store.all();
        } catch (ContextNotActiveException outsideRequest) {
            return java.util.List.of();
        }
    }

    /** Holds one request's entries; lives and dies with the CDI request context. */
    @RequestScoped
    public static class Store {

        private final Map<String, RequestEntries> namespaces = new ConcurrentHashMap<>();

        public RequestEntries entries(String namespace) {
            return namespaces.computeIfAbsent(namespace, name -> RequestEntries.create());
        }

        public java.util.List<RequestEntries> all() {
            return java.util.List.copyOf(namespaces.values());
        }
    }
}
