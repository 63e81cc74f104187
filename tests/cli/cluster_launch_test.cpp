// The launch of a tune built without MPI (this test compiles core/cli/cluster_launch.cpp
// without TUNE_WITH_MPI, whatever the build's setting): alone it runs; as one of several ranks
// it refuses, rather than run the whole experiment once per rank into one folder.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <iostream>
#include <sstream>

#include "core/cli/cluster_launch.hpp"
#include "core/cli/exit_codes.hpp"

using Catch::Matchers::Contains;

namespace {

// Captures std::cerr while alive.
class CaptureErrors {
public:
    CaptureErrors() : previous_(std::cerr.rdbuf(text_.rdbuf())) {}
    ~CaptureErrors() { std::cerr.rdbuf(previous_); }
    std::string text() const { return text_.str(); }

private:
    std::ostringstream text_;
    std::streambuf *previous_;
};

} // namespace

TEST_CASE("launch without MPI: a single process runs on this machine", "[mpi][cli]") {
    ::unsetenv("OMPI_COMM_WORLD_SIZE");
    bool ran = false;
    const int status = tune::cli::with_cluster({}, [&](tune::core::ExecutionBackend *backend) {
        ran = true;
        CHECK(backend == nullptr);
        return 7;
    });
    CHECK(ran);
    CHECK(status == 7);
}

TEST_CASE("launch without MPI: one of several ranks says so and exits 2, running nothing", "[mpi][cli]") {
    ::setenv("OMPI_COMM_WORLD_SIZE", "3", 1);
    bool ran = false;
    CaptureErrors errors;
    const int status = tune::cli::with_cluster({}, [&](tune::core::ExecutionBackend *) {
        ran = true;
        return 0;
    });
    ::unsetenv("OMPI_COMM_WORLD_SIZE");
    CHECK_FALSE(ran);
    CHECK(status == tune::cli::kExitUsage);
    CHECK_THAT(errors.text(), Contains("built without MPI support (TUNE_WITH_MPI=OFF)") &&
                                  Contains("one of 3 processes") && Contains("-DTUNE_WITH_MPI=ON"));
}
