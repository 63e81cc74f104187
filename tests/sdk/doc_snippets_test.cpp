// The plugin projects the docs show (tests/support/doc_blocks.hpp: every snippet block), each
// written out from the docs' text alone, built against the installed SDK, checked with
// `tune check-plugin` and tuned with its experiment file by the installed host. A change that
// breaks a snippet fails here.
#include <catch2/catch.hpp>

#include "sdk/sdk_install_support.hpp"
#include "support/doc_blocks.hpp"

using Catch::Matchers::Contains;
using namespace tune::test;

TEST_CASE("sdk: the docs' plugin projects build against the install, pass check-plugin and run", "[sdk][docs]") {
    TempDir work("tune-doc-snippets");
    const fs::path prefix = work.path() / "prefix";
    install_into(prefix);
    const auto projects = snippet_projects();
    REQUIRE(projects.size() == 3);
    for (const auto &[name, files] : projects) {
        INFO("project " << name);
        const fs::path project = work.path() / name;
        fs::create_directories(project);
        for (const auto &[file, text] : files) std::ofstream(project / file) << text;
        build_out_of_tree(project, project / "build", prefix);

        // Every library it built passes check-plugin with nothing but its path: each plugin
        // checks with its example config.
        int libraries = 0;
        for (const auto &entry : fs::directory_iterator(project / "build")) {
            if (entry.path().extension() != ".so") continue;
            ++libraries;
            auto checked = installed_tune(prefix, {"check-plugin", entry.path().string()});
            INFO(checked.out << checked.err);
            CHECK(checked.exit_code == 0);
            CHECK_THAT(checked.out, Contains("config from its example config") && Contains(" passed, 0 failed"));
        }
        CHECK(libraries == 1);

        // Each experiment file runs every trial to its end.
        for (const auto &[file, text] : files) {
            if (fs::path(file).extension() != ".toml") continue;
            INFO(file);
            const fs::path results = work.path() / ("results_" + name);
            auto ran = installed_tune(prefix, {"--plugin-path", (project / "build").string(), "run",
                                               (project / file).string(), "--progress", "quiet", "--set",
                                               "experiment.results_dir=\"" + results.string() + "\""});
            INFO(ran.out << ran.err);
            REQUIRE(ran.exit_code == 0);
            for (const auto &experiment : fs::directory_iterator(results)) {
                const auto summary = summary_of(experiment.path());
                CHECK(summary.at("trials").size() >= 4);
                for (const auto &trial : summary.at("trials")) CHECK(trial.at("status") == "TERMINATED");
                CHECK(summary.at("best_trial").at("value").is_number());
            }
        }
    }
}
