package org.layeredcache.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A Payara Micro process that a test starts and stops itself: loopback only (HTTP on 127.0.0.1, Hazelcast TCP/IP
 * discovery on 127.0.0.1 or no clustering at all), no phone-home, output in a log file under
 * {@code target/payara-logs}. Stopped by its own PID in {@link #close()}, which tests call in a finally block.
 */
public final class PayaraMicroProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;
    private final int httpPort;

    private PayaraMicroProcess(String name, Process process, Path log, int httpPort) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
    }

    /** Where the build put things: Payara Micro, the jars a WAR bundles, the logs. */
    public static File buildDirectory() {
        return new File(System.getProperty("project.buildDirectory", "target"));
    }

    /** Starts a node without clustering ({@code --nocluster}). */
    public static PayaraMicroProcess start(String name, Path war, List<String> extraArguments) throws IOException {
        return start(name, war, null, 0, extraArguments);
    }

    /**
     * Starts a node.
     *
     * @param clusterName the Hazelcast cluster to join on 127.0.0.1, or {@code null} for none ({@code --nocluster})
     * @param startPort   the first Hazelcast port; the nodes of one cluster share it, each binds the next free one
     *                    and they find each other through the first
     * @param extraArguments more Payara Micro arguments, such as {@code --contextroot}
     */
    public static PayaraMicroProcess start(String name, Path war, String clusterName, int startPort,
                                           List<String> extraArguments) throws IOException {
        int port = FreePorts.next();
        Path logs = buildDirectory().toPath().resolve("payara-logs");
        Files.createDirectories(logs);
        Path log = logs.resolve(name + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-Dhazelcast.phone.home.enabled=false");
        command.add("-Dhazelcast.socket.bind.any=false");
        command.addAll(List.of("-jar", new File(buildDirectory(), "payara-micro.jar").getPath(),
                "--deploy", war.toString(),
                "--port", String.valueOf(port),
                "--name", name,
                "--disablephonehome",
                "--prebootcommandfile", "server-config/pre-boot-commands.txt"));
        if (clusterName == null) {
            command.add("--nocluster");
        } else {
            command.addAll(List.of("--clustername", clusterName, "--startport", String.valueOf(startPort),
                    "--clustermode", "tcpip:127.0.0.1:" + startPort, "--interfaces", "127.0.0.1"));
        }
        command.addAll(extraArguments);
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        // Should the test JVM end before the test could stop its node, the node goes with it.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        return new PayaraMicroProcess(name, process, log, port);
    }

    public long pid() {
        return process.pid();
    }

    public int httpPort() {
        return httpPort;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    public String name() {
        return name;
    }

    /** Everything the node printed so far. */
    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the output matches {@code pattern}; false if it did not within {@code limit} or the node died. */
    public boolean awaitOutput(Pattern pattern, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (pattern.matcher(output()).find()) {
                return true;
            }
            if (!process.isAlive()) {
                return pattern.matcher(output()).find();
            }
            Thread.sleep(200);
        }
        return false;
    }

    /** Waits until Payara Micro says it is ready. */
    public boolean awaitReady(Duration limit) throws InterruptedException {
        return awaitOutput(Pattern.compile("Payara Micro .* ready in"), limit);
    }

    /** Whether the process still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the node at once, as a crash would. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

}
