package org.layeredcache.example;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.layeredcache.example.data.RecentViews;
import org.layeredcache.example.data.UserStore;
import org.layeredcache.example.data.UserView;

import java.util.List;

import static org.layeredcache.example.PageService.found;

/** {@code GET /users/{id}}: a user with their permissions per service; {@code GET /users/{id}/recent}. */
@Path("users/{userId}")
@Produces(MediaType.APPLICATION_JSON)
public class UsersResource {

    @Inject
    UserStore users;

    @Inject
    RecentViews recentViews;

    @GET
    public UserView user(@PathParam("userId") String userIdText) {
        long userId = Ids.path("userId", userIdText);
        return found(users.user(userId), "user", userId);
    }

    /** The templates the user viewed last, newest first. */
    public record Recent(long userId, List<Long> templateIds) {
    }

    /** {@code GET /users/{id}/recent}: the user's recently viewed templates, as every node sees them at once. */
    @GET
    @Path("recent")
    public Recent recent(@PathParam("userId") String userIdText) {
        long userId = Ids.path("userId", userIdText);
        found(users.user(userId), "user", userId);
        return new Recent(userId, recentViews.recent(userId));
    }
}
