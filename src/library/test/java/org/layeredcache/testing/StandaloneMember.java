package org.layeredcache.testing;

import com.hazelcast.core.HazelcastInstance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Hazelcast member in a JVM of its own (same loopback-only configuration as {@link EmbeddedHazelcast}), so that
 * a test can freeze it (SIGSTOP) and thaw it (SIGCONT) to make the cluster really hang. The test that starts it
 * stops it by its PID in {@link #close()}.
 */
public final class StandaloneMember implements AutoCloseable {

    private final Process process;
    private final int port;

    private StandaloneMember(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Entry point of the child JVM: starts the member (cluster name, port), says READY, and runs until killed. */
    public static void main(String[] arguments) throws InterruptedException {
        HazelcastInstance member = EmbeddedHazelcast.start(arguments[0], Integer.parseInt(arguments[1]));
        System.out.println("READY " + member.getCluster().getLocalMember().getAddress());
        Thread.currentThread().join();
    }

    /** Starts a member of {@code clusterName} in a child JVM, on a free port, and waits until it runs. */
    public static StandaloneMember start(String clusterName) throws IOException, InterruptedException {
        Path log = Files.createTempFile("standalone-member", ".log");
        int port = FreePorts.next();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-Dhazelcast.phone.home.enabled=false",
                "-Dhazelcast.socket.bind.any=false",
                "-Dhazelcast.logging.type=none",
                "-cp", System.getProperty("java.class.path"),
                StandaloneMember.class.getName(), clusterName, String.valueOf(port)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        StandaloneMember member = new StandaloneMember(process, port);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.readString(log).contains("READY")) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                member.close();
                throw new IllegalStateException("the standalone member did not start: " + Files.readString(log));
            }
            Thread.sleep(100);
        }
        return member;
    }

    /** The member's port on 127.0.0.1, for other members to join it. */
    public int port() {
        return port;
    }

    /** Freezes the member's JVM: it stops answering, as a hung machine would. */
    public void freeze() throws IOException, InterruptedException {
        signal("-STOP");
    }

    public void thaw() throws IOException, InterruptedException {
        signal("-CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        int status = new ProcessBuilder("kill", signal, String.valueOf(process.pid())).inheritIO().start().waitFor();
        if (status != 0) {
            throw new IllegalStateException("kill " + signal + " " + process.pid() + " failed");
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            try {
                thaw();
            } catch (IOException | RuntimeException ignored) {
                // it is killed next anyway
            }
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
