// Trainer benchmark: images/s of the CIFAR-10 trainable's training loop (train_epoch, the
// code trials run) against the tutorial's Python loop (tutorial_loop.py, Debian's
// python3-torch: the same LibTorch), on the same CIFAR-10-format files, one thread each, run
// alternately so both see the same machine, in images per second of wall time and of the
// loop's own CPU time. --compare-torch-sgd also times the loop with torch::optim::SGD in place
// of the trainable's FusedSgd. Then 2 trials at once against 1, and the resident memory of
// each (the memory-mapped data set is shared between processes).
//
//   build/bin/tune-data fashion-mnist --out data/fashion-mnist-cifar
//   build/bin/tune_cifar10_bench --data data/fashion-mnist-cifar --repeats 5 --compare-torch-sgd
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <dlfcn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <map>
#include <memory>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include "cifar10_net.hpp"
#include "cifar10_training.hpp"
#include "cifar_dataset.hpp"
#include "fused_sgd.hpp"
#include "split_mix64.hpp"

namespace {

using tune::cifar::CifarDataset;
using Clock = std::chrono::steady_clock;

struct Options {
    std::string data_dir;
    std::string python = "/usr/bin/python3";
    std::string script;
    std::size_t images = 8000;
    int repeats = 3;
    std::vector<std::int64_t> batch_sizes{2, 4, 8, 16};
    std::int64_t concurrent_batch_size = 8;
    bool cpp_only = false; // for profiling: no Python baseline, no concurrency run
    bool compare_torch_sgd = false; // also time the loop with torch::optim::SGD, alternately
};

// The malloc this process runs on: jemalloc where the build links it as it does the worker's.
std::string allocator_name() {
    using Mallctl = int (*)(const char *, void *, std::size_t *, void *, std::size_t);
    const auto mallctl = reinterpret_cast<Mallctl>(::dlsym(RTLD_DEFAULT, "mallctl"));
    const char *version = nullptr;
    std::size_t size = sizeof version;
    if (!mallctl || mallctl("version", &version, &size, nullptr, 0) != 0) return "the system's malloc";
    const std::string full(version); // "5.3.0-0-g<commit>"
    return "jemalloc " + full.substr(0, full.find('-'));
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    const auto n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
}

// Images per second of wall time, and per second of the loop's own CPU time: where a shared
// machine accounts the time its host takes away as stolen, CPU time leaves it out. (On the
// project's 2-core VM the two agree: its interference is not accounted that way.)
struct Rate {
    double wall = 0.0, cpu = 0.0;
};

double thread_cpu_s() {
    timespec now{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

// The rate of train_epoch over the first `images` training records, shuffled, one thread.
Rate cpp_rate(const CifarDataset &dataset, std::size_t images, std::int64_t batch_size, bool fused_sgd = true) {
    torch::set_num_threads(1);
    torch::manual_seed(0);
    tune::cifar::Net net(120, 84);
    const auto sgd = torch::optim::SGDOptions(0.001).momentum(0.9);
    std::unique_ptr<torch::optim::Optimizer> optimizer_owner;
    if (fused_sgd) optimizer_owner = std::make_unique<tune::cifar::FusedSgd>(net->parameters(), sgd);
    else optimizer_owner = std::make_unique<torch::optim::SGD>(net->parameters(), sgd);
    torch::optim::Optimizer &optimizer = *optimizer_owner;
    std::vector<std::size_t> order(std::min(images, dataset.size()));
    std::iota(order.begin(), order.end(), std::size_t{0});
    tune::cifar::SplitMix64 rng(1);
    for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);

    const std::vector<std::size_t> warm_up(order.begin(), order.begin() + std::min<std::size_t>(order.size(), 8 * batch_size));
    tune::cifar::train_epoch(net, optimizer, dataset, warm_up, batch_size, torch::kCPU);
    const auto start = Clock::now();
    const double start_cpu = thread_cpu_s();
    tune::cifar::train_epoch(net, optimizer, dataset, order, batch_size, torch::kCPU);
    const double cpu_seconds = thread_cpu_s() - start_cpu;
    const std::chrono::duration<double> seconds = Clock::now() - start;
    const auto n = static_cast<double>(order.size());
    return {n / seconds.count(), n / cpu_seconds};
}

Rate python_rate(const Options &options, std::int64_t batch_size) {
    const std::string command = fmt::format("env -u LD_PRELOAD OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 '{}' '{}' --data '{}' --batch-size {} --images {}",
                                            options.python, options.script, options.data_dir, batch_size, options.images);
    FILE *pipe = popen(command.c_str(), "r");
    if (!pipe) throw std::runtime_error("cannot start " + command);
    std::string output;
    std::array<char, 512> buffer{};
    while (std::fgets(buffer.data(), buffer.size(), pipe)) output += buffer.data();
    const int status = pclose(pipe);
    if (status != 0)
        throw std::runtime_error("the Python baseline failed (" + command + "); does " + options.python +
                                 " have torch (Debian's python3-torch)?\n" + output);
    const auto report = nlohmann::json::parse(output.substr(output.rfind('{')));
    return {report.at("images_per_s").get<double>(), report.at("images_per_cpu_s").get<double>()};
}

// Fields of /proc/self/smaps_rollup in MiB: what a process holds resident, and its
// proportional share (Pss divides pages shared with other processes among them).
std::map<std::string, double> memory_mib() {
    std::map<std::string, double> fields;
    std::ifstream rollup("/proc/self/smaps_rollup");
    std::string line;
    std::getline(rollup, line); // the address range
    while (std::getline(rollup, line)) {
        const auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        fields[line.substr(0, colon)] = std::stod(line.substr(colon + 1)) / 1024.0;
    }
    return fields;
}

// One trial-like child: trains, then reports images/s and memory on pipe_fd as one JSON line.
// Every child waits on start_fd so that all start together, and after training on measure_fd,
// so that all measure their memory while all are alive (Pss shares pages among them).
[[noreturn]] void run_child(const Options &options, int start_fd, int trained_fd, int measure_fd, int pipe_fd) {
    char go = 0;
    if (read(start_fd, &go, 1) != 1) _exit(2);
    const auto dataset = CifarDataset::open_train(options.data_dir);
    // Read every record once, as each epoch of a real trial does, so that the whole data set
    // is resident (and shared) before memory is measured.
    unsigned checksum = 0;
    for (std::size_t i = 0; i < dataset.size(); ++i) checksum += dataset.record(i).pixels[i % 3072];
    if (checksum == 1) std::fputc(' ', stderr); // keeps the reads
    const double rate = cpp_rate(dataset, options.images, options.concurrent_batch_size).wall;
    if (write(trained_fd, "t", 1) != 1 || read(measure_fd, &go, 1) != 1) _exit(2);
    const auto memory = memory_mib();
    const std::string line = nlohmann::json{{"images_per_s", rate},
                                            {"rss_mib", memory.at("Rss")},
                                            {"pss_mib", memory.at("Pss")},
                                            {"rss_file_mib", memory.count("Pss_File") ? memory.at("Rss") - memory.at("Anonymous") : 0.0},
                                            {"pss_file_mib", memory.count("Pss_File") ? memory.at("Pss_File") : 0.0},
                                            {"anonymous_mib", memory.at("Anonymous")}}
                                 .dump() +
                             "\n";
    if (write(pipe_fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) _exit(3);
    _exit(0);
}

// Runs `count` children at once (forked before this process touches LibTorch's thread
// pools) and returns their reports.
std::vector<nlohmann::json> run_concurrently(const Options &options, int count) {
    int start_pipe[2], trained_pipe[2], measure_pipe[2], report_pipe[2];
    if (pipe(start_pipe) != 0 || pipe(trained_pipe) != 0 || pipe(measure_pipe) != 0 || pipe(report_pipe) != 0)
        throw std::runtime_error("pipe failed");
    std::vector<pid_t> children;
    for (int i = 0; i < count; ++i) {
        const pid_t pid = fork();
        if (pid < 0) throw std::runtime_error("fork failed");
        if (pid == 0) {
            close(start_pipe[1]);
            close(trained_pipe[0]);
            close(measure_pipe[1]);
            close(report_pipe[0]);
            run_child(options, start_pipe[0], trained_pipe[1], measure_pipe[0], report_pipe[1]);
        }
        children.push_back(pid);
    }
    close(start_pipe[0]);
    close(report_pipe[1]);
    const std::string go(static_cast<std::size_t>(count), 'g');
    if (write(start_pipe[1], go.data(), go.size()) != static_cast<ssize_t>(go.size())) throw std::runtime_error("write failed");
    close(start_pipe[1]);
    close(trained_pipe[1]);
    close(measure_pipe[0]);
    for (int trained = 0; trained < count;) { // every child has trained: let all measure
        char byte = 0;
        if (read(trained_pipe[0], &byte, 1) != 1) throw std::runtime_error("a benchmark child died");
        ++trained;
    }
    if (write(measure_pipe[1], go.data(), go.size()) != static_cast<ssize_t>(go.size())) throw std::runtime_error("write failed");
    close(trained_pipe[0]);
    close(measure_pipe[1]);
    std::string text;
    std::array<char, 512> buffer{};
    for (ssize_t n; (n = read(report_pipe[0], buffer.data(), buffer.size())) > 0;) text.append(buffer.data(), static_cast<std::size_t>(n));
    close(report_pipe[0]);
    for (pid_t pid : children) {
        int status = 0;
        waitpid(pid, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error("a benchmark child failed");
    }
    std::vector<nlohmann::json> reports;
    for (std::size_t begin = 0, end; (end = text.find('\n', begin)) != std::string::npos; begin = end + 1)
        reports.push_back(nlohmann::json::parse(text.substr(begin, end - begin)));
    return reports;
}

} // namespace

int main(int argc, char **argv) {
    // OpenBLAS and OpenMP size their thread pools when the libraries load, before main: pin
    // them to one thread (as the host does for each worker) by starting again with the
    // variables set.
    if (!std::getenv("OMP_NUM_THREADS") || !std::getenv("OPENBLAS_NUM_THREADS")) {
        ::setenv("OMP_NUM_THREADS", "1", 1);
        ::setenv("OPENBLAS_NUM_THREADS", "1", 1);
        ::execv("/proc/self/exe", argv);
        std::perror("tune_cifar10_bench: cannot restart itself");
        return 1;
    }
    Options options;
    options.script = TUNE_BENCH_TUTORIAL_LOOP;
    CLI::App app{"CIFAR-10 trainer benchmark: C++ train_epoch against the tutorial's Python loop"};
    app.add_option("--data", options.data_dir, "CIFAR-10 binary folder (tune-data fashion-mnist --out ...)")->required();
    app.add_option("--images", options.images, "training images per measurement")->check(CLI::Range(64, 50000));
    app.add_option("--repeats", options.repeats, "measurements per figure; medians are printed")->check(CLI::Range(1, 50));
    app.add_option("--batch-sizes", options.batch_sizes, "batch sizes to compare")->delimiter(',');
    app.add_option("--concurrent-batch-size", options.concurrent_batch_size, "batch size of the concurrency run");
    app.add_option("--python", options.python, "a python3 with torch (Debian's python3-torch)");
    app.add_option("--script", options.script, "the Python baseline");
    app.add_flag("--cpp-only", options.cpp_only, "time the C++ loop only (for a profiler)");
    app.add_flag("--compare-torch-sgd", options.compare_torch_sgd,
                 "also time the C++ loop with torch::optim::SGD in place of the trainable's FusedSgd");
    CLI11_PARSE(app, argc, argv);

    try {
        // Concurrency first: fork before this process starts LibTorch's thread pools.
        std::vector<double> one, two;
        std::vector<nlohmann::json> two_reports;
        for (int r = 0; r < options.repeats && !options.cpp_only; ++r) {
            one.push_back(run_concurrently(options, 1).at(0).at("images_per_s").get<double>());
            two_reports = run_concurrently(options, 2);
            two.push_back(two_reports.at(0).at("images_per_s").get<double>() + two_reports.at(1).at("images_per_s").get<double>());
        }

        const auto dataset = CifarDataset::open_train(options.data_dir);
        fmt::print("CIFAR-10 trainer, {} images per measurement, 1 thread, median of {} (data: {}; C++ on {})\n",
                   options.images, options.repeats, options.data_dir, allocator_name());
        // Each repeat runs C++, (C++ with torch::optim::SGD,) then Python, so all see the same noise.
        struct Row {
            std::vector<Rate> cpp, cpp_torch_sgd, python;
        };
        std::vector<Row> rows(options.batch_sizes.size());
        for (std::size_t b = 0; b < rows.size(); ++b)
            for (int r = 0; r < options.repeats; ++r) {
                const auto batch_size = options.batch_sizes[b];
                rows[b].cpp.push_back(cpp_rate(dataset, options.images, batch_size));
                if (options.compare_torch_sgd)
                    rows[b].cpp_torch_sgd.push_back(cpp_rate(dataset, options.images, batch_size, /*fused_sgd=*/false));
                rows[b].python.push_back(options.cpp_only ? rows[b].cpp.back() : python_rate(options, batch_size));
            }
        const auto median_of = [](const std::vector<Rate> &rates, double Rate::*field) {
            std::vector<double> values;
            for (const Rate &rate : rates) values.push_back(rate.*field);
            return median(values);
        };
        for (const auto &[field, title] : {std::pair{&Rate::wall, "per second of wall time"},
                                           std::pair{&Rate::cpu, "per second of the loop's CPU time"}}) {
            fmt::print("\nImages {}:\n{:>6} {:>14} {:>14} {:>8}", title, "batch", "C++", "Python", "C++/Py");
            if (options.compare_torch_sgd) fmt::print(" {:>16} {:>12}", "C++ torch::SGD", "fused/torch");
            fmt::print("\n");
            for (std::size_t b = 0; b < rows.size(); ++b) {
                const double cpp = median_of(rows[b].cpp, field), python = median_of(rows[b].python, field);
                fmt::print("{:>6} {:>14.0f} {:>14.0f} {:>8.2f}", options.batch_sizes[b], cpp, python, cpp / python);
                if (options.compare_torch_sgd) {
                    const double torch_sgd = median_of(rows[b].cpp_torch_sgd, field);
                    fmt::print(" {:>16.0f} {:>12.2f}", torch_sgd, cpp / torch_sgd);
                }
                fmt::print("\n");
            }
        }

        if (options.cpp_only) return 0;
        fmt::print("\nConcurrent trials (batch {}, 1 thread each, medians of {}):\n", options.concurrent_batch_size,
                   options.repeats);
        fmt::print("  1 trial : {:>8.0f} images/s\n", median(one));
        fmt::print("  2 trials: {:>8.0f} images/s together, {:.2f}x one trial\n", median(two), median(two) / median(one));
        for (std::size_t i = 0; i < two_reports.size(); ++i) {
            const auto &m = two_reports[i];
            fmt::print("  trial {}: RSS {:.0f} MiB (file-backed {:.0f}, anonymous {:.0f}); PSS {:.0f} MiB, of which "
                       "file-backed {:.0f}\n",
                       i + 1, m.at("rss_mib").get<double>(), m.at("rss_file_mib").get<double>(),
                       m.at("anonymous_mib").get<double>(), m.at("pss_mib").get<double>(),
                       m.at("pss_file_mib").get<double>());
        }
    } catch (const std::exception &e) {
        fmt::print(stderr, "tune_cifar10_bench: {}\n", e.what());
        return 1;
    }
    return 0;
}
