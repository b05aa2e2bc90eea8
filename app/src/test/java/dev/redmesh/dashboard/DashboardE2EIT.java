package dev.redmesh.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import io.lettuce.core.RedisClient;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.redmesh.localredis.RedisNode;
import dev.redmesh.testing.Api;
import dev.redmesh.testing.AppIT;
import dev.redmesh.testing.Browser;
import dev.redmesh.testing.Cleanup;
import dev.redmesh.testing.Eventually;
import dev.redmesh.testing.Fleet;
import dev.redmesh.testing.MeshWorkload;
import dev.redmesh.testing.TestSecurity;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

/**
 * Issue 8, must-show 2 and 3: the dashboard in headless Chromium against the real app with two real
 * redis-server regions streaming under a light load. Every page is screenshot into
 * {@code target/screenshots}.
 */
@AppIT
class DashboardE2EIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    Api api;
    @Autowired
    Environment environment;

    @RegisterExtension
    Cleanup cleanup = new Cleanup();

    private String base;
    private RedisNode third;

    @BeforeEach
    void twoRegionsStreaming() {
        base = "http://localhost:" + environment.getRequiredProperty("local.server.port");
        RedisNode first = cleanup.add(RedisNode.start("repl-backlog-size 16mb"));
        RedisNode second = cleanup.add(RedisNode.start("repl-backlog-size 16mb"));
        third = cleanup.add(RedisNode.start("repl-backlog-size 16mb"));
        api.put("/api/v1/regions/eu-west", "{\"displayName\":\"Ireland\",\"cloud\":\"aws\"}");
        api.put("/api/v1/regions/us-east", "{\"displayName\":\"Virginia\",\"cloud\":\"aws\"}");
        api.put("/api/v1/clusters/shop-eu", cluster("eu-west", first));
        api.put("/api/v1/clusters/shop-us", cluster("us-east", second));
        Eventually.await("both links streaming", WAIT, () -> new Fleet(api, 0).allStreaming(2));
        for (RedisNode node : List.of(first, second)) {
            RedisClient client = RedisClient.create(node.uri());
            cleanup.add(client::shutdown);
            cleanup.add(new MeshWorkload(node.port() + ":", () -> client.connect().sync(), 20));
        }
    }

    private static String cluster(String region, RedisNode node) {
        return "{\"region\":\"" + region + "\",\"mode\":\"STANDALONE\",\"seeds\":[\"" + node.address() + "\"],\"mesh\":\"shop\"}";
    }

    private String token(String name, String role) {
        return api.post("/api/v1/tokens", "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}").json().path("value").asString();
    }

    private void signIn(Browser browser, String token) {
        WebDriver driver = browser.driver();
        driver.get(base + "/");
        WebDriverWait wait = browser.waiting(WAIT);
        WebElement field = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        field.sendKeys(token);
        driver.findElement(By.cssSelector("main.signin button[type=submit]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("header.top")));
    }

    private static int points(WebDriver driver) {
        return Integer.parseInt(driver.findElement(By.cssSelector(".lag-chart")).getAttribute("data-points"));
    }

    @Test
    void anAdminSeesTheLinksWatchesLagMovePausesAndResumesAndAddsARegion() {
        try (Browser browser = new Browser(1366, 900)) {
            WebDriver driver = browser.driver();
            WebDriverWait wait = browser.waiting(WAIT);
            signIn(browser, TestSecurity.ADMIN_TOKEN);

            // overview: both links listed, streaming, as rows and as arrows between the two regions
            wait.until(d -> d.findElements(By.cssSelector("tr[data-link][data-state=STREAMING]")).size() == 2);
            assertThat(driver.findElements(By.cssSelector("svg.mesh .region-node"))).hasSize(2);
            assertThat(driver.findElements(By.cssSelector("svg.mesh line.arrow"))).hasSize(2);
            assertThat(driver.findElement(By.cssSelector("tr[data-link='shop-eu.shop-us'] a")).getText())
                    .isEqualTo("shop-eu → shop-us");
            browser.screenshot("overview");

            // link detail: a chart whose points grow as the 1 s samples arrive
            driver.findElement(By.cssSelector("tr[data-link='shop-eu.shop-us'] a")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".chart .uplot")));
            int before = points(driver);
            wait.until(d -> points(d) > before + 2);
            assertThat(driver.findElements(By.cssSelector(".chart canvas"))).isNotEmpty();
            browser.screenshot("link");

            // pause and resume change the state, through the session cookie and its CSRF token
            driver.findElement(By.xpath("//button[normalize-space()='Pause']")).click();
            WebElement confirm = wait.until(ExpectedConditions.visibilityOfElementLocated(
                    By.xpath("//button[normalize-space()='Pause link']")));
            assertThat(api.get("/api/v1/links/shop-eu.shop-us").json().path("state").asString())
                    .as("nothing is paused before the confirmation").isEqualTo("STREAMING");
            confirm.click();
            wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-testid=link-state]"), "PAUSED"));
            assertThat(api.get("/api/v1/links/shop-eu.shop-us").json().path("state").asString()).isEqualTo("PAUSED");
            driver.findElement(By.xpath("//button[normalize-space()='Resume']")).click();
            wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-testid=link-state]"), "STREAMING"));
            assertThat(driver.findElement(By.cssSelector("ol.timeline")).getText()).contains("paused by ");

            driver.get(base + "/#/clusters");
            wait.until(d -> d.findElements(By.cssSelector("section.cluster")).size() == 2);
            assertThat(driver.findElement(By.cssSelector("section[data-cluster=shop-eu]")).getText()).contains("MASTER", "healthy");
            assertThat(driver.findElement(By.cssSelector("section[data-cluster=shop-eu] [data-testid=capture]")).getText())
                    .isEqualTo("read by replication stream (PSYNC) (AUTO: its masters accept PSYNC)");
            driver.findElement(By.cssSelector("details.help summary")).click();
            assertThat(driver.findElement(By.cssSelector("details.help")).getText()).contains("Keyspace capture",
                    "notify-keyspace-events");
            browser.screenshot("clusters");

            driver.get(base + "/#/consistency");
            wait.until(d -> !d.findElements(By.cssSelector("section[data-mesh=shop]")).isEmpty());
            driver.findElement(By.xpath("//section[@data-mesh='shop']//button[normalize-space()='Verify now']")).click();
            new WebDriverWait(driver, Duration.ofSeconds(60)).until(ExpectedConditions.textToBe(
                    By.cssSelector("section[data-mesh=shop] [data-testid=verification-state]"), "0 divergent"));
            assertThat(api.get("/api/v1/meshes/shop/verifications").json().path(0).path("divergentKeys").asLong()).isZero();
            browser.screenshot("consistency");

            driver.get(base + "/#/events");
            wait.until(d -> !d.findElements(By.cssSelector("ol.timeline li")).isEmpty());
            new Select(driver.findElement(By.cssSelector(".filters select"))).selectByValue("LINK_STATE");
            wait.until(d -> d.findElements(By.cssSelector("ol.timeline li")).stream()
                    .allMatch(li -> "LINK_STATE".equals(li.getAttribute("data-type"))));
            browser.screenshot("events");

            driver.get(base + "/#/fleet");
            wait.until(d -> !d.findElements(By.cssSelector("tr[data-worker]")).isEmpty());
            browser.screenshot("fleet");

            // add a region: a mistake is shown on its field, then the region is added and followed until ready
            driver.get(base + "/#/add");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("f-region")));
            driver.findElement(By.id("f-region")).sendKeys("ap-south");
            driver.findElement(By.id("f-cluster")).sendKeys("shop-ap");
            driver.findElement(By.id("f-seeds")).sendKeys("not-a-seed");
            driver.findElement(By.id("f-mesh")).sendKeys("shop");
            driver.findElement(By.cssSelector("form.add-region button[type=submit]")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("e-seeds")));
            assertThat(driver.findElement(By.id("e-seeds")).getText()).contains("not-a-seed");
            browser.screenshot("add-region-error");
            assertThat(api.get("/api/v1/regions/ap-south").status())
                    .as("a refused cluster leaves no region behind").isEqualTo(404);
            driver.findElement(By.id("f-seeds")).clear();
            driver.findElement(By.id("f-seeds")).sendKeys(third.address());
            driver.findElement(By.cssSelector("form.add-region button[type=submit]")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=follow] [data-ready=true]")));
            browser.screenshot("add-region-ready");

            driver.get(base + "/#/");
            wait.until(d -> d.findElements(By.cssSelector("tr[data-link]")).size() == 6);
            assertThat(driver.findElements(By.cssSelector("svg.mesh .region-node"))).hasSize(3);
            assertThat(api.get("/api/v1/clusters/shop-ap").json().path("status").path("ready").asBoolean()).isTrue();
        }
    }

    @Test
    void aViewerSeesEverythingButCannotPressWhatNeedsAnotherRole() {
        String viewer = token("dashboard-viewer", "VIEWER");
        try (Browser browser = new Browser(1366, 900)) {
            WebDriver driver = browser.driver();
            WebDriverWait wait = browser.waiting(WAIT);
            signIn(browser, viewer);
            wait.until(d -> d.findElements(By.cssSelector("tr[data-link]")).size() == 2);
            driver.get(base + "/#/links/shop-eu.shop-us");
            WebElement pause = wait.until(ExpectedConditions.visibilityOfElementLocated(
                    By.xpath("//button[normalize-space()='Pause']")));
            assertThat(pause.isEnabled()).as("pause disabled for a viewer").isFalse();
            assertThat(pause.getAttribute("title")).contains("OPERATOR");
            assertThat(driver.findElement(By.cssSelector(".actions .hint")).getText()).contains("VIEWER");

            driver.get(base + "/#/add");
            WebElement submit = wait.until(ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector("form.add-region button[type=submit]")));
            assertThat(submit.isEnabled()).isFalse();
            assertThat(driver.findElement(By.id("f-region")).isEnabled()).isFalse();
            assertThat(api.get("/api/v1/links/shop-eu.shop-us").json().path("state").asString()).isEqualTo("STREAMING");
        }
    }

    /**
     * Issue 23: seven regions — the two streaming ones and five whose seeds are unreachable. The
     * overview draws a 7 × 7 matrix instead of a graph, every cell a link; the links table sorts and
     * filters; a cell of an unreachable region opens a link that says why it waits, with the error.
     */
    @Test
    void sevenRegionsShowAsAMatrixTheLinksTableSortsAndFiltersAndAWaitingLinkSaysWhy() {
        List<String> dead = List.of("ap-south", "sa-east", "af-south", "me-central", "ca-central");
        for (int i = 0; i < dead.size(); i++) {
            api.put("/api/v1/regions/" + dead.get(i), "{}");
            api.put("/api/v1/clusters/shop-" + dead.get(i), "{\"region\":\"" + dead.get(i)
                    + "\",\"mode\":\"STANDALONE\",\"seeds\":[\"127.0.0.1:" + (i + 1) + "\"],\"mesh\":\"shop\"}");
        }
        try (Browser browser = new Browser(1366, 1000)) {
            WebDriver driver = browser.driver();
            WebDriverWait wait = browser.waiting(WAIT);
            signIn(browser, TestSecurity.ADMIN_TOKEN);
            wait.until(d -> d.findElements(By.cssSelector("tr[data-link]")).size() == 42);
            assertThat(driver.findElements(By.cssSelector("svg.mesh"))).as("no graph past three regions").isEmpty();
            assertThat(driver.findElements(By.cssSelector("table.matrix tbody tr"))).hasSize(7);
            assertThat(driver.findElements(By.cssSelector("table.matrix td[data-level]"))).as("one cell per ordered pair").hasSize(42);
            wait.until(d -> "OK".equals(d.findElement(By.cssSelector("table.matrix td[data-from=eu-west][data-to=us-east]"))
                    .getAttribute("data-level")));

            // problems first by default: the 40 waiting links above the two streaming ones
            List<WebElement> rows = driver.findElements(By.cssSelector("table.links tbody tr"));
            assertThat(rows.get(rows.size() - 1).getAttribute("data-state")).isEqualTo("STREAMING");
            assertThat(rows.get(0).getAttribute("data-state")).isNotEqualTo("STREAMING");
            new org.openqa.selenium.support.ui.Select(driver.findElement(By.name("state-filter"))).selectByValue("problems");
            wait.until(d -> d.findElements(By.cssSelector("table.links tbody tr")).size() == 40);
            driver.findElement(By.name("link-filter")).sendKeys("us-east");
            wait.until(d -> d.findElements(By.cssSelector("table.links tbody tr")).size() == 10);
            assertThat(driver.findElement(By.cssSelector("[data-testid=links-shown]")).getText()).isEqualTo("10 of 42");
            new org.openqa.selenium.support.ui.Select(driver.findElement(By.name("state-filter"))).selectByValue("all");
            wait.until(d -> d.findElements(By.cssSelector("table.links tbody tr")).size() == 12);
            driver.findElement(By.cssSelector("button[data-sort=link]")).click();
            List<String> ids = driver.findElements(By.cssSelector("table.links tbody tr")).stream()
                    .map(r -> r.getAttribute("data-link")).toList();
            assertThat(ids).as("sorted by link").isSorted();
            driver.findElement(By.cssSelector("button[data-sort=link]")).click();
            assertThat(driver.findElements(By.cssSelector("table.links tbody tr")).get(0).getAttribute("data-link"))
                    .as("clicked again: reversed").isEqualTo(ids.get(ids.size() - 1));
            browser.screenshot("overview-7-regions");

            driver.findElement(By.cssSelector("table.matrix td[data-from=ap-south][data-to=eu-west] a")).click();
            wait.until(ExpectedConditions.textToBe(By.cssSelector("h1"), "shop-ap-south → shop-eu"));
            wait.until(d -> d.findElement(By.cssSelector("p.reason")).getText().contains("source cluster shop-ap-south not reachable"));
            assertThat(driver.findElement(By.cssSelector("p.reason")).getText().toLowerCase()).contains("refused");
            browser.screenshot("link-unreachable");
        }
    }

    /**
     * Issue 23: the lag chart's two panes start at zero and span the chosen window, read from the
     * rendered uPlot scales; an hour's window says where its samples begin; a paused link's backlog
     * (bytes written on its source since the pause) grows on its page instead of reading "unknown".
     */
    @Test
    void theLagChartSpansItsWindowFromZeroAndAPausedLinksBacklogGrows() throws Exception {
        try (Browser browser = new Browser(1366, 1000)) {
            WebDriver driver = browser.driver();
            WebDriverWait wait = browser.waiting(WAIT);
            signIn(browser, TestSecurity.ADMIN_TOKEN);
            driver.get(base + "/#/links/shop-eu.shop-us");
            wait.until(d -> points(d) > 3);
            for (String pane : List.of("ms", "bytes")) {
                double[] y = scale(driver, pane, "y");
                assertThat(y[0]).as("%s axis from zero", pane).isZero();
                assertThat(y[1]).as("%s axis above zero", pane).isPositive();
            }
            double[] x = scale(driver, "ms", "x");
            WebElement chart = driver.findElement(By.cssSelector(".lag-chart"));
            assertThat(x[0]).isEqualTo(Double.parseDouble(chart.getAttribute("data-from")));
            assertThat(x[1] - x[0]).as("15 min window").isBetween(899.0, 901.0);
            driver.findElement(By.xpath("//div[@aria-label='time window']/button[normalize-space()='1h']")).click();
            wait.until(d -> {
                double[] hour = scale(d, "ms", "x");
                return hour[1] - hour[0] > 3599 && hour[1] - hour[0] < 3601;
            });
            assertThat(driver.findElement(By.cssSelector("[data-testid=span-note]")).getText()).startsWith("Samples begin at");
            double begins = Double.parseDouble(driver.findElement(By.cssSelector(".lag-chart")).getAttribute("data-begins"));
            assertThat(begins).as("the samples begin inside the window, after its start")
                    .isGreaterThan(scale(driver, "ms", "x")[0]);
            browser.screenshot("link-1h");

            assertThat(api.post("/api/v1/links/shop-eu.shop-us/pause", "").status()).isEqualTo(200);
            wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-testid=link-state]"), "PAUSED"));
            // the workload keeps writing on shop-eu: what it writes is behind, and grows
            wait.until(d -> behind(d) > 0);
            long first = behind(driver);
            wait.until(d -> behind(d) > first);
            assertThat(driver.findElement(By.cssSelector("[data-testid=shard-behind]")).getText()).isNotEqualTo("unknown");
            browser.screenshot("link-paused");
        }
    }

    private static double[] scale(WebDriver driver, String pane, String axis) {
        String json = driver.findElement(By.cssSelector(".lag-chart [data-pane=" + pane + "]")).getAttribute("data-" + axis);
        String[] parts = json.replaceAll("[\\[\\]]", "").split(",");
        return new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[1])};
    }

    /** The link's "Behind" card in bytes (its text is formatted: 12 KiB). */
    private static long behind(WebDriver driver) {
        String text = driver.findElement(By.cssSelector("[data-testid=link-behind]")).getText().trim();
        String[] parts = text.split(" ");
        if (parts.length != 2) {
            return -1;
        }
        double value = Double.parseDouble(parts[0]);
        return (long) (value * switch (parts[1]) {
            case "B" -> 1;
            case "KiB" -> 1024;
            case "MiB" -> 1024 * 1024;
            default -> 1024L * 1024 * 1024;
        });
    }

    @Test
    void aBadTokenIsRefusedOnTheSignInPageAndAPhoneSizedScreenShowsTheOverview() {
        try (Browser browser = new Browser(390, 844)) {
            WebDriver driver = browser.driver();
            WebDriverWait wait = browser.waiting(WAIT);
            driver.get(base + "/");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token"))).sendKeys("rm_0_wrong");
            driver.findElement(By.cssSelector("main.signin button[type=submit]")).click();
            WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("main.signin [role=alert]")));
            assertThat(error.getText()).contains("not valid");
            browser.screenshot("sign-in-refused");

            driver.findElement(By.id("token")).clear();
            driver.findElement(By.id("token")).sendKeys(TestSecurity.ADMIN_TOKEN);
            driver.findElement(By.cssSelector("main.signin button[type=submit]")).click();
            wait.until(d -> d.findElements(By.cssSelector("tr[data-link]")).size() == 2);
            // keyboard: the first stop is the skip link, then the navigation
            driver.findElement(By.tagName("body")).sendKeys(org.openqa.selenium.Keys.TAB);
            assertThat(driver.switchTo().activeElement().getText()).isEqualTo("Skip to content");
            driver.switchTo().activeElement().sendKeys(org.openqa.selenium.Keys.TAB);
            assertThat(driver.switchTo().activeElement().getText()).isEqualTo("redmesh");
            Long scroll = (Long) ((org.openqa.selenium.JavascriptExecutor) driver)
                    .executeScript("return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
            assertThat(scroll).as("no sideways scrolling of the page on a phone").isLessThanOrEqualTo(0L);
            browser.screenshot("overview-phone");
        }
    }
}
