package org.layeredcache.example;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.layeredcache.testing.HeadlessChromium;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.UsernameAndPassword;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin dashboard in a real headless Chromium against the deployed example: it shows the example's caches
 * with the figures the REST resource gives, and its invalidate button really drops the key. Runs as a client.
 * {@link HeadlessChromium} starts the browser with {@code --host-resolver-rules} that resolve nothing but
 * 127.0.0.1, so it never looks up an outside host.
 */
@ExtendWith(ArquillianExtension.class)
class DashboardIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ExampleContract.exampleWar(ExampleContract.SMALL_DATA_SET.apply("""
                example.datasource.class=org.h2.jdbcx.JdbcDataSource
                example.datasource.url=jdbc:h2:mem:example-dashboard;DB_CLOSE_DELAY=-1
                example.datasource.user=sa
                example.datasource.password=example
                layered-cache.cache.services.audit.enabled=true
                """));
    }

    @ArquillianResource
    URL base;

    private final HttpClient http = HttpClient.newHttpClient();

    private String send(String method, String path, boolean asAdmin) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base.toString()).resolve(path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (asAdmin) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString("alice:alice-secret".getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), method + " " + path + ": " + response.body());
        return response.body();
    }

    /** One number of the REST resource's summed figures of {@code cache}. */
    private static long figure(String caches, String cache, String counter) {
        Matcher matcher = Pattern.compile("\"" + cache + "\":\\{\"cluster\":\\{[^}]*\"" + counter + "\":(\\d+)")
                .matcher(caches);
        assertTrue(matcher.find(), counter + " of " + cache + " in " + caches);
        return Long.parseLong(matcher.group(1));
    }

    @Test
    void theDashboardShowsTheCachesAndItsButtonReallyDropsAKey() throws Exception {
        send("GET", "services/5", false);
        send("GET", "services/5", false);
        HttpResponse<String> rebuild = http.send(HttpRequest.newBuilder(URI.create(base.toString())
                .resolve("services/4/rebuild")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, rebuild.statusCode(), rebuild.body());
        Matcher task = Pattern.compile("\"task\":\"([^\"]+)\"").matcher(rebuild.body());
        assertTrue(task.find(), rebuild.body());
        // The rebuild reads templates every step: once it has finished, the page and the resource read the same
        // figures (while it runs, a read between the page's fetch and the resource's would set them apart).
        long rebuilt = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String status = send("GET", "layered-cache/tasks/" + task.group(1), true);
        while (!status.contains("\"state\":\"succeeded\"")) {
            assertTrue(status.matches(".*\"state\":\"(queued|running)\".*"), "the rebuild ended otherwise: " + status);
            assertTrue(System.nanoTime() < rebuilt, "the rebuild did not finish within 60 s: " + status);
            Thread.sleep(100);
            status = send("GET", "layered-cache/tasks/" + task.group(1), true);
        }
        // The consistency auditor checks the services cache (configured above): reads, until it has checked one.
        long audited = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!send("GET", "layered-cache/caches/services/audit", true).matches(".*\"agreements\":[1-9].*")) {
            assertTrue(System.nanoTime() < audited, "the auditor checked no entry of 'services' within 30 s");
            send("GET", "services/5", false);
            Thread.sleep(100);
        }
        String metrics = send("GET", "/metrics?scope=application", false);
        assertTrue(metrics.contains("layered_cache_audit_checks{cache=\"services\"")
                && metrics.contains("layered_cache_audit_disagreements{cache=\"services\",layer=\"near\"")
                && metrics.contains("layered_cache_audit_nines{cache=\"services\"")
                && !metrics.contains("layered_cache_audit_checks{cache=\"templates\""), "the auditor's metrics");
        String ready = send("GET", "/health/ready", false);
        assertTrue(ready.matches("(?s).*\"services\\.audit\"\\s*:\\s*\"0 of [1-9][0-9]* checks disagreed.*"),
                "the auditor's readiness detail: " + ready);
        URI page = URI.create(base.toString()).resolve("layered-cache/");
        URI onLoopback = new URI(page.getScheme(), null, "127.0.0.1", page.getPort(), page.getPath(), null, null);

        try (HeadlessChromium chromium = HeadlessChromium.start()) {
            ChromeDriver browser = chromium.driver();
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            // The browser answers the resource's Basic challenges (page and fetch calls) as a user would.
            browser.register(UsernameAndPassword.of("alice", "alice-secret"));
            browser.get(onLoopback.toString());
            try {
                wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-loaded", "true"));
            } catch (org.openqa.selenium.TimeoutException e) {
                throw new AssertionError("the dashboard did not load its figures: "
                        + browser.findElement(By.id("message")).getText(), e);
            }

            String caches = send("GET", "layered-cache/caches", true);
            Map<String, String> shown = wait.until(driver -> {
                try {                                   // read at once, unless the page redraws meanwhile
                    Map<String, String> cells = new HashMap<>();
                    for (String cache : List.of("services", "users", "templates")) {
                        List<WebElement> row = driver.findElement(By.cssSelector("tr[data-cache='" + cache + "']"))
                                .findElements(By.tagName("td"));
                        cells.put(cache + " calls", row.get(1).getText());
                        cells.put(cache + " loads", row.get(5).getText());
                        cells.put(cache + " audit", row.get(14).getText());
                    }
                    cells.put("task", driver.findElement(By.cssSelector("tr[data-task='" + task.group(1) + "']"))
                            .findElements(By.tagName("td")).get(0).getText());
                    return cells;
                } catch (org.openqa.selenium.StaleElementReferenceException redrawn) {
                    return null;
                }
            });
            for (String cache : List.of("services", "users", "templates")) {
                assertEquals(String.valueOf(figure(caches, cache, "calls")), shown.get(cache + " calls"), cache);
                assertEquals(String.valueOf(figure(caches, cache, "loads")), shown.get(cache + " loads"), cache);
            }
            assertEquals("rebuild service 4", shown.get("task"));
            assertTrue(shown.get("services audit").matches("0 / [1-9][0-9]* \\([0-9.]+ nines\\)"),
                    "the auditor's last hour: " + shown.get("services audit"));
            assertEquals("off", shown.get("templates audit"), "not audited");

            // The last minutes as charts, per cache and for all caches: the services' hit ratio is drawn from the
            // reads between two samples of the node's figures (one every 20 s, and one when the page asks).
            for (int i = 0; i < 3; i++) {
                send("GET", "services/5", false);
            }
            Integer marks = wait.until(driver -> {
                try {
                    List<WebElement> row = driver.findElements(By.cssSelector("#charts tr[data-cache='services'] td"));
                    int drawn = driver.findElements(By.cssSelector("#charts tr[data-cache='services'] svg.hits"
                            + " polyline, #charts tr[data-cache='services'] svg.hits circle")).size();
                    boolean all = !driver.findElements(By.cssSelector("#charts tr[data-cache='all'] svg.nines"))
                            .isEmpty();
                    return row.size() == 7 && all && drawn > 0 ? drawn : null;
                } catch (org.openqa.selenium.StaleElementReferenceException redrawn) {
                    return null;
                }
            });
            assertEquals(3, marks, "a mark per layer: request, near, cluster");

            // The counters' row: page views of template 15 gathered in the cluster, flushed by the button.
            for (int i = 0; i < 3; i++) {
                send("GET", "services/5/templates/15/page?user=5", false);
            }
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-counter='template-views']")));
            wait.until(driver -> {
                try {
                    driver.findElement(By.cssSelector("tr[data-counter='template-views'] button.flush")).click();
                    return true;
                } catch (org.openqa.selenium.StaleElementReferenceException redrawn) {
                    return false;
                }
            });
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"),
                    "Counter 'template-views' flushed"));
            String stats = send("GET", "templates/15/stats", false);
            assertTrue(stats.contains("\"pending\":0") && !stats.contains("\"persisted\":0"), stats);
            assertTrue(send("GET", "layered-cache/counters", true).contains("\"counter\":\"template-views\""));
            Path screenshot = Path.of(System.getProperty("project.buildDirectory", "target"), "dashboard.png");
            Files.write(screenshot, browser.getScreenshotAs(OutputType.BYTES));

            assertTrue(send("GET", "layered-cache/caches/services/keys/service-5", true).contains("\"near\":\"present\""));
            new Select(browser.findElement(By.id("key-cache"))).selectByValue("services");
            browser.findElement(By.id("key")).sendKeys("service-5");
            browser.findElement(By.id("invalidate-key-button")).click();
            wait.until(ExpectedConditions.alertIsPresent()).accept();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "invalidated"));
            String where = send("GET", "layered-cache/caches/services/keys/service-5", true);
            assertTrue(where.contains("\"near\":\"absent\"") && where.contains("\"cluster\":\"absent\""), where);

            // The warm-up button: the operator names the key, confirms, and a background task reads it back.
            // The page redraws its table every 5 s and after each action, so a row's button may be replaced
            // between finding and clicking it; as a user would, click the one that is there now.
            wait.until(driver -> {
                try {
                    driver.findElement(By.cssSelector("tr[data-cache='services'] button.warm-up")).click();
                    return true;
                } catch (org.openqa.selenium.StaleElementReferenceException redrawn) {
                    return false;
                }
            });
            Alert keys = wait.until(ExpectedConditions.alertIsPresent());
            keys.sendKeys("service-5, service-6");
            keys.accept();
            wait.until(ExpectedConditions.alertIsPresent()).accept();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "Warm-up of 'services'"
                    + " started"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            String warmed = where;
            while (!warmed.contains("\"cluster\":\"present\"") && System.nanoTime() - deadline < 0) {
                Thread.sleep(100);
                warmed = send("GET", "layered-cache/caches/services/keys/service-5", true);
            }
            assertTrue(warmed.contains("\"cluster\":\"present\"") && warmed.contains("\"near\":\"present\""),
                    "the warm-up read the key back into the layers: " + warmed);
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("tasks"), "warm up 2 key(s) of"
                    + " cache 'services'"));
        }
    }

    @Test
    void theDashboardOpenedWithCredentialsInItsAddressLoadsItsFigures() throws Exception {
        send("GET", "services/5", false);
        URI page = URI.create(base.toString()).resolve("layered-cache/");
        URI withCredentials = new URI(page.getScheme(), "alice:alice-secret", "127.0.0.1", page.getPort(),
                page.getPath(), null, null);
        try (HeadlessChromium chromium = HeadlessChromium.start()) {
            ChromeDriver browser = chromium.driver();
            browser.get(withCredentials.toString());
            try {
                new WebDriverWait(browser, Duration.ofSeconds(30))
                        .until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-loaded", "true"));
            } catch (org.openqa.selenium.TimeoutException e) {
                throw new AssertionError("the dashboard did not load its figures: "
                        + browser.findElement(By.id("message")).getText(), e);
            }
            assertTrue(browser.findElement(By.cssSelector("tr[data-cache='services']")).isDisplayed());
        }
    }
}
