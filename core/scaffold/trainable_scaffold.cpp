#include "core/scaffold/trainable_scaffold.hpp"

#include <cctype>
#include <fstream>
#include <regex>
#include <stdexcept>

#include <fmt/format.h>

namespace tune::scaffold {

namespace fs = std::filesystem;

namespace {

// The templates. @NAME@, @CLASS@, @ID@ and @SDK_VERSION@ are replaced.
constexpr const char *kSource = R"TEMPLATE(// @ID@: a trainable plugin made by `tune new trainable @NAME@`.
// Replace the toy model in step() with real training. Keep two promises that
// `tune check-plugin` checks: the same config and seed give the same results, and save()
// writes everything that restore() needs to continue exactly (here: the random state too).
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "tune/plugin.hpp"

namespace {

class @CLASS@ final : public tune::Trainable {
public:
    static constexpr const char *id = "@ID@";
    static constexpr const char *version = "0.1.0";
    static constexpr const char *description = "@NAME@: a toy loss curve (lr); describe yours here";
    // A config setup accepts as it is, running in seconds: `tune check-plugin` checks with it
    // when no --config is given, and `tune plugins --example @ID@` prints it.
    static constexpr const char *example_config = R"({"lr": 0.1})";

    void setup(const tune::Json &config, const tune::TrialContext &context) override {
        lr_ = tune::get_or<double>(config, "lr", 0.1); // a wrong type is a ConfigError naming "lr"
        if (!(lr_ > 0 && lr_ < 1)) throw tune::ConfigError("config key 'lr' must be in (0, 1)");
        rng_.seed(context.seed);
        loss_ = 1.0;
    }

    tune::Json step() override {
        loss_ *= 1.0 - lr_ * std::uniform_real_distribution<double>(0.5, 1.0)(rng_);
        return {{"loss", loss_}};
    }

    void save(const std::string &dir) override {
        std::ostringstream rng;
        rng << rng_;
        std::ofstream out(std::filesystem::path(dir) / "state.json");
        out << tune::Json{{"loss", loss_}, {"rng", rng.str()}};
        if (!out.flush()) throw tune::IoError("cannot write state.json in " + dir);
    }

    void restore(const std::string &dir) override {
        std::ifstream in(std::filesystem::path(dir) / "state.json");
        tune::Json state = tune::Json::parse(in, nullptr, /*allow_exceptions=*/false);
        if (!state.is_object()) throw tune::IoError("checkpoint " + dir + " has no valid state.json");
        loss_ = tune::require<double>(state, "loss");
        std::istringstream rng(tune::require<std::string>(state, "rng"));
        rng >> rng_;
    }

    bool reset(const tune::Json &config, const tune::TrialContext &context) override {
        setup(config, context); // nothing outlives a trial here, so reuse is a fresh setup
        return true;
    }

private:
    double lr_ = 0.1;
    double loss_ = 1.0;
    std::mt19937_64 rng_;
};

} // namespace

TUNE_PLUGIN_LIBRARY(@CLASS@);
)TEMPLATE";

constexpr const char *kCMakeLists = R"TEMPLATE(# The @ID@ trainable plugin, built against the installed tune SDK:
#   cmake -S . -B build -DCMAKE_PREFIX_PATH=<tune install prefix> && cmake --build build
cmake_minimum_required(VERSION 3.16)
project(@NAME@ LANGUAGES CXX)

find_package(TuneSDK @SDK_VERSION@ REQUIRED)

# A MODULE library @NAME@.so whose only exported symbol is tune_plugin_entry.
tune_add_plugin(@NAME@ SOURCES @NAME@.cpp)
install(TARGETS @NAME@ LIBRARY DESTINATION ${TUNE_PLUGIN_INSTALL_DIR})
)TEMPLATE";

constexpr const char *kExperiment = R"TEMPLATE(# Tunes @ID@:  tune --plugin-path build run experiment.toml
[experiment]
name = "@NAME@"
metric = "loss"
mode = "min"
num_samples = 4
seed = 1

[trainable]
plugin = "@ID@"

[search_space]
lr = { loguniform = [0.01, 0.5] }

[searcher]
plugin = "random"

[scheduler]
plugin = "fifo"

[stop]
training_iteration = 5
)TEMPLATE";

constexpr const char *kReadme = R"TEMPLATE(# @NAME@

A tune trainable plugin, `@ID@`, made by `tune new trainable @NAME@`.

```sh
cmake -S . -B build -DCMAKE_PREFIX_PATH=<tune install prefix>   # finds TuneSDK
cmake --build build
tune check-plugin build/@NAME@.so                 # the conformance checks
tune --plugin-path build run experiment.toml      # a small random search
```

`cmake --install build --prefix <tune install prefix>` puts the plugin where that tune finds
it without `--plugin-path`. The plugin contract: the tune docs' writing-a-trainable.md and
plugin-abi.md.
)TEMPLATE";

std::string fill(std::string text, const TrainableProject &p, const std::string &class_name) {
    const std::pair<std::string, std::string> values[] = {
        {"@NAME@", p.name}, {"@CLASS@", class_name}, {"@ID@", p.plugin_id}, {"@SDK_VERSION@", TUNE_VERSION}};
    for (const auto &[key, value] : values)
        for (std::size_t at = text.find(key); at != std::string::npos; at = text.find(key, at + value.size()))
            text.replace(at, key.size(), value);
    return text;
}

// my_model -> MyModel
std::string class_name_of(const std::string &name) {
    std::string out;
    bool upper = true;
    for (char c : name) {
        if (c == '_') {
            upper = true;
            continue;
        }
        out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
        upper = false;
    }
    if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out = "Plugin" + out;
    return out;
}

} // namespace

std::vector<fs::path> write_trainable_project(const TrainableProject &project) {
    static const std::regex identifier("[A-Za-z_][A-Za-z0-9_]*");
    static const std::regex reverse_domain(R"([A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+)");
    if (!std::regex_match(project.name, identifier))
        throw ScaffoldError(fmt::format("NAME '{}' must be a C identifier (letters, digits, '_', not starting with "
                                        "a digit): it names the CMake target, the source and the library",
                                        project.name));
    if (!std::regex_match(project.plugin_id, reverse_domain))
        throw ScaffoldError(fmt::format("--id '{}' must be a reverse-domain name such as org.example.{}",
                                        project.plugin_id, project.name));
    std::error_code ec;
    if (fs::exists(project.dir, ec) && !(fs::is_directory(project.dir, ec) && fs::is_empty(project.dir, ec)))
        throw ScaffoldError(fmt::format("{} already exists and is not an empty folder; choose another with --dir",
                                        project.dir.string()));
    fs::create_directories(project.dir);
    const std::string class_name = class_name_of(project.name);
    const std::pair<std::string, const char *> files[] = {{project.name + ".cpp", kSource},
                                                          {"CMakeLists.txt", kCMakeLists},
                                                          {"experiment.toml", kExperiment},
                                                          {"README.md", kReadme}};
    std::vector<fs::path> written;
    for (const auto &[file, text] : files) {
        fs::path path = project.dir / file;
        std::ofstream out(path, std::ios::binary);
        out << fill(text, project, class_name);
        if (!out.flush()) throw std::runtime_error("cannot write " + path.string());
        written.push_back(path);
    }
    return written;
}

} // namespace tune::scaffold
