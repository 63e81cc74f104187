// `tune check-plugin` fails each deliberately broken plugin on the check it breaks, survives
// plugins that crash, and exits 1.
#include <catch2/catch.hpp>

#include "conformance/check_plugin_support.hpp"
#include "tune/entry.h"

using Catch::Matchers::Contains;
using namespace tune::test;

namespace {

// Runs the checks and expects exactly `check` to fail, its line containing `reason`.
CheckRun expect_only_failure(const std::vector<std::string> &args, const std::string &check, const std::string &reason) {
    CheckRun run = check_plugin(args);
    INFO(run.command.out << run.command.err);
    CHECK(run.failed_names() == std::set<std::string>{check});
    CHECK_THAT(run.failed[check], Contains(reason));
    CHECK_THAT(run.command.out, Contains("passed, 1 failed"));
    CHECK(run.command.exit_code == 1);
    return run;
}

} // namespace

TEST_CASE("check-plugin: a file that is not a shared library fails load, and nothing else runs", "[conformance]") {
    CheckRun run = expect_only_failure({broken("not_a_library.so")}, "load", "not a shared library");
    CHECK(run.passed.empty());
    CHECK_THAT(run.command.out, Contains("1 check: 0 passed, 1 failed"));
}

TEST_CASE("check-plugin: a missing file fails load", "[conformance]") {
    expect_only_failure({broken("no_such_file.so")}, "load", "does not exist");
}

TEST_CASE("check-plugin: a library without the entry symbol fails load", "[conformance]") {
    expect_only_failure({broken("no_entry.so")}, "load", "does not export 'tune_plugin_entry'");
}

TEST_CASE("check-plugin: a library built for another ABI major version fails abi_version", "[conformance]") {
    CheckRun run = expect_only_failure({broken("wrong_abi.so")}, "abi_version", "the major versions must match");
    CHECK(run.passed.count("load") == 1);
}

TEST_CASE("check-plugin: one library declaring an id twice fails descriptors", "[conformance]") {
    expect_only_failure({broken("duplicate_in_library.so")}, "descriptors",
                        "plugin id 'org.tune.test.twin' is declared twice");
}

TEST_CASE("check-plugin: a constructor that throws fails create_destroy with its message", "[conformance]") {
    CheckRun run = check_plugin({broken("throwing_constructor.so")});
    INFO(run.command.out);
    REQUIRE(run.failed.count("create_destroy") == 1);
    CHECK_THAT(run.failed["create_destroy"], Contains("constructor exploded on purpose"));
    CHECK(run.command.exit_code == 1);
}

TEST_CASE("check-plugin: a trainable that aborts is a failed check with the signal, not a crashed checker",
          "[conformance]") {
    CheckRun run = check_plugin({broken("crashing_trainable.so"), "--config", R"({"crash_at": 2})"});
    INFO(run.command.out << run.command.err);
    REQUIRE(run.failed.count("trainable.step_results") == 1);
    CHECK_THAT(run.failed["trainable.step_results"], Contains("crashed with signal 6 (SIGABRT)"));
    // The plugin's last words, from the child's output, come with the failure.
    CHECK_THAT(run.failed["trainable.step_results"], Contains("crashing on purpose at iteration 2"));
    CHECK(run.passed.count("create_destroy") == 1);
    CHECK(run.passed.count("invalid_config") == 1);
    CHECK_THAT(run.command.out, Contains("checks: "));
    CHECK(run.command.exit_code == 1);
}

TEST_CASE("check-plugin: a trainable that crashes on malformed JSON fails invalid_config", "[conformance]") {
    expect_only_failure({broken("crash_on_bad_json.so")}, "invalid_config", "SIGSEGV");
}

TEST_CASE("check-plugin: a trainable that crashes when called before setup fails calls_after_error",
          "[conformance]") {
    expect_only_failure({broken("unsafe_before_setup.so")}, "calls_after_error", "SIGSEGV");
}

