// Plugin libraries export exactly one symbol: the entry.
#include <catch2/catch.hpp>

#include <sstream>

#include "support/test_paths.hpp"

namespace {

std::vector<std::string> defined_dynamic_symbols(const std::filesystem::path &library) {
    auto result = tune::test::run_program({tune::test::nm_exe().string(), "-D", "--defined-only", "--format=just-symbols",
                                           library.string()});
    REQUIRE(result.exit_code == 0);
    std::vector<std::string> symbols;
    std::istringstream lines(result.out);
    for (std::string line; std::getline(lines, line);)
        if (!line.empty()) symbols.push_back(line);
    return symbols;
}

} // namespace

TEST_CASE("exports: every shipped plugin exports only tune_plugin_entry", "[exports]") {
    int checked = 0;
    for (const auto &item : std::filesystem::directory_iterator(tune::test::plugin_dir())) {
        if (item.path().extension() != ".so") continue;
        INFO(item.path());
        CHECK(defined_dynamic_symbols(item.path()) == std::vector<std::string>{"tune_plugin_entry"});
        ++checked;
    }
    CHECK(checked >= 2); // at least the two sample trainables
}

TEST_CASE("exports: a C++ plugin with many template instantiations still exports one symbol", "[exports]") {
    // The throwing-constructor plugin instantiates std::string, nlohmann::json and the SDK's
    // templates, all of which would leak as weak symbols without the version script.
    auto symbols = defined_dynamic_symbols(tune::test::broken_plugin_dir() / "throwing_constructor.so");
    CHECK(symbols == std::vector<std::string>{"tune_plugin_entry"});
}
