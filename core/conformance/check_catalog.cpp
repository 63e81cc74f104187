#include "core/conformance/check_catalog.hpp"

#include "core/conformance/instance_checks.hpp"
#include "core/conformance/library_checks.hpp"
#include "core/conformance/scheduler_checks.hpp"
#include "core/conformance/searcher_checks.hpp"
#include "core/conformance/trainable_checks.hpp"

namespace tune::conformance {

nlohmann::json default_config(tune_plugin_kind_t kind) {
    switch (kind) {
    case TUNE_KIND_TRAINABLE: return nlohmann::json::object();
    case TUNE_KIND_SEARCHER:
        // Every kind of domain: a float range, a choice, an integer and a grid axis.
        return {{"metric", "loss"},
                {"mode", "min"},
                {"seed", 7},
                {"num_samples", 6},
                {"space",
                 {{"lr", {{"loguniform", {1e-4, 1e-1}}}},
                  {"batch_size", {{"choice", {2, 4, 8, 16}}}},
                  {"layers", {{"randint", {1, 4}}}},
                  {"activation", {{"grid_search", {"relu", "tanh"}}}}}},
                {"options", nlohmann::json::object()}};
    case TUNE_KIND_SCHEDULER:
        return {{"metric", "loss"}, {"mode", "min"}, {"seed", 7}, {"options", nlohmann::json::object()}};
    }
    return nlohmann::json::object();
}

const std::vector<CheckDefinition> &library_checks() {
    static const std::vector<CheckDefinition> checks = {
        {"load", "the file is a shared library that loads with RTLD_NOW and exports tune_plugin_entry", check_load},
        {"abi_version", "the entry was built for this host's ABI major version and is complete", check_abi_version},
        {"descriptors", "init succeeds; every descriptor is well formed (reverse-domain id, kind, version, "
                        "one-line description, an example config that is a JSON object where there is one) and "
                        "its id unique in the library",
         check_descriptors},
    };
    return checks;
}

std::vector<CheckDefinition> plugin_checks(tune_plugin_kind_t kind) {
    std::vector<CheckDefinition> checks = {
        {"create_destroy", "create and destroy, many times and several alive at once; unknown ids and interfaces "
                           "are refused",
         check_create_destroy},
        {"invalid_config", "setup with 7 malformed texts (\"\", \"{\", \"not json\", ...) and 5 JSON non-objects "
                           "([], 42, \"text\", null, true) must each return an error status with a message; each "
                           "top-level key of the config set to another type (a string to 12345, a number or boolean "
                           "to a string, an object to 42, an array to a string, null to {}) must return invalid "
                           "config (or invalid argument) with a message naming the key",
         check_invalid_config},
        {"calls_after_error", "every interface function is safe before setup, after a failed setup and after "
                              "errors: a status and a message, never a crash",
         check_calls_after_error},
    };
    switch (kind) {
    case TUNE_KIND_TRAINABLE:
        checks.push_back({"trainable.step_results", "steps return JSON objects holding a finite metric",
                          check_trainable_step_results});
        checks.push_back({"trainable.determinism", "the same config and seed give the same results",
                          check_trainable_determinism});
        checks.push_back({"trainable.save_restore", "save, then restore into a fresh instance, gives the same next "
                                                    "result",
                          check_trainable_save_restore});
        checks.push_back({"trainable.reset", "reset to a new trial gives the results of a fresh instance (or is "
                                             "declared unsupported)",
                          check_trainable_reset});
        break;
    case TUNE_KIND_SEARCHER:
        checks.push_back({"searcher.suggestions_in_space", "every suggested config lies within the space",
                          check_searcher_suggestions_in_space});
        checks.push_back({"searcher.reproducible", "the same seed gives the same sequence",
                          check_searcher_reproducible});
        checks.push_back({"searcher.finished_not_ready", "\"not ready\" only while trials run, then \"finished\", "
                                                         "and finished stays finished",
                          check_searcher_finished_not_ready});
        checks.push_back({"searcher.save_restore", "a state restored into a fresh instance continues the sequence",
                          check_searcher_save_restore});
        break;
    case TUNE_KIND_SCHEDULER:
        checks.push_back({"scheduler.decisions", "on synthetic result streams every decision, detail, state and "
                                                 "choice is valid, waiting trials are run, and every "
                                                 "decision point promised is kept",
                          check_scheduler_decisions});
        checks.push_back({"scheduler.save_restore", "a state restored into a fresh instance makes the same choices "
                                                    "and decisions",
                          check_scheduler_save_restore});
        break;
    }
    return checks;
}

} // namespace tune::conformance
