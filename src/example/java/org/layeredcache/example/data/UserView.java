package org.layeredcache.example.data;

import java.io.Serializable;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** A user with their permissions on each service they belong to. */
public record UserView(long id, String name, String email, String profile, List<Permissions> permissions)
        implements Serializable {

    /** A user's permissions on one service, such as {@code "manage_templates,send_messages"}. */
    public record Permissions(long serviceId, String granted) implements Serializable {
    }

    static UserView of(User user) {
        return new UserView(user.getId(), user.getName(), user.getEmail(), user.getProfile(),
                user.getMemberships().stream()
                        .map(m -> new Permissions(m.getServiceId(), m.getPermissions()))
                        .sorted(Comparator.comparingLong(Permissions::serviceId))
                        .toList());
    }

    /** What the user may do on the service, if they belong to it. */
    public Optional<String> permissionsOn(long serviceId) {
        return permissions.stream().filter(p -> p.serviceId() == serviceId).map(Permissions::granted).findFirst();
    }
}
