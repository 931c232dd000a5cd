package org.layeredcache;

import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.layeredcache.testing.Containers;

import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.layeredcache.testing.Containers.inRequest;
import static org.layeredcache.testing.Nodes.bean;

/** Tests can assert, per call, which keys were read, which missed and were written, and which a write dropped. */
class CacheRecordingTest {

    @ApplicationScoped
    public static class Users {

        @CachedRead(cache = "recorded-users", key = "user-{userId}")
        public String user(long userId) {
            return "user " + userId;
        }

        @CachedRead(cache = "recorded-services", key = "service-{serviceId}")
        public String service(long serviceId) {
            return "service " + serviceId;
        }

        @Invalidates(cache = "recorded-users", key = "user-{userId}")
        @Invalidates(cache = "recorded-services", key = "service-{serviceId}")
        public void addToService(long serviceId, long userId) {
        }

        @Invalidates(cache = "recorded-services", allEntries = true)
        public void reimport() {
        }
    }

    private static WeldContainer node;

    @BeforeAll
    static void start() {
        node = Containers.start(Users.class);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void recordsReadsMissesWritesAndInvalidationsByCache() throws Exception {
        Users users = bean(node, Users.class);
        long user = ThreadLocalRandom.current().nextLong(1, 1L << 40);
        long service = ThreadLocalRandom.current().nextLong(1, 1L << 40);
        CacheAdmin admin = bean(node, CacheAdmin.class);

        try (CacheRecording cold = admin.startRecording()) {
            inRequest(node, () -> users.user(user) + users.user(user) + users.service(service));
            assertThat(cold.reads("recorded-users")).containsExactly("user-" + user, "user-" + user);
            assertThat(cold.misses("recorded-users")).containsExactly("user-" + user);
            assertThat(cold.writes("recorded-users")).containsExactly("user-" + user);
            assertThat(cold.reads("recorded-services")).containsExactly("service-" + service);
        }
        try (CacheRecording warm = admin.startRecording()) {
            users.user(user);
            assertThat(warm.reads("recorded-users")).containsExactly("user-" + user);
            assertThat(warm.misses("recorded-users")).isEmpty();
            assertThat(warm.writes("recorded-users")).isEmpty();
        }
        try (CacheRecording write = admin.startRecording()) {
            users.addToService(service, user);
            users.reimport();
            assertThat(write.invalidations("recorded-users")).containsExactly("user-" + user);
            assertThat(write.invalidations("recorded-services")).containsExactly("service-" + service, "*");
            assertThat(write.reads("recorded-users")).isEmpty();
        }
        CacheRecording closed = admin.startRecording();
        closed.close();
        users.user(user);
        assertThat(closed.reads("recorded-users")).as("nothing after close").isEmpty();
    }
}
