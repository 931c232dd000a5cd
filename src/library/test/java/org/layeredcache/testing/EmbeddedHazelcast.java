package org.layeredcache.testing;

import com.hazelcast.cache.HazelcastCachingProvider;
import com.hazelcast.cache.HazelcastMemberCachingProvider;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

import javax.cache.CacheManager;
import javax.cache.spi.CachingProvider;
import java.net.URI;
import java.util.UUID;

/**
 * Hazelcast members for in-process tests: loopback only, TCP/IP discovery on 127.0.0.1, no multicast, no
 * phone-home, and a cluster name of their own so that they never join another cluster on this machine.
 */
public final class EmbeddedHazelcast {

    private static HazelcastInstance shared;
    private static CacheManager sharedManager;

    private EmbeddedHazelcast() {
    }

    /** The member most tests share, started on first use and stopped when the JVM exits. */
    public static synchronized HazelcastInstance shared() {
        if (shared == null || !shared.getLifecycleService().isRunning()) {
            shared = start(System.getProperty("test.clusterName", "layered-cache-unit") + "-shared");
            HazelcastInstance member = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(member::shutdown));
        }
        return shared;
    }

    /** The JCache manager of the shared member: one per member, as a server has. */
    public static synchronized CacheManager sharedCacheManager() {
        HazelcastInstance member = shared();
        if (sharedManager == null || sharedManager.isClosed() || !sharedManager.getURI().toString().endsWith(member.getName())) {
            sharedManager = cacheManager(member);
        }
        return sharedManager;
    }

    /** A member of a cluster of its own, on a free port; the caller shuts it down. */
    public static HazelcastInstance start(String clusterName) {
        return start(clusterName, FreePorts.next());
    }

    /**
     * A member on {@code port} that joins the members on the given ports (none: it forms a cluster alone). The ports
     * are explicit because discovery on 127.0.0.1 without them scans only the first few ports from 5701 or 5801,
     * which the members of another build on this machine may hold: the test's members would not find each other.
     */
    public static HazelcastInstance start(String clusterName, int port, int... peers) {
        Config config = new Config();
        config.setClusterName(clusterName);
        config.setInstanceName(clusterName + "-" + UUID.randomUUID());
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.logging.type", "jdk");
        config.setProperty("hazelcast.jcache.provider.type", "member");
        config.getNetworkConfig().setPort(port).setPortAutoIncrement(false);
        config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = config.getNetworkConfig().getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).addMember("127.0.0.1:" + port);
        for (int peer : peers) {
            join.getTcpIpConfig().addMember("127.0.0.1:" + peer);
        }
        return Hazelcast.newHazelcastInstance(config);
    }


    /** The JCache manager of a member, as the server's {@code CacheManager} would be. */
    public static CacheManager cacheManager(HazelcastInstance member) {
        CachingProvider provider = new HazelcastMemberCachingProvider();
        return provider.getCacheManager(URI.create("layered-cache:" + member.getName()), null,
                HazelcastCachingProvider.propertiesByInstanceItself(member));
    }
}
