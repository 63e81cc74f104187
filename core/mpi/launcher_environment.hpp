// Whether an MPI launcher (mpirun, mpiexec, srun) started this process as one of several,
// read from the environment it sets, so that a tune built without MPI can still tell.
#pragma once

#include <functional>

namespace tune::core::mpi {

using EnvironmentReader = std::function<const char *(const char *name)>;

// How many processes the launcher started in all: OMPI_COMM_WORLD_SIZE (Open MPI), PMI_SIZE
// (MPICH, Slurm's PMI2), SLURM_STEP_NUM_TASKS (srun). 1 when none is set.
int launched_world_size(const EnvironmentReader &getenv);
int launched_world_size(); // from this process's environment

} // namespace tune::core::mpi
