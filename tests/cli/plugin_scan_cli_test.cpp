// How the tune executable reads its plugins: described in tune-worker children and cached,
// loaded into the host only when the host calls them; and the messages about bad paths,
// bad libraries and unknown commands.
#include <fstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/test_paths.hpp"

using Catch::Matchers::Contains;
using tune::test::run_tune;
using tune::test::TempDir;
namespace fs = std::filesystem;

namespace {

std::string cache_env(const TempDir &dir) { return "TUNE_CACHE_DIR=" + (dir.path() / "cache").string(); }

std::string write_file(const TempDir &dir, const std::string &name, const std::string &text) {
    const fs::path file = dir.path() / name;
    std::ofstream(file) << text;
    return file.string();
}

} // namespace

TEST_CASE("cli plugins: a library whose constructor crashes is reported and the others still list", "[cli][scan]") {
    TempDir dir;
    const fs::path crashing = tune::test::broken_plugin_dir() / "crashing_constructor.so";
    for (int call = 0; call < 2; ++call) { // described by a child, then from the cache
        auto result = run_tune({"--plugin-path", crashing.string(), "plugins"}, {cache_env(dir)});
        INFO("call " << call << ": " << result.err);
        CHECK(result.exit_code == 0); // as for any other broken library: a warning
        CHECK_THAT(result.out, Contains("org.tune.sample.curve") && Contains("org.tune.scheduler.asha"));
        CHECK_THAT(result.out, !Contains("org.tune.test.crashing_constructor"));
        CHECK_THAT(result.err, Contains(crashing.string() + ": crashed with SIGSEGV while loading"));
    }
}

TEST_CASE("cli plugins: the second call describes nothing in a child and lists the same", "[cli][scan]") {
    TempDir dir;
    auto first = run_tune({"--log-level", "debug", "plugins", "--json"}, {cache_env(dir)});
    REQUIRE(first.exit_code == 0);
    CHECK(fs::exists(dir.path() / "cache" / "plugin-descriptors.json"));
    CHECK_THAT(first.err, !Contains("plugin scan: 0 libraries described in a child process"));
    auto second = run_tune({"--log-level", "debug", "plugins", "--json"}, {cache_env(dir)});
    REQUIRE(second.exit_code == 0);
    CHECK_THAT(second.err, Contains("plugin scan: 0 libraries described in a child process"));
    CHECK(nlohmann::json::parse(second.out) == nlohmann::json::parse(first.out));

    // The fallback that loads every library into tune lists the same.
    auto in_process = run_tune({"plugins", "--json"}, {cache_env(dir), "TUNE_PLUGIN_SCAN=in-process"});
    REQUIRE(in_process.exit_code == 0);
    CHECK(nlohmann::json::parse(in_process.out) == nlohmann::json::parse(first.out));
}

TEST_CASE("cli validate and run: a file with a TOML syntax error is answered without scanning plugins",
          "[cli][scan]") {
    TempDir dir;
    auto file = write_file(dir, "broken.toml", "[experiment]\nname = \"t\nmetric = \"loss\"\n");
    const std::string crashing = (tune::test::broken_plugin_dir() / "crashing_constructor.so").string();
    for (const char *command : {"validate", "run"}) {
        INFO(command);
        // Loading every library into tune (the old scan) with a library that crashes on load:
        // the answer comes only if nothing was scanned.
        auto result = run_tune({"--plugin-path", crashing, command, file},
                               {cache_env(dir), "TUNE_PLUGIN_SCAN=in-process"});
        CHECK(result.exit_code == 2);
        CHECK_THAT(result.err, Contains(file + ":2:") && Contains("is not a valid experiment"));
        CHECK_THAT(result.err, !Contains("crashing_constructor"));
        // And the default scan wrote no cache: it did not run either.
        auto described = run_tune({command, file}, {cache_env(dir)});
        CHECK(described.exit_code == 2);
        CHECK_FALSE(fs::exists(dir.path() / "cache" / "plugin-descriptors.json"));
    }
}

TEST_CASE("cli run: the trainable's library is never loaded into the tune host", "[cli][scan]") {
    TempDir dir;
    // host_guarded_trainable aborts any process named tune that loads it; tune-worker may.
    auto file = write_file(dir, "guarded.toml", R"~([experiment]
name = "guarded"
metric = "loss"
num_samples = 2
[trainable]
plugin = "host_guarded"
[trainable.config]
iterations = 2
[search_space]
x = { uniform = [0.0, 1.0] }
[scheduler]
plugin = "asha"
[scheduler.options]
max_t = 2
)~");
    const std::string guarded = (tune::test::broken_plugin_dir() / "host_guarded_trainable.so").string();
    auto validated = run_tune({"--plugin-path", guarded, "validate", file}, {cache_env(dir)});
    INFO(validated.err);
    CHECK(validated.exit_code == 0);
    auto result = run_tune({"--plugin-path", guarded, "run", file, "--progress", "quiet", "--set",
                            "experiment.results_dir=\"" + (dir.path() / "results").string() + "\""},
                           {cache_env(dir)});
    INFO(result.out << result.err);
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.err, !Contains("loaded into the tune host"));
    auto summary = nlohmann::json::parse(std::ifstream(dir.path() / "results" / "guarded" / "summary.json"));
    REQUIRE(summary.at("trials").size() == 2);
    for (const auto &trial : summary.at("trials")) CHECK(trial.at("status") == "TERMINATED");
}

