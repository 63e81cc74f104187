// Reads a library's descriptors in a child process (`tune-worker --describe LIBRARY`), so
// that the host never maps a trainable's code (LibTorch) and a library that crashes or hangs
// while loading takes only the child down.
#pragma once

#include <filesystem>
#include <string>

#include "core/plugin/library_describer.hpp"

namespace tune::core {

class WorkerDescriber final : public LibraryDescriber {
public:
    // worker: the tune-worker executable; timeout_s: how long one library may take to load.
    WorkerDescriber(std::filesystem::path worker, double timeout_s);

    // A child that crashes, runs past the timeout, exits with an error or prints anything
    // but one description of this file becomes the description's error, naming the file:
    // "LIB: crashed with SIGSEGV while loading (its last output: ...)".
    LibraryDescription describe(const std::filesystem::path &file) override;

    // How many children describe() started (tests: a cache hit starts none).
    int children_started() const { return children_started_; }

private:
    std::filesystem::path worker_;
    double timeout_s_;
    int children_started_ = 0;
};

// The default time one library may take to be described: LibTorch alone takes about a second
// on a cold page cache.
inline constexpr double kDescribeTimeoutS = 30.0;

// What tune-worker runs for `--describe FILE`: prints the description of file as one JSON
// document on stdout; whatever the library itself prints while loading goes to stderr.
// Returns the exit status: 0 when the description was written (also a description of an
// error), 1 when it could not be written.
int run_describe_mode(const std::filesystem::path &file);

} // namespace tune::core
