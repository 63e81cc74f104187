// Tests of the headless Chromium driver itself: pages are written to a temp folder and opened
// in a real browser. Chromium is part of the test set-up, so its absence fails the tests.
#include "support/headless_browser.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include <catch2/catch.hpp>

namespace tune::test {
namespace {
namespace fs = std::filesystem;

// A folder for the test's HTML fixtures, removed at the end of the test.
class FixtureDir {
public:
    FixtureDir() {
        static std::atomic<int> counter{0};
        path_ = fs::temp_directory_path() /
                ("tune-browser-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        fs::remove_all(path_);
        fs::create_directories(path_);
    }
    ~FixtureDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    FixtureDir(const FixtureDir &) = delete;
    FixtureDir &operator=(const FixtureDir &) = delete;

    fs::path write(const std::string &name, const std::string &html) const {
        fs::path file = path_ / name;
        std::ofstream(file) << html;
        return file;
    }

private:
    fs::path path_;
};

void require_chromium() {
    if (!HeadlessBrowser::available())
        FAIL("chromium is needed for the browser tests but " << HeadlessBrowser::default_executable()
                                                             << " is missing: install chromium (apt-get install "
                                                                "chromium) or set TUNE_CHROMIUM to its path");
}

bool has_error_containing(const HeadlessBrowser &browser, const std::string &text) {
    const auto &errors = browser.errors();
    return std::any_of(errors.begin(), errors.end(),
                       [&](const BrowserMessage &m) { return m.text.find(text) != std::string::npos; });
}

std::string describe_errors(const HeadlessBrowser &browser) {
    std::string out;
    for (const BrowserMessage &m : browser.errors())
        out += m.kind + ": " + m.text + " (" + m.url + ":" + std::to_string(m.line) + ")\n";
    return out;
}

unsigned int big_endian_u32(const std::vector<unsigned char> &data, size_t at) {
    return (unsigned(data[at]) << 24) | (unsigned(data[at + 1]) << 16) | (unsigned(data[at + 2]) << 8) |
           unsigned(data[at + 3]);
}

} // namespace

TEST_CASE("HeadlessBrowser renders a canvas page and takes a full-page screenshot", "[browser]") {
    require_chromium();
    FixtureDir dir;
    // Wider and taller than the 1280x900 viewport, so the full-page shot must go beyond it.
    fs::path page = dir.write("canvas page.html", R"(<!doctype html>
<html><head><style>html, body { margin: 0; padding: 0; } canvas { display: block; }</style></head>
<body><canvas id="c" width="1500" height="1100"></canvas>
<script>
  const ctx = document.getElementById('c').getContext('2d');
  ctx.fillStyle = '#3366cc';
  ctx.fillRect(10, 20, 30, 40);
  window.ready = true;
</script></body></html>)");

    HeadlessBrowser browser;
    browser.open(page);
    REQUIRE(browser.wait_until("window.ready", 10));
    nlohmann::json painted = browser.evaluate(R"((() => {
        const c = document.getElementById('c');
        const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let count = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i] > 0) ++count;
        return count;
    })())");
    CHECK(painted.get<int>() == 30 * 40);
    INFO(describe_errors(browser));
    CHECK(browser.errors().empty());

    const int page_width = browser.evaluate("document.documentElement.scrollWidth").get<int>();
    const int page_height = browser.evaluate("document.documentElement.scrollHeight").get<int>();
    CHECK(page_width == 1500);
    std::vector<unsigned char> png = browser.screenshot_png(true);
    const unsigned char signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    REQUIRE(png.size() > 24);
    CHECK(std::equal(signature, signature + 8, png.begin()));
    CHECK(std::string(png.begin() + 12, png.begin() + 16) == "IHDR");
    CHECK(big_endian_u32(png, 16) == static_cast<unsigned>(page_width));
    CHECK(big_endian_u32(png, 20) == static_cast<unsigned>(page_height));

    std::vector<unsigned char> viewport = browser.screenshot_png(false);
    REQUIRE(viewport.size() > 24);
    CHECK(big_endian_u32(viewport, 16) == 1280);
    CHECK(big_endian_u32(viewport, 20) == 900);
}

TEST_CASE("HeadlessBrowser reports console errors and uncaught exceptions", "[browser]") {
    require_chromium();
    FixtureDir dir;
    fs::path page = dir.write("errors.html", R"(<!doctype html>
<html><body><script>
  console.error("boom");
  setTimeout(() => { window.done = true; }, 0);
  throw new Error("kaboom");
</script></body></html>)");

    HeadlessBrowser browser;
    browser.open(page);
    REQUIRE(browser.wait_until("window.done", 10));
    INFO(describe_errors(browser));
    CHECK(has_error_containing(browser, "boom"));
    CHECK(has_error_containing(browser, "kaboom"));
    const auto &errors = browser.errors();
    CHECK(std::any_of(errors.begin(), errors.end(),
                      [](const BrowserMessage &m) { return m.kind == "console.error" && m.text == "boom"; }));
    CHECK(std::any_of(errors.begin(), errors.end(), [](const BrowserMessage &m) {
        return m.kind == "exception" && m.text.find("kaboom") != std::string::npos;
    }));
}

TEST_CASE("HeadlessBrowser records the URLs a page requests", "[browser]") {
    require_chromium();
    FixtureDir dir;
    const std::string image = "https://example.invalid/x.png";
    fs::path page = dir.write("network.html", "<!doctype html><html><body><img src=\"" + image + "\"></body></html>");

    HeadlessBrowser browser;
    browser.open(page);
    const auto &urls = browser.requested_urls();
    INFO("requested: " << nlohmann::json(urls).dump());
    CHECK(std::find(urls.begin(), urls.end(), image) != urls.end());
}

TEST_CASE("HeadlessBrowser evaluate throws the JavaScript exception text", "[browser]") {
    require_chromium();
    HeadlessBrowser browser;
    try {
        browser.evaluate(R"((() => { throw new Error("bad expr") })())");
        FAIL("evaluate did not throw");
    } catch (const std::runtime_error &error) {
        CHECK(std::string(error.what()).find("bad expr") != std::string::npos);
    }
    CHECK(browser.evaluate("1 + 1").get<int>() == 2); // the browser is still usable
}

TEST_CASE("HeadlessBrowser evaluate awaits promises", "[browser]") {
    require_chromium();
    HeadlessBrowser browser;
    CHECK(browser.evaluate("new Promise(r => setTimeout(() => r(42), 10))").get<int>() == 42);
}

} // namespace tune::test