TEST_CASE("cli plugins: a garbage .so says what the loader said and names the file", "[cli][scan]") {
    TempDir dir;
    const fs::path garbage = tune::test::broken_plugin_dir() / "not_a_library.so";
    auto result = run_tune({"--plugin-path", garbage.string(), "plugins"}, {cache_env(dir)});
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.err, Contains(garbage.string() + " is not a shared library") &&
                               Contains("the loader said: " + garbage.string()));
    CHECK_THAT(result.err, !Contains("Bad file descriptor"));
}

TEST_CASE("cli plugins: a truncated ELF .so says what the loader said and so does check-plugin", "[cli][scan]") {
    TempDir dir;
    const fs::path truncated = dir.path() / "truncated.so";
    {
        std::ifstream in(tune::test::plugin_dir() / "tune_sample_curve.so", std::ios::binary);
        std::string head(200, '\0');
        in.read(head.data(), static_cast<std::streamsize>(head.size()));
        std::ofstream(truncated, std::ios::binary) << head;
    }
    auto result = run_tune({"--plugin-path", truncated.string(), "plugins"}, {cache_env(dir)});
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.err, Contains("cannot load plugin library " + truncated.string() + ": " + truncated.string()));
    CHECK_THAT(result.err, !Contains("Bad file descriptor"));
    auto checked = run_tune({"check-plugin", truncated.string()});
    CHECK(checked.exit_code == 1);
    CHECK_THAT(checked.out, Contains("dlopen failed: " + truncated.string()));
    CHECK_THAT(checked.out, !Contains("Bad file descriptor"));
}

TEST_CASE("cli: a --plugin-path that does not exist is a usage error naming it", "[cli][scan]") {
    TempDir dir;
    const std::string missing = (dir.path() / "no_such_folder").string();
    auto result = run_tune({"--plugin-path", tune::test::plugin_dir().string() + ":" + missing, "plugins"});
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Contains("plugin path " + missing + " does not exist"));
    CHECK(run_tune({"plugins", "--plugin-path", missing}).exit_code == 2); // after the subcommand too

    // A missing folder the user did not name is fine: $TUNE_PLUGIN_PATH, the default folder.
    CHECK(run_tune({"plugins"}, {"TUNE_PLUGIN_PATH=" + missing, cache_env(dir)}).exit_code == 0);
    const fs::path bin = dir.path() / "bin";
    fs::create_directories(bin);
    fs::copy_file(tune::test::tune_exe(), bin / "tune"); // <bin>/../lib/tune/plugins does not exist
    auto alone = tune::test::run_program({(bin / "tune").string(), "plugins"}, {cache_env(dir)});
    CHECK(alone.exit_code == 0);
    CHECK_THAT(alone.out, Contains("No plugins found"));
}

TEST_CASE("cli: an unknown command is named and the commands are listed", "[cli][scan]") {
    auto result = run_tune({"frobnicate"});
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Contains("unknown command 'frobnicate'") && Contains("plugins") && Contains("validate") &&
                               Contains("check-plugin"));
    CHECK_THAT(result.err, !Contains("subcommand is required"));
    auto after_option = run_tune({"--log-level", "info", "frobnicate", "--json"});
    CHECK(after_option.exit_code == 2);
    CHECK_THAT(after_option.err, Contains("unknown command 'frobnicate'"));
}

TEST_CASE("cli plugins: a description that is not UTF-8 is listed with U+FFFD for its bad byte", "[cli][scan]") {
    TempDir dir;
    const std::string latin1 = (tune::test::broken_plugin_dir() / "latin1_description.so").string();
    for (const char *scan : {"TUNE_PLUGIN_SCAN=child", "TUNE_PLUGIN_SCAN=in-process"}) {
        INFO(scan);
        auto listed = run_tune({"--plugin-path", latin1, "plugins", "--json"}, {cache_env(dir), scan});
        INFO(listed.err);
        REQUIRE(listed.exit_code == 0);
        bool found = false;
        for (const auto &plugin : nlohmann::json::parse(listed.out))
            if (plugin.at("id") == "org.tune.test.latin1") {
                found = true;
                CHECK(plugin.at("description") == "Trains at the caf\xEF\xBF\xBD");
            }
        CHECK(found);
    }
}
