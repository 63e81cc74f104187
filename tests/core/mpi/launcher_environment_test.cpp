#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "core/mpi/launcher_environment.hpp"

using tune::core::mpi::launched_world_size;

namespace {

int size_with(const std::map<std::string, std::string> &environment) {
    return launched_world_size([&](const char *name) -> const char * {
        const auto found = environment.find(name);
        return found == environment.end() ? nullptr : found->second.c_str();
    });
}

} // namespace

TEST_CASE("launcher: the number of ranks comes from Open MPI, PMI or srun, else it is 1", "[mpi]") {
    CHECK(size_with({}) == 1);
    CHECK(size_with({{"OMPI_COMM_WORLD_SIZE", "3"}}) == 3);
    CHECK(size_with({{"PMI_SIZE", "4"}}) == 4);
    CHECK(size_with({{"SLURM_STEP_NUM_TASKS", "16"}}) == 16);
    CHECK(size_with({{"OMPI_COMM_WORLD_SIZE", "1"}}) == 1);     // mpirun -np 1: one process
    CHECK(size_with({{"SLURM_STEP_NUM_TASKS", "many"}}) == 1); // not a number: not a launcher's
}