TEST_CASE("check-plugin: a trainable whose results ignore the seed fails trainable.determinism", "[conformance]") {
    expect_only_failure({broken("nondeterministic_trainable.so")}, "trainable.determinism",
                        "with the same config and seed 42");
}

TEST_CASE("check-plugin: a trainable whose restore loads nothing fails trainable.save_restore", "[conformance]") {
    expect_only_failure({broken("forgetful_trainable.so")}, "trainable.save_restore", "after restoring a checkpoint");
}

TEST_CASE("check-plugin: a searcher suggesting outside the space fails searcher.suggestions_in_space",
          "[conformance]") {
    expect_only_failure({broken("out_of_space_searcher.so")}, "searcher.suggestions_in_space", "outside the space");
}

TEST_CASE("check-plugin: a searcher that suggests after finishing fails searcher.finished_not_ready",
          "[conformance]") {
    expect_only_failure({broken("unfinished_searcher.so")}, "searcher.finished_not_ready", "it must stay finished");
}

TEST_CASE("check-plugin: a scheduler answering a decision that is no TUNE_DECISION_* fails scheduler.decisions, "
          "naming the value and the call",
          "[conformance]") {
    CheckRun run = check_plugin({broken("invalid_decision_scheduler.so")});
    INFO(run.command.out);
    REQUIRE(run.failed.count("scheduler.decisions") == 1);
    CHECK_THAT(run.failed["scheduler.decisions"],
               Contains("on_trial_result returned decision 7, expected 0..2 (TUNE_DECISION_CONTINUE, "
                        "TUNE_DECISION_PAUSE, TUNE_DECISION_STOP)"));
    CHECK(run.passed.count("calls_after_error") == 1);
    CHECK(run.command.exit_code == 1);
}

TEST_CASE("check-plugin: a scheduler whose action names a trial that does not exist fails scheduler.decisions",
          "[conformance]") {
    CheckRun run = check_plugin({broken("stray_action_scheduler.so")});
    INFO(run.command.out);
    REQUIRE(run.failed.count("scheduler.decisions") == 1);
    CHECK_THAT(run.failed["scheduler.decisions"], Contains("take_actions: stop action for trial '99999', which does "
                                                           "not exist"));
    CHECK(run.command.exit_code == 1);
}

TEST_CASE("check-plugin: a scheduler that breaks its decision-point promise fails scheduler.decisions, naming it",
          "[conformance]") {
    const std::string library = (test_plugin_dir() / "pausing_scheduler.so").string();
    const std::string kept = R"({"metric": "loss", "mode": "min", "options": {"decision_points": "kept"}})";
    const std::string broken = R"({"metric": "loss", "mode": "min", "options": {"decision_points": "broken"}})";
    CheckRun keeping = check_plugin({library, "--config", kept});
    INFO(keeping.command.out);
    CHECK(keeping.passed.count("scheduler.decisions") == 1);
    CheckRun breaking = check_plugin({library, "--config", broken});
    INFO(breaking.command.out);
    REQUIRE(breaking.failed.count("scheduler.decisions") == 1);
    CHECK_THAT(breaking.failed["scheduler.decisions"],
               Contains("iteration 2: on_trial_result answered pause, but next_decision_point promised CONTINUE"));
}

TEST_CASE("check-plugin: a searcher answering an outcome that is no TUNE_SUGGEST_* fails "
          "searcher.finished_not_ready, naming the value and the call",
          "[conformance]") {
    expect_only_failure({broken("unknown_outcome_searcher.so")}, "searcher.finished_not_ready",
                        "suggest returned outcome 7, expected 0..2 (TUNE_SUGGEST_CONFIG, TUNE_SUGGEST_NOT_READY, "
                        "TUNE_SUGGEST_FINISHED)");
}

