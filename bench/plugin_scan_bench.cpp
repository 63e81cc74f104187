// What `tune plugins` and `tune validate` cost before and after the host stopped loading
// plugin libraries to read their descriptors: the old in-process scan (TUNE_PLUGIN_SCAN=
// in-process, the baseline), a cold descriptor cache (every library described by a
// tune-worker child) and a warm one (no child). Medians of several runs of the real
// executable, each a fresh process. Run by hand:
//   build/bench/tune_plugin_scan_bench [--runs N] [--plugin-path PATH] [--data-dir DIR]
// --plugin-path adds a library or folder (the CIFAR-10 plugin, which links LibTorch, when the
// build has none); validate checks samples/cifar10_asha.toml, which needs org.tune.cifar10.
// docs/performance.md quotes its output.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

extern char **environ;

namespace {

namespace fs = std::filesystem;

struct Timing {
    double median_ms = 0;
    int exit_code = 0;
};

// Runs argv with extra environment entries, output discarded; returns the wall time in ms.
double run_once(const std::vector<std::string> &argv, const std::vector<std::string> &env, int &exit_code) {
    std::vector<std::string> environment;
    for (char **e = environ; *e; ++e) {
        const std::string entry(*e);
        const std::string name = entry.substr(0, entry.find('=') + 1);
        bool replaced = false;
        for (const auto &given : env) replaced = replaced || given.rfind(name, 0) == 0;
        if (!replaced) environment.push_back(entry);
    }
    environment.insert(environment.end(), env.begin(), env.end());
    std::vector<char *> c_env, c_argv;
    for (auto &entry : environment) c_env.push_back(entry.data());
    c_env.push_back(nullptr);
    std::vector<std::string> args = argv;
    for (auto &arg : args) c_argv.push_back(arg.data());
    c_argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    const auto start = std::chrono::steady_clock::now();
    pid_t pid = 0;
    if (posix_spawn(&pid, c_argv[0], &actions, nullptr, c_argv.data(), c_env.data()) != 0) {
        std::fprintf(stderr, "cannot start %s\n", c_argv[0]);
        std::exit(1);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    posix_spawn_file_actions_destroy(&actions);
    exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return ms;
}

// The median of runs runs; prepare (if any) runs before each one, untimed.
template <class Prepare>
Timing measure(const std::vector<std::string> &argv, const std::vector<std::string> &env, int runs, Prepare prepare) {
    std::vector<double> times;
    Timing timing;
    for (int i = 0; i < runs; ++i) {
        prepare();
        times.push_back(run_once(argv, env, timing.exit_code));
    }
    std::sort(times.begin(), times.end());
    timing.median_ms = times[times.size() / 2];
    return timing;
}

} // namespace

int main(int argc, char **argv) {
    int runs = 9;
    std::vector<std::string> global; // options before the subcommand
    std::string data_dir = "data/cifar-10-batches-bin";
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--runs" && i + 1 < argc) runs = std::max(1, std::atoi(argv[++i]));
        else if (arg == "--plugin-path" && i + 1 < argc) global = {"--plugin-path", argv[++i]};
        else if (arg == "--data-dir" && i + 1 < argc) data_dir = argv[++i];
        else {
            std::fprintf(stderr, "usage: %s [--runs N] [--plugin-path PATH] [--data-dir DIR]\n", argv[0]);
            return 2;
        }
    }
    const fs::path cache = fs::temp_directory_path() / "tune_plugin_scan_bench_cache";
    const std::string cache_env = "TUNE_CACHE_DIR=" + cache.string();
    auto command = [&](std::vector<std::string> args) {
        std::vector<std::string> full{TUNE_BENCH_TUNE_EXE};
        full.insert(full.end(), global.begin(), global.end());
        full.insert(full.end(), args.begin(), args.end());
        return full;
    };
    const std::vector<std::pair<std::string, std::vector<std::string>>> commands{
        {"plugins", command({"plugins"})},
        {"validate", command({"validate", TUNE_BENCH_SOURCE_DIR "/samples/cifar10_asha.toml", "--set",
                              "trainable.config.data_dir=\"" + data_dir + "\""})},
    };
    auto nothing = [] {};
    auto cold = [&] { fs::remove_all(cache); };

    std::printf("tune_plugin_scan_bench: median of %d runs each, wall ms per command (a fresh process)\n", runs);
    std::printf("%-9s %14s %12s %12s %14s %14s\n", "command", "in-process ms", "cold ms", "warm ms",
                "cold/in-proc", "warm/in-proc");
    for (const auto &[name, argv_of] : commands) {
        const Timing before = measure(argv_of, {cache_env, "TUNE_PLUGIN_SCAN=in-process"}, runs, nothing);
        const Timing cold_cache = measure(argv_of, {cache_env}, runs, cold);
        const Timing warm_cache = measure(argv_of, {cache_env}, runs, nothing); // the last cold run filled it
        std::printf("%-9s %14.1f %12.1f %12.1f %14.3f %14.3f\n", name.c_str(), before.median_ms, cold_cache.median_ms,
                    warm_cache.median_ms, cold_cache.median_ms / before.median_ms,
                    warm_cache.median_ms / before.median_ms);
        if (before.exit_code != 0 || cold_cache.exit_code != 0 || warm_cache.exit_code != 0)
            std::printf("  note: exit statuses %d (in-process), %d (cold), %d (warm); run it by hand to see why "
                        "(validate needs org.tune.cifar10: --plugin-path)\n",
                        before.exit_code, cold_cache.exit_code, warm_cache.exit_code);
    }
    fs::remove_all(cache);
    return 0;
}
