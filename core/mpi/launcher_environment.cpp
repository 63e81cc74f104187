#include "core/mpi/launcher_environment.hpp"

#include <cstdlib>
#include <string>

namespace tune::core::mpi {

int launched_world_size(const EnvironmentReader &getenv) {
    for (const char *name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "SLURM_STEP_NUM_TASKS"}) {
        const char *value = getenv(name);
        if (!value || !*value) continue;
        try {
            const int size = std::stoi(value);
            if (size > 1) return size;
        } catch (const std::exception &) { // not a number: not a launcher's
        }
    }
    return 1;
}

int launched_world_size() {
    return launched_world_size([](const char *name) { return std::getenv(name); });
}

} // namespace tune::core::mpi
