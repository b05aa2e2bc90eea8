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
        return Integer.parseInt(driver.findElement(By.cssSelector(".chart")).getAttribute("data-points"));
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
            wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-testid=link-state]"), "PAUSED"));
            assertThat(api.get("/api/v1/links/shop-eu.shop-us").json().path("state").asString()).isEqualTo("PAUSED");
            driver.findElement(By.xpath("//button[normalize-space()='Resume']")).click();
            wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-testid=link-state]"), "STREAMING"));
            assertThat(driver.findElement(By.cssSelector("ol.timeline")).getText()).contains("paused by operator");

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
