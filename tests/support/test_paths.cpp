#include "support/test_paths.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

extern char **environ;

namespace tune::test {
namespace fs = std::filesystem;

fs::path plugin_dir() { return TUNE_TEST_PLUGIN_DIR; }
fs::path broken_plugin_dir() { return TUNE_TEST_BROKEN_PLUGIN_DIR; }
fs::path test_plugin_dir() { return TUNE_TEST_TEST_PLUGIN_DIR; }
fs::path source_dir() { return TUNE_TEST_SOURCE_DIR; }
fs::path binary_dir() { return TUNE_TEST_BINARY_DIR; }
fs::path tune_exe() { return TUNE_TEST_TUNE_EXE; }
fs::path nm_exe() { return TUNE_TEST_NM; }

TempDir::TempDir(const std::string &prefix) {
    std::random_device device;
    for (int attempt = 0; attempt < 100; ++attempt) {
        fs::path candidate = fs::temp_directory_path() / (prefix + "-" + std::to_string(::getpid()) + "-" +
                                                          std::to_string(device() % 1000000));
        std::error_code ec;
        if (fs::create_directory(candidate, ec)) {
            path_ = candidate;
            return;
        }
    }
    throw std::runtime_error("cannot create a temporary folder");
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

namespace {

std::string slurp(const fs::path &file) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

} // namespace

namespace {

// Starts argv with stdin from /dev/null and stdout/stderr to the given files (no shell).
pid_t spawn_program(const std::vector<std::string> &argv, const std::vector<std::string> &env,
                    const fs::path &out_file, const fs::path &err_file) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (err_file == out_file)
        posix_spawn_file_actions_adddup2(&actions, 1, 2);
    else
        posix_spawn_file_actions_addopen(&actions, 2, err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);

    // env's entries replace inherited ones of the same name (getenv would find the first).
    const auto overridden = [&](const std::string &entry) {
        const std::string name = entry.substr(0, entry.find('=') + 1);
        for (const auto &given : env)
            if (given.rfind(name, 0) == 0) return true;
        return false;
    };
    std::vector<std::string> environment;
    for (char **e = environ; *e; ++e)
        if (!overridden(*e)) environment.emplace_back(*e);
    environment.insert(environment.end(), env.begin(), env.end());
    std::vector<char *> c_env, c_argv;
    for (auto &e : environment) c_env.push_back(e.data());
    c_env.push_back(nullptr);
    std::vector<std::string> args = argv;
    for (auto &a : args) c_argv.push_back(a.data());
    c_argv.push_back(nullptr);

    pid_t pid = 0;
    int rc = posix_spawn(&pid, c_argv[0], &actions, nullptr, c_argv.data(), c_env.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start " + argv.at(0));
    return pid;
}

} // namespace

int wait_for_exit(int pid) {
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int start_tune(const std::vector<std::string> &args, const fs::path &log_file) {
    std::vector<std::string> argv{tune_exe().string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return start_program(argv, log_file);
}

int start_program(const std::vector<std::string> &argv, const fs::path &log_file) {
    return spawn_program(argv, {}, log_file, log_file);
}

CommandResult run_program(const std::vector<std::string> &argv, const std::vector<std::string> &env) {
    TempDir capture("tune-capture");
    const fs::path out_file = capture.path() / "out", err_file = capture.path() / "err";
    CommandResult result;
    result.exit_code = wait_for_exit(spawn_program(argv, env, out_file, err_file));
    result.out = slurp(out_file);
    result.err = slurp(err_file);
    return result;
}

CommandResult run_tune(const std::vector<std::string> &args, const std::vector<std::string> &env) {
    std::vector<std::string> argv{tune_exe().string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_program(argv, env);
}

} // namespace tune::test
