package org.layeredcache.example.data;

import java.io.Serializable;
import java.util.List;

/** A service as the API returns it and the caches keep it, with the ids of its users. */
public record ServiceView(long id, String name, String settings, List<Long> userIds) implements Serializable {

    static ServiceView of(Service service) {
        return new ServiceView(service.getId(), service.getName(), service.getSettings(),
                service.getMemberships().stream().map(Membership::getUserId).sorted().toList());
    }
}
