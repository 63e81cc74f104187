// docs/plugin-abi.md's table "Fields the host adds to every result" names exactly the fields
// that a real run's result.jsonl holds beyond the trainable's own.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <regex>
#include <set>

#include "support/file_contents.hpp"
#include "support/test_paths.hpp"

using namespace tune::test;

namespace {

// The first column of the table under the heading, without its backticks.
std::set<std::string> documented_fields() {
    std::ifstream in(source_dir() / "docs" / "plugin-abi.md");
    static const std::regex row(R"(^\| `([a-z_]+)` \|)");
    std::set<std::string> fields;
    bool inside = false;
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("### ", 0) == 0) inside = line == "### Fields the host adds to every result";
        std::smatch found;
        if (inside && std::regex_search(line, found, row)) fields.insert(found[1]);
    }
    return fields;
}

} // namespace

TEST_CASE("docs: the fields the host adds to a result are those plugin-abi.md lists", "[docs]") {
    TempDir dir;
    auto ran = run_tune({"run", (source_dir() / "samples" / "experiments" / "curve_asha.toml").string(), "--progress",
                         "quiet", "--set", "experiment.num_samples=1", "--set", "stop.training_iteration=2", "--set",
                         "experiment.results_dir=\"" + dir.path().string() + "\""});
    INFO(ran.err);
    REQUIRE(ran.exit_code == 0);
    const auto lines = read_json_lines(dir.path() / "curve_asha" / "trial_00000" / "result.jsonl");
    REQUIRE(lines.size() == 2);
    std::set<std::string> added;
    for (const auto &item : lines.back().items())
        if (item.key() != "loss" && item.key() != "score") added.insert(item.key()); // the curve's own
    CHECK(documented_fields() == added);
    CHECK(added.size() == 10);
}
