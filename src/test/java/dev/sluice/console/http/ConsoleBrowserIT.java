package dev.sluice.console.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.control.run.RunTicker;
import dev.sluice.testing.MutableClock;
import dev.sluice.testing.RunPlans;
import dev.sluice.testing.RunsOverHttp;
import dev.sluice.testing.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver},
 * installed by {@code .ci/run}; skipped with the reason where they are absent). The run advances
 * by the tests' clock and ticks, as in the other run tests; the page follows it without a reload.
 * Screenshots go to {@code docs/console/}, measurements to {@code target/console-measurements.txt}.
 */
@QuarkusTest
class ConsoleBrowserIT {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("docs/console");
    static final Path MEASUREMENTS = Path.of("target/console-measurements.txt");

    static ChromeDriver browser;

    @TestHTTPResource("/")
    URL base;

    @Inject
    MutableClock clock;

    @Inject
    RunTicker ticker;

    @BeforeAll
    static void startChromium() {
        assumeTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Chromium is not installed (apt-get install -y chromium chromium-driver); skipping the console's"
                        + " browser tests");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--window-size=1366,768");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stopChromium() {
        if (browser != null) {
            browser.quit();
        }
    }

    @BeforeEach
    void signedOut() {
        browser.manage().window().setSize(new Dimension(1366, 768));
        browser.get(base + "console/sign-in");
        browser.manage().deleteAllCookies();
    }

    @Test
    void anOperatorWatchesARunAdvanceLiveThenPausesItWithAReasonAndSignsOut() {
        String id = RunsOverHttp.storeAndStart(RunPlans.pushPlan("browser-live"), "browser-live", "kv store is back");
        signIn(TestTokens.operator("browser-olga"));

        browser.get(base + "console/runs/" + id);
        measure("run detail page load (navigation duration, ms)", navigationMillis());
        assertThat(text("#stage")).isEqualTo("1/3 quarter");
        waitNanos(() -> "events".equals(browser.findElement(By.id("live")).getAttribute("data-live-mode")));

        healthyTicksUntilStage(id, 1);
        long seenAfterNanos = waitNanos(() -> text("#stage").startsWith("2/3"));
        assertThat(text("#stage")).isEqualTo("2/3 half");
        assertThat(text("#budget")).isEqualTo("200.0/s");
        measure(
                "tick committed → shown on the open run page, no reload, Server-Sent Events (ms)",
                seenAfterNanos / 1e6);
        measure("of which the live part's fetch, as the browser timed it (ms)", lastFragmentFetchMillis());
        waitFor("#run-chart");
        assertThat(fresh(() -> browser.findElements(By.cssSelector("#run-chart polyline")).stream()
                        .map(e -> e.getAttribute("id"))
                        .toList()))
                .contains("line-budget", "line-admitted");
        assertThat(text("#eta")).startsWith("≥");
        assertThat(text("#leader")).startsWith("Control loop led by:");
        assertThat(text("tr[data-service='a'] .wanted")).isNotEmpty();
        screenshot("run-detail.png");
        browser.manage().window().setSize(new Dimension(390, 844));
        screenshot("run-detail-phone.png");
        browser.manage().window().setSize(new Dimension(1366, 768));

        browser.findElement(By.id("reason")).sendKeys("cache hit ratio dipping; holding while we look");
        browser.findElement(By.id("action-pause")).click();
        assertThat(waitFor("#preview").getText()).isEqualTo("pause: status running → paused; budget stays 200.0/s");
        browser.findElement(By.id("confirm")).click();
        assertThat(waitFor("#done").getText()).contains("pause");
        waitNanos(() ->
                text("#status").equals("❚❚ paused") && text("#timeline li").contains("run-paused"));
        assertThat(text("#timeline li"))
                .contains("run-paused")
                .contains("browser-olga")
                .contains("cache hit ratio dipping; holding while we look");

        browser.get(base + "console");
        measure("overview page load (navigation duration, ms)", navigationMillis());
        assertThat(text("tr[data-run='" + id + "']"))
                .contains("⚑ paused: cache hit ratio dipping")
                .contains("2/3 half");
        assertThat(fresh(() ->
                        browser.findElement(By.cssSelector("#runs tbody tr")).getAttribute("class")))
                .as("runs waiting for a human come first")
                .contains("waiting");
        screenshot("overview.png");

        browser.findElement(By.id("sign-out")).click();
        waitFor("#sign-in");
        browser.get(base + "console/runs/" + id);
        assertThat(browser.getCurrentUrl()).endsWith("/console/sign-in");
    }

    @Test
    void aViewerSeesTheRunButNoEnabledActionButton() {
        String id = RunsOverHttp.storeAndStart(RunPlans.pushPlan("browser-viewer"), "browser-viewer", "kv is back");
        signIn(TestTokens.token("browser-vera", List.of("viewer"), List.of()));
        browser.get(base + "console/runs/" + id);
        assertThat(text("#status")).isEqualTo("▶ running");
        assertThat(fresh(() -> browser.findElements(By.cssSelector("#actions button")).stream()
                        .map(WebElement::isEnabled)
                        .toList()))
                .hasSize(7)
                .containsOnly(false);
        assertThat(browser.findElements(By.id("action-form"))).isEmpty();
        assertThat(browser.findElements(By.id("override-form"))).isEmpty();
        assertThat(text("#no-actions")).contains("need the operator role");
    }

    @Test
    void anOperatorPinsAServicesRateWithAPreviewAndSeesItInTheServicesTable() {
        String id = RunsOverHttp.storeAndStart(RunPlans.pushPlan("browser-pin"), "browser-pin", "kv is back");
        signIn(TestTokens.operator("browser-pia"));
        browser.get(base + "console/runs/" + id);
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("override-service"))).selectByValue("a");
        browser.findElement(By.id("override-rate")).sendKeys("40");
        browser.findElement(By.id("override-reason")).sendKeys("a's cache is cold");
        browser.findElement(By.id("action-override")).click();
        assertThat(waitFor("#preview").getText())
                .startsWith("override a: a's allocation 100.0/s → 40.0/s, pinned for 600 s");
        browser.findElement(By.id("confirm")).click();
        assertThat(waitFor("#done").getText()).contains("override");
        // The live part is replaced as the run changes: read it with waits that survive a replacement.
        waitNanos(() -> text("tr[data-service='a']").contains("pinned at 40.0/s by browser-pia"));
        waitNanos(() -> text("#timeline li").contains("override-set"));
        assertThat(text("#timeline li")).contains("browser-pia");
    }

    @Test
    void aBlockedGateShowsItsMeasuredValueAndThreshold() {
        String id = RunsOverHttp.storeAndStart(RunPlans.pushPlan("browser-gate"), "browser-gate", "kv is back");
        signIn(TestTokens.operator("browser-olga"));
        browser.get(base + "console/runs/" + id);
        redTicksUntilGateReadsRed(id, "browser-gate");
        waitNanos(() -> text("tr[data-gate='tier-errors'] .sentence").startsWith("blocked by"));
        assertThat(text("tr[data-gate='tier-errors'] .state")).startsWith("✖");
        assertThat(text("tr[data-gate='tier-errors'] .value")).isEqualTo("0.5000");
        assertThat(text("tr[data-gate='tier-errors'] .threshold")).isEqualTo("0.0500");
        assertThat(text("tr[data-gate='tier-errors'] .sentence"))
                .startsWith("blocked by tier-errors: error ratio 0.5000 > 0.0500 over 10 s");
    }

    @Test
    void anEditedPlansViolationsAppearAtTheirPointers() {
        given().contentType(ContentType.JSON)
                .body(RunPlans.pushPlan("browser-plan"))
                .post("/api/v1/plans")
                .then()
                .statusCode(201);
        signIn(TestTokens.token("browser-vera", List.of("viewer"), List.of()));
        browser.get(base + "console/plans");
        browser.findElement(By.linkText("browser-plan")).click();
        assertThat(waitFor("#document").getAttribute("value")).contains("name: \"browser-plan\"");
        String edited = RunPlans.pushPlan("browser-plan")
                .replace("\"dependsOn\": [\"a\"]", "\"dependsOn\": [\"nope\"]")
                .replace("\"share\": 0.5,", "\"share\": 7,");
        ((JavascriptExecutor) browser)
                .executeScript("arguments[0].value = arguments[1];", browser.findElement(By.id("document")), edited);
        browser.findElement(By.id("validate")).click();
        WebElement unknown = waitFor("#violations li[data-pointer='/services/1/dependsOn/0']");
        assertThat(unknown.getText()).contains("/services/1/dependsOn/0").contains("nope");
        assertThat(browser.findElements(By.cssSelector("#violations li[data-pointer^='/stages/1']")))
                .isNotEmpty();
        assertThat(browser.findElement(By.id("document")).getAttribute("value"))
                .as("the edited document stays in the form")
                .contains("\"nope\"");
    }

    @Test
    void aReviewerSearchesTheAuditLogVerifiesTheChainAndAnnotatesAnEvent() {
        String id = RunsOverHttp.storeAndStart(RunPlans.pushPlan("browser-audit"), "browser-audit", "kv is back");
        signIn(TestTokens.token("browser-rita", List.of("reviewer"), List.of("*")));
        browser.get(base + "console/audit");
        browser.findElement(By.id("f-run")).sendKeys(id);
        browser.findElement(By.id("verify")).click();
        assertThat(waitFor("#chain-intact").getText()).startsWith("✔ intact");
        assertThat(text("#events")).contains("run-started").contains("kv is back");
        assertThat(browser.findElement(By.id("export-csv")).getAttribute("href"))
                .contains("run=" + id);
        screenshot("audit.png");
        browser.findElement(By.cssSelector("#events tr.action-run-started td a"))
                .click();
        browser.findElement(By.id("text")).sendKeys("start confirmed on the bridge call");
        browser.findElement(By.id("annotate")).click();
        WebElement note = waitFor("#annotations li");
        assertThat(note.getText()).contains("browser-rita").contains("start confirmed on the bridge call");
    }

    @Test
    void anAdminSavesAnEditedPlanAsANewVersionAndReadsTheDiff() {
        given().contentType(ContentType.JSON)
                .body(RunPlans.pushPlan("browser-save"))
                .post("/api/v1/plans")
                .then()
                .statusCode(201);
        signIn(TestTokens.token("browser-adam", List.of("admin"), List.of("*")));
        browser.get(base + "console/plans/browser-save");
        String edited = RunPlans.pushPlan("browser-save").replace("\"holdSeconds\": 5}", "\"holdSeconds\": 9}");
        ((JavascriptExecutor) browser)
                .executeScript("arguments[0].value = arguments[1];", browser.findElement(By.id("document")), edited);
        browser.findElement(By.id("save")).click();
        assertThat(waitFor("#saved").getText()).contains("version 2");
        browser.findElement(By.id("diff-2")).click();
        WebElement change = waitFor("#changes tr[data-pointer='/stages/2/holdSeconds']");
        assertThat(change.findElement(By.className("before")).getText()).isEqualTo("5");
        assertThat(change.findElement(By.className("after")).getText()).isEqualTo("9");
    }

    @Test
    void anOperatorRehearsesAPlanAndSeesTheComparisonAndTheChart() {
        given().contentType(ContentType.JSON)
                .body(RunPlans.pushPlan("browser-rehearse"))
                .post("/api/v1/plans")
                .then()
                .statusCode(201);
        signIn(TestTokens.operator("browser-reo"));
        browser.get(base + "console/plans/browser-rehearse/rehearse");
        browser.findElement(By.id("outageSeconds")).sendKeys("300");
        browser.findElement(By.id("horizonSeconds")).sendKeys("900");
        browser.findElement(By.id("seed")).sendKeys("7");
        browser.findElement(By.id("rehearse")).click();
        WebElement sluice = new WebDriverWait(browser, Duration.ofSeconds(60))
                .until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("tr[data-strategy='sluice']")));
        assertThat(sluice.getText()).contains("sluice");
        assertThat(browser.findElements(By.cssSelector("#rehearsal-chart svg"))).hasSize(1);
        screenshot("rehearsal.png");
    }

    private void signIn(String token) {
        browser.get(base + "console/sign-in");
        browser.findElement(By.id("token")).sendKeys(token);
        browser.findElement(By.id("sign-in")).click();
        waitFor("#who");
    }

    /** Healthy reports and one tick a second of the test's clock until the run is at {@code stage}. */
    private void healthyTicksUntilStage(String id, int stage) {
        for (int second = 0; second < 60; second++) {
            report("browser-live", 0.0);
            clock.advanceSeconds(1);
            ticker.tick(id);
            int now = given().get("/api/v1/runs/" + id).then().extract().path("stage.index");
            if (now == stage) {
                return;
            }
        }
        throw new AssertionError("run " + id + " did not reach stage " + stage + " in 60 healthy ticks");
    }

    /** Red reports and one tick a second until the run's gate reads red (as the API says). */
    private void redTicksUntilGateReadsRed(String id, String plan) {
        for (int second = 0; second < 20; second++) {
            report(plan, 0.5);
            clock.advanceSeconds(1);
            ticker.tick(id);
            String verdict = given().get("/api/v1/runs/" + id).then().extract().path("gates[0].reading.verdict");
            if ("red".equalsIgnoreCase(verdict)) {
                return;
            }
        }
        throw new AssertionError("the gate of run " + id + " did not read red in 20 red ticks");
    }

    private static void report(String plan, double errorRatio) {
        given().contentType(ContentType.JSON)
                .body(Map.of("source", "reports", "errorRatio", errorRatio))
                .post("/api/v1/plans/" + plan + "/health-reports")
                .then()
                .statusCode(202);
    }

    private static WebElement waitFor(String css) {
        return new WebDriverWait(browser, Duration.ofSeconds(10))
                .until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    /** Waits (explicitly, polling the page) until {@code condition} holds; returns how long it took. */
    private static long waitNanos(java.util.function.BooleanSupplier condition) {
        long start = System.nanoTime();
        new WebDriverWait(browser, Duration.ofSeconds(10), Duration.ofMillis(20)).until(d -> {
            try {
                return condition.getAsBoolean();
            } catch (org.openqa.selenium.StaleElementReferenceException
                    | org.openqa.selenium.NoSuchElementException replaced) {
                return false; // the live part was being replaced
            }
        });
        return System.nanoTime() - start;
    }

    /**
     * The element's text. The run page's live part is swapped in whole on every update, so an element
     * found a moment ago may be gone by the time its text is read; read again from a fresh lookup.
     */
    private static String text(String css) {
        return fresh(() -> browser.findElement(By.cssSelector(css)).getText());
    }

    /** Reads from the page, looking the elements up again when a live update replaced them mid-read. */
    private static <T> T fresh(java.util.function.Supplier<T> read) {
        return new WebDriverWait(browser, Duration.ofSeconds(10), Duration.ofMillis(20))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> read.get());
    }

    /** The duration of the page's latest fetch of its live part (resource timing), in ms. */
    private static double lastFragmentFetchMillis() {
        Object d = ((JavascriptExecutor) browser)
                .executeScript("var e = performance.getEntriesByType('resource').filter(function (r) {"
                        + " return r.name.indexOf('/console/live/runs/') >= 0 && r.name.indexOf('/events') < 0; });"
                        + " return e.length ? e[e.length - 1].duration : -1;");
        return ((Number) d).doubleValue();
    }

    private static double navigationMillis() {
        Object d = ((JavascriptExecutor) browser)
                .executeScript("return performance.getEntriesByType('navigation')[0].duration;");
        return ((Number) d).doubleValue();
    }

    private static void measure(String what, double millis) {
        try {
            Files.createDirectories(MEASUREMENTS.getParent());
            Files.writeString(
                    MEASUREMENTS,
                    String.format(java.util.Locale.ROOT, "%s: %.1f%n", what, millis),
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path shot =
                    ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
