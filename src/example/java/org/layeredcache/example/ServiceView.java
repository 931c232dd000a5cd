package org.layeredcache.example;

import java.io.Serializable;

/** What the API returns for a service, and what the caches keep: an immutable copy. */
public record ServiceView(long id, String name, String settings) implements Serializable {

    static ServiceView of(Service service) {
        return new ServiceView(service.getId(), service.getName(), service.getSettings());
    }
}
