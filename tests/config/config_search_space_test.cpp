// [search_space] in an experiment file: converted to JSON and validated by tune::space, with
// every problem located at its TOML node.
#include <catch2/catch.hpp>

#include "config/config_test_support.hpp"
#include "core/config/experiment_loader.hpp"

using tune::core::load_experiment;
using tune::test::check_issue;
using tune::test::kMinimalExperiment;
using tune::test::load_issues;
using tune::test::TempDir;
using tune::test::write_file;

TEST_CASE("config space: the table becomes the searcher's JSON, integers and floats as written", "[config]") {
    TempDir dir;
    auto file = write_file(dir, "space.toml", kMinimalExperiment + R"~([search_space]
x = { uniform = [-1, 1] }
lr = { loguniform = [1e-4, 1e-1] }
batch_size = { choice = [2, 4, 8, 16] }
epochs = 10
[search_space.model]
l1 = { sample_from = "2 ** randint(2, 9)" }
activation = { grid_search = ["relu", "tanh"] }
)~");
    auto experiment = load_experiment(file, {}, nullptr);
    CHECK(experiment.search_space == nlohmann::json::parse(R"~({
        "x": {"uniform": [-1, 1]},
        "lr": {"loguniform": [1e-4, 1e-1]},
        "batch_size": {"choice": [2, 4, 8, 16]},
        "epochs": 10,
        "model": {"l1": {"sample_from": "2 ** randint(2, 9)"}, "activation": {"grid_search": ["relu", "tanh"]}}
    })~"));
    CHECK(experiment.search_space["x"]["uniform"][0].is_number_integer());
    CHECK(experiment.search_space["lr"]["loguniform"][0].is_number_float());
}

TEST_CASE("config space: every invalid domain is reported at its line and column", "[config]") {
    TempDir dir;
    auto file = write_file(dir, "bad_space.toml", kMinimalExperiment + R"~([search_space]
empty = { choice = [] }
flat = { uniform = [1.0, 1.0] }
log = { loguniform = [0, 1] }
expr = { sample_from = "2 ** randint(2," }
ints = { uniform = [0, 1] }
[search_space.model]
l1 = { randint = [9, 2] }
l2 = { sample_from = "model.l1 * 2" }
)~");
    auto issues = load_issues(file);
    const std::string name = file.string();
    CHECK(issues.size() == 5);
    check_issue(issues, name, 7, 9, "search_space.empty", "choice expects a non-empty array of categories, found []");
    check_issue(issues, name, 8, 8, "search_space.flat", "uniform needs lower < upper, found lower 1.0 and upper 1.0");
    check_issue(issues, name, 9, 7, "search_space.log", "loguniform needs lower > 0 (it samples on a log scale)");
    check_issue(issues, name, 10, 8, "search_space.expr",
                "sample_from expression '2 ** randint(2,' does not parse: Unexpected end of expression");
    check_issue(issues, name, 13, 6, "search_space.model.l1", "randint needs lower < upper");
}

TEST_CASE("config space: a domain written as a sub-table is located at its header", "[config]") {
    TempDir dir;
    auto file = write_file(dir, "subtable.toml", kMinimalExperiment + R"~([search_space.lr]
loguniform = [0, 1]
)~");
    auto issues = load_issues(file);
    REQUIRE(issues.size() == 1);
    check_issue(issues, file.string(), 6, 1, "search_space.lr", "loguniform needs lower > 0");
}

TEST_CASE("config space: integer primitives reject floats, float primitives accept integers", "[config]") {
    TempDir dir;
    auto file = write_file(dir, "int_space.toml", kMinimalExperiment + R"~([search_space]
layers = { randint = [2.0, 9] }
dropout = { uniform = [0, 1] }
)~");
    auto issues = load_issues(file);
    REQUIRE(issues.size() == 1);
    check_issue(issues, file.string(), 7, 10, "search_space.layers", "randint argument lower must be an integer");
}

TEST_CASE("config space: expression references and cycles are reported once each", "[config]") {
    TempDir dir;
    auto file = write_file(dir, "refs.toml", kMinimalExperiment + R"~([search_space]
a = { sample_from = "b * 2" }
b = { sample_from = "a + 1" }
c = { sample_from = "zz + 1" }
)~");
    auto issues = load_issues(file);
    REQUIRE(issues.size() == 2);
    check_issue(issues, file.string(), 9, 5, "search_space.c", "references unknown parameter 'zz'");
    CHECK(issues[0].key_path.rfind("search_space.", 0) == 0);
    CHECK_THAT(issues[0].message, Catch::Matchers::Contains("dependency cycle"));
}

TEST_CASE("config space: a key containing '.' is quoted in the key path", "[config]") {
    TempDir dir;
    auto file = write_file(dir, "dotted.toml", kMinimalExperiment + R"~([search_space]
"a.b" = { uniform = [0, 1] }
c = { uniform = [1, 0] }
)~");
    auto issues = load_issues(file);
    REQUIRE(issues.size() == 2);
    check_issue(issues, file.string(), 7, 9, "search_space.\"a.b\"", "must be non-empty and free of '.'");
    check_issue(issues, file.string(), 8, 5, "search_space.c", "uniform needs lower < upper");
}

TEST_CASE("config space: a search space that is not a table is a wrong type", "[config]") {
    TempDir dir;
    auto file = write_file(dir, "space_type.toml", "search_space = [1]\n" + kMinimalExperiment);
    auto issues = load_issues(file);
    REQUIRE(issues.size() == 1);
    check_issue(issues, file.string(), 1, 16, "search_space", "expected a table, got array [1]");
}