TEST_CASE("check-plugin: a descriptor whose kind is no TUNE_KIND_* fails descriptors, naming the value and the call",
          "[conformance]") {
    expect_only_failure({broken("unknown_kind.so")}, "descriptors",
                        "plugin_descriptor(0) returned plugin 'org.tune.test.malformed' with kind 7, expected 1..3 "
                        "(TUNE_KIND_TRAINABLE, TUNE_KIND_SEARCHER, TUNE_KIND_SCHEDULER)");
}

TEST_CASE("check-plugin: an entry or descriptor whose struct_size is below ABI 1.0's fails abi_version or "
          "descriptors, naming the struct and both sizes",
          "[conformance]") {
    // malformed_structs.c writes each one pointer short of its 1.0 size.
    auto reason = [](const std::string &name, std::size_t size_1_0) {
        return name + " struct_size is " + std::to_string(size_1_0 - sizeof(void *)) + " bytes, smaller than its " +
               std::to_string(size_1_0) + " bytes in ABI 1.0";
    };
    expect_only_failure({broken("undersized_entry.so")}, "abi_version",
                        reason("tune_plugin_entry_t", TUNE_PLUGIN_ENTRY_SIZE_1_0));
    expect_only_failure({broken("undersized_descriptor.so")}, "descriptors",
                        reason("tune_plugin_descriptor_t", TUNE_PLUGIN_DESCRIPTOR_SIZE_1_0));
}

TEST_CASE("check-plugin: create returning a status that is no tune_status_t fails create_destroy, naming the value",
          "[conformance]") {
    CheckRun run = check_plugin({broken("unknown_status.so")});
    INFO(run.command.out);
    REQUIRE(run.failed.count("create_destroy") == 1);
    CHECK_THAT(run.failed["create_destroy"], Contains("create failed [status 42, expected 0..6 (TUNE_OK, "));
    CHECK(run.command.exit_code == 1);
}

TEST_CASE("check-plugin: a scheduler whose restore forgets its state fails scheduler.save_restore",
          "[conformance]") {
    expect_only_failure({broken("forgetful_scheduler.so")}, "scheduler.save_restore", "after restore");
}

TEST_CASE("check-plugin: a check that hangs fails on its timeout", "[conformance]") {
    // Each step of the curve sleeps 10 s here; the checks that step are given 1 s.
    CheckRun run = check_plugin({shipped("tune_sample_curve.so"), "--config", R"({"sleep_ms": 10000})",
                                 "--timeout", "1"});
    INFO(run.command.out);
    REQUIRE(run.failed.count("trainable.step_results") == 1);
    CHECK_THAT(run.failed["trainable.step_results"], Contains("timed out after 1 s"));
    CHECK(run.passed.count("create_destroy") == 1);
    CHECK(run.command.exit_code == 1);
}

TEST_CASE("check-plugin: a searcher answering not ready while its trial runs passes every check", "[conformance]") {
    CheckRun run = check_plugin({broken("sequential_searcher.so")});
    INFO(run.command.out << run.command.err);
    CHECK(run.failed.empty());
    CHECK(run.passed.size() == 10);
    // The checks did meet "not ready", and completed trials until the searcher went on.
    CHECK_THAT(run.passed["searcher.finished_not_ready"], Contains("12 configs, 12 \"not ready\", then \"finished\""));
    CHECK(run.command.exit_code == 0);
}

TEST_CASE("check-plugin: a searcher answering not ready with no trial running fails searcher.finished_not_ready",
          "[conformance]") {
    expect_only_failure({broken("stalling_searcher.so")}, "searcher.finished_not_ready",
                        "\"not ready\" while no trial was running");
}

TEST_CASE("check-plugin: an example config that is not a JSON object fails descriptors, naming the plugin",
          "[conformance]") {
    CheckRun array = expect_only_failure({broken("array_example_config.so")}, "descriptors",
                                         "descriptor 'org.tune.test.bad_example': example_config must be a JSON "
                                         "object, got array");
    CHECK(array.passed.count("load") == 1);
    expect_only_failure({broken("unparsable_example_config.so")}, "descriptors",
                        "descriptor 'org.tune.test.bad_example': example_config is not valid JSON");
}
