package org.layeredcache.cluster;

import org.layeredcache.testing.PayaraMicroProcess;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP calls the cluster tests make to a node's {@link ClusterResource}, and waiting with a deadline. */
final class NodeCalls {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private NodeCalls() {
    }

    static long read(PayaraMicroProcess node, long id) throws Exception {
        return Long.parseLong(get(node, "counters/" + id));
    }

    static long readShortLived(PayaraMicroProcess node, long id) throws Exception {
        return Long.parseLong(get(node, "counters-short/" + id));
    }

    static long increment(PayaraMicroProcess node, long id) throws Exception {
        return Long.parseLong(post(node, "counters/" + id + "/increment"));
    }

    static long readStandard(PayaraMicroProcess node, long id) throws Exception {
        return Long.parseLong(get(node, "standard-counters/" + id));
    }

    static long incrementStandard(PayaraMicroProcess node, long id) throws Exception {
        return Long.parseLong(post(node, "standard-counters/" + id + "/increment"));
    }

    static long readTagged(PayaraMicroProcess node, long id) throws Exception {
        return Long.parseLong(get(node, "tagged-counters/" + id));
    }

    static long incrementTagged(PayaraMicroProcess node, long id) throws Exception {
        return Long.parseLong(post(node, "tagged-counters/" + id + "/increment"));
    }

    static long readTracked(PayaraMicroProcess node, long id) throws Exception {
        return Long.parseLong(get(node, "tracked-counters/" + id));
    }

    static long incrementPlainly(PayaraMicroProcess node, long id) throws Exception {
        return Long.parseLong(post(node, "tracked-counters/" + id + "/increment-plainly"));
    }

    static long loads(PayaraMicroProcess node) throws Exception {
        Matcher matcher = Pattern.compile("^loads=(\\d+)").matcher(get(node, "statistics"));
        assertThat(matcher.find()).isTrue();
        return Long.parseLong(matcher.group(1));
    }

    static long clusterHits(PayaraMicroProcess node, String cache) throws Exception {
        Matcher matcher = Pattern.compile("^" + cache + " .*cluster=(\\d+)", Pattern.MULTILINE)
                .matcher(get(node, "statistics"));
        return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
    }

    /** How many times calls of {@code cache} on the node started waiting for another load of their key. */
    static long waits(PayaraMicroProcess node, String cache) throws Exception {
        return counter(node, cache, "waits");
    }

    /** How many other nodes' invalidations of {@code cache} the node has applied. */
    static long received(PayaraMicroProcess node, String cache) throws Exception {
        return counter(node, cache, "received");
    }

    /** How often the node dropped the near layer of {@code cache} because invalidation messages were lost. */
    static long lostDrops(PayaraMicroProcess node, String cache) throws Exception {
        return counter(node, cache, "lostDrops");
    }

    private static long counter(PayaraMicroProcess node, String cache, String name) throws Exception {
        java.util.regex.Matcher line = java.util.regex.Pattern.compile("(?m)^" + java.util.regex.Pattern.quote(cache)
                + " .* " + name + "=(\\d+)").matcher(get(node, "statistics"));
        assertThat(line.find()).as("%s of %s on %s", name, cache, node.name()).isTrue();
        return Long.parseLong(line.group(1));
    }

    /** The node's MicroProfile readiness report (HTTP 200 while UP), white space removed. */
    static String readiness(PayaraMicroProcess node) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort()
                + "/health/ready")).timeout(Duration.ofSeconds(30)).GET().build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s readiness: %s", node.name(), response.body()).isEqualTo(200);
        return response.body().replaceAll("\\s", "");
    }

    static String get(PayaraMicroProcess node, String path) throws Exception {
        return send(node, HttpRequest.newBuilder(URI.create(node.baseUrl() + "/" + path)).GET());
    }

    /** The number named {@code name} ("name=123") in the plain-text status at {@code path} on the node. */
    static long figure(PayaraMicroProcess node, String path, String name) throws Exception {
        String status = get(node, path);
        java.util.regex.Matcher figure = java.util.regex.Pattern.compile(name + "=(\\d+)").matcher(status);
        assertThat(figure.find()).as(status).isTrue();
        return Long.parseLong(figure.group(1));
    }

    static String post(PayaraMicroProcess node, String path) throws Exception {
        return send(node, HttpRequest.newBuilder(URI.create(node.baseUrl() + "/" + path))
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** The status of a call, whatever it is. */
    static int status(PayaraMicroProcess node, String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(node.baseUrl() + "/" + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String send(PayaraMicroProcess node, HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s: %s", node.name(), response.uri(), response.body())
                .isEqualTo(200);
        return response.body().trim();
    }

    /** Sends a signal to the node's process (by its PID), such as {@code -STOP} or {@code -CONT}. */
    static void signal(PayaraMicroProcess node, String signal) throws IOException, InterruptedException {
        assertThat(new ProcessBuilder("kill", signal, String.valueOf(node.pid())).inheritIO().start().waitFor())
                .isZero();
    }

    /** Checks {@code condition} until it holds or the deadline ({@link System#nanoTime()}) has passed. */
    static boolean eventually(long deadline, Check condition) throws Exception {
        while (!condition.holds()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }

    @FunctionalInterface
    interface Check {
        boolean holds() throws Exception;
    }

    static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
