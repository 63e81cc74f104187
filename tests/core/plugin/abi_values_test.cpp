// The ABI's integer values: an unknown one a plugin hands back is a plugin error that names
// the plugin, the call and the value, never a value the host goes on with.
#include <catch2/catch.hpp>

#include "core/plugin/abi_values.hpp"
#include "core/plugin/host_services.hpp"
#include "core/plugin/plugin_error.hpp"
#include "core/plugin/plugin_library.hpp"
#include "core/plugin/scheduler_adapter.hpp"
#include "core/plugin/searcher_adapter.hpp"
#include "support/test_paths.hpp"

using tune::core::PluginCallError;
using tune::core::PluginLibrary;
using Catch::Matchers::Contains;

namespace {

std::unique_ptr<tune::core::PluginInstance> create_broken(const std::string &file, const std::string &id) {
    return PluginLibrary::load(tune::test::broken_plugin_dir() / file)->create(id, tune::core::host_services());
}

const char *const kDecisionRange =
    "decision 7, expected 0..2 (TUNE_DECISION_CONTINUE, TUNE_DECISION_PAUSE, TUNE_DECISION_STOP)";

} // namespace

TEST_CASE("abi values: known values have labels, and an unknown one is named with the known ones", "[abi]") {
    const auto &decisions = tune::core::decisions();
    CHECK(decisions.contains(TUNE_DECISION_STOP));
    CHECK_FALSE(decisions.contains(7));
    CHECK_FALSE(decisions.contains(-1));
    CHECK(decisions.label(TUNE_DECISION_PAUSE) == "pause");
    CHECK(decisions.label(7) == "unknown decision");
    CHECK(decisions.describe(TUNE_DECISION_PAUSE) == "pause");
    CHECK(decisions.describe(7) == kDecisionRange);
    CHECK(tune::core::statuses().describe(TUNE_ERROR_IO) == "I/O error");
    CHECK(tune::core::kind_name(TUNE_KIND_SEARCHER) == "searcher");
    CHECK(tune::core::suggest_outcomes().unexpected(-3) ==
          "outcome -3, expected 0..2 (TUNE_SUGGEST_CONFIG, TUNE_SUGGEST_NOT_READY, TUNE_SUGGEST_FINISHED)");
}

TEST_CASE("abi values: a struct_size below its 1.0 size is named with both sizes", "[abi]") {
    CHECK_FALSE(tune::core::undersized("tune_plugin_t", TUNE_PLUGIN_SIZE_1_0, TUNE_PLUGIN_SIZE_1_0));
    CHECK_FALSE(tune::core::undersized("tune_plugin_t", TUNE_PLUGIN_SIZE_1_0 + 8, TUNE_PLUGIN_SIZE_1_0));
    CHECK(tune::core::undersized("tune_plugin_t", 16, 40) ==
          std::string("tune_plugin_t struct_size is 16 bytes, smaller than its 40 bytes in ABI 1.0"));
}

TEST_CASE("abi values: a scheduler's decision that is no TUNE_DECISION_* is refused naming the plugin, the call "
          "and the value",
          "[abi][adapter]") {
    tune::core::SchedulerAdapter scheduler(
        create_broken("invalid_decision_scheduler.so", "org.tune.test.invalid_decision"));
    scheduler.setup(R"({"metric": "loss", "mode": "min"})");
    CHECK(scheduler.on_trial_result("00000", R"({"loss": 1, "training_iteration": 2})").action ==
          TUNE_DECISION_CONTINUE);
    try {
        scheduler.on_trial_result("00000", R"({"loss": 1, "training_iteration": 3})");
        FAIL("decision 7 was accepted");
    } catch (const PluginCallError &e) {
        CHECK(e.status() == TUNE_ERROR_INTERNAL);
        CHECK_THAT(e.what(), Contains("plugin 'org.tune.test.invalid_decision' (invalid_decision_scheduler.so)") &&
                                 Contains(std::string("on_trial_result returned ") + kDecisionRange));
    }
}

TEST_CASE("abi values: a searcher's suggest outcome that is no TUNE_SUGGEST_* is refused naming the plugin, the "
          "call and the value",
          "[abi][adapter]") {
    tune::core::SearcherAdapter searcher(create_broken("unknown_outcome_searcher.so", "org.tune.test.unknown_outcome"));
    searcher.setup(R"({"metric": "loss", "num_samples": 1, "space": {"x": {"grid_search": [1, 2]}}})");
    CHECK(searcher.suggest("00000").outcome == TUNE_SUGGEST_CONFIG);
    CHECK(searcher.suggest("00001").outcome == TUNE_SUGGEST_CONFIG);
    CHECK(searcher.suggest("00002").outcome == TUNE_SUGGEST_FINISHED);
    try {
        searcher.suggest("00003");
        FAIL("outcome 7 was accepted");
    } catch (const PluginCallError &e) {
        CHECK(e.status() == TUNE_ERROR_INTERNAL);
        CHECK_THAT(e.what(), Contains("plugin 'org.tune.test.unknown_outcome' (unknown_outcome_searcher.so)") &&
                                 Contains("suggest returned outcome 7, expected 0..2 (TUNE_SUGGEST_CONFIG, "
                                          "TUNE_SUGGEST_NOT_READY, TUNE_SUGGEST_FINISHED)"));
    }
}
