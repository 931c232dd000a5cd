package org.layeredcache.internal.layer;

import jakarta.enterprise.context.RequestScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fastest layer: what the current request has already read or memoized, by namespace (a cache, or one
 * {@code @RequestCached} method). Lives and dies with the CDI request context; nothing in it is shared with
 * another request. Internal: not part of the API.
 */
@RequestScoped
public class RequestLayer {

    private final Map<String, Map<Object, Object>> namespaces = new ConcurrentHashMap<>();

    /**
     * The entries of one namespace in this request. The map itself may be kept and used after the request (for
     * example by a transaction callback) without touching the request context.
     */
    public Map<Object, Object> entries(String namespace) {
        return namespaces.computeIfAbsent(namespace, name -> new ConcurrentHashMap<>());
    }
}
