package org.layeredcache.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * TCP ports for the servers and cluster members tests start, free on the loopback address when handed out and
 * taken below the system's range of ephemeral ports. A port the system hands out for "any free port" comes from
 * that range, the same range outgoing connections (to the database, between cluster members) take their local
 * ports from: between the check and the server's bind, seconds later, one of them could take it, and the server
 * would fail to start with "Address already in use". Each port handed out is ten after the last, which leaves room
 * for the members of a cluster that bind the next free ports after the first. Thread-safe.
 */
public final class FreePorts {

    private static final int LOWEST = 10_000;
    private static final int STEP = 10;
    private static final int END = ephemeralLow();
    private static final AtomicInteger NEXT = new AtomicInteger(start());

    private FreePorts() {
    }

    /** A port nothing listens on right now, outside the ephemeral range. */
    public static int next() {
        for (int tried = 0; tried < (END - LOWEST) / STEP; tried++) {
            int port = NEXT.getAndAdd(STEP);
            if (port + STEP >= END) {
                NEXT.set(LOWEST);
                continue;
            }
            if (free(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port between " + LOWEST + " and " + END);
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    /** Where this JVM starts: a random place, so that test JVMs one after another do not reuse the same ports. */
    private static int start() {
        return LOWEST + ThreadLocalRandom.current().nextInt((END - LOWEST) / STEP - 1) * STEP;
    }

    /** The first ephemeral port on Linux (32768 unless configured otherwise); 32768 where it cannot be read. */
    private static int ephemeralLow() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            int low = Integer.parseInt(range.split("\\s+")[0]);
            return low > LOWEST + 1000 ? low : 32_768;
        } catch (IOException | RuntimeException unreadable) {
            return 32_768;
        }
    }
}
