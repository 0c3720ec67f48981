package io.ember.core.testing;

import static java.util.Objects.requireNonNull;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real headless Chromium driven by Selenium, for the web UI's tests: Debian's {@code chromium}
 * and {@code chromedriver} (which {@code .ci/run} installs when missing), never a download.
 * Where they are not installed the test is skipped with one line, except under CI ({@code CI} set),
 * where that is a failure: the pages' only proof must run there.
 *
 * <p>Screenshots go to {@code target/screenshots/<name>.png}. Not thread-safe: one test's.
 */
public final class HeadlessBrowser implements AutoCloseable {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriver driver;
    private final ChromeDriverService service;
    private final Path screenshots;

    private HeadlessBrowser(ChromeDriver driver, ChromeDriverService service, Path screenshots) {
        this.driver = driver;
        this.service = service;
        this.screenshots = screenshots;
    }

    /** Starts the browser, or skips the test (fails it under CI) when Chromium is not installed. */
    public static HeadlessBrowser start() {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed && System.getenv("CI") != null) {
            throw new AssertionError("the web UI's browser tests need " + CHROMIUM + " and " + CHROMEDRIVER
                    + " (Debian packages chromium and chromium-driver; .ci/run installs them as root)");
        }
        Assumptions.assumeTrue(installed, "no " + CHROMIUM + " and " + CHROMEDRIVER + " here (apt-get install chromium "
                + "chromium-driver): the browser test is skipped");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .withLogFile(new File("target/chromedriver.log")).build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--no-first-run", "--disable-extensions", "--window-size=1400,1000", "--lang=en-US");
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", "en-US"));
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        driver.manage().window().setSize(new Dimension(1400, 1000));
        Path screenshots = Path.of("target", "screenshots");
        try {
            Files.createDirectories(screenshots);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new HeadlessBrowser(driver, service, screenshots);
    }

    /** Opens {@code url} and waits for the page to load. */
    public void open(String url) {
        driver.get(requireNonNull(url, "url is null"));
    }

    /** The page's title. */
    public String title() {
        return driver.getTitle();
    }

    /** The current URL. */
    public String url() {
        return driver.getCurrentUrl();
    }

    /** The body rows of the table with id {@code tableId} (none when it says "none"). */
    public List<WebElement> rows(String tableId) {
        return driver.findElements(By.cssSelector("table#" + tableId + " tbody tr")).stream()
                .filter(row -> row.findElements(By.cssSelector("td.dim")).isEmpty()
                        || row.findElements(By.tagName("td")).size() > 1)
                .toList();
    }

    /** The element with this id; fails when there is none. */
    public WebElement byId(String id) {
        return driver.findElement(By.id(id));
    }

    /** Follows the link whose text is {@code text} inside the element with id {@code containerId}. */
    public void follow(String containerId, String text) {
        driver.findElement(By.id(containerId)).findElement(By.linkText(text)).click();
    }

    /** The page's visible text. */
    public String text() {
        return driver.findElement(By.tagName("body")).getText();
    }

    /** Saves a screenshot of the page as {@code target/screenshots/<name>.png} and returns its path. */
    public Path screenshot(String name) {
        Path file = screenshots.resolve(name + ".png");
        try {
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
        }
    }
}
