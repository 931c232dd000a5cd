package org.layeredcache.example;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.layeredcache.example.data.UserStore;
import org.layeredcache.example.data.UserView;

import static org.layeredcache.example.PageService.found;

/** {@code GET /users/{id}}: a user with their permissions per service. */
@Path("users/{userId}")
@Produces(MediaType.APPLICATION_JSON)
public class UsersResource {

    @Inject
    UserStore users;

    @GET
    public UserView user(@PathParam("userId") String userIdText) {
        long userId = Ids.path("userId", userIdText);
        return found(users.user(userId), "user", userId);
    }
}
