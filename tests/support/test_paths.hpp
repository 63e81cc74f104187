// Where the tests find the build's binaries and plugins, and helpers for temp folders and
// running the tune executable.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace tune::test {

std::filesystem::path plugin_dir();        // the build's shipped plugins
std::filesystem::path broken_plugin_dir(); // deliberately broken plugins (tests/broken_plugins)
std::filesystem::path test_plugin_dir();   // plugins only tests use (tests/test_plugins)
std::filesystem::path source_dir();        // the repository root
std::filesystem::path binary_dir();        // the build root
std::filesystem::path tune_exe();          // the built tune executable
std::filesystem::path nm_exe();            // binutils nm, for symbol checks

// A fresh empty folder under the system temp dir, removed when the object dies.
class TempDir {
public:
    explicit TempDir(const std::string &prefix = "tune-test");
    ~TempDir();
    TempDir(const TempDir &) = delete;
    TempDir &operator=(const TempDir &) = delete;
    const std::filesystem::path &path() const { return path_; }

private:
    std::filesystem::path path_;
};

struct CommandResult {
    int exit_code = -1;
    std::string out; // stdout
    std::string err; // stderr
};

// Runs tune_exe() with args (no shell), an optional environment addition "NAME=value" list,
// and captures its output.
CommandResult run_tune(const std::vector<std::string> &args, const std::vector<std::string> &env = {});

// Runs any program the same way.
CommandResult run_program(const std::vector<std::string> &argv, const std::vector<std::string> &env = {});

// Starts tune_exe() with args in the background, its stdout and stderr going to log_file.
// Returns the process id; collect the exit status with wait_for_exit.
int start_tune(const std::vector<std::string> &args, const std::filesystem::path &log_file);

// Starts any program the same way.
int start_program(const std::vector<std::string> &argv, const std::filesystem::path &log_file);

// Waits for pid to end; returns its exit status, or 128 + signal if a signal ended it.
int wait_for_exit(int pid);

} // namespace tune::test
