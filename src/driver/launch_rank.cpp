// Which process of an MPI job this is, from the launcher's environment (before or without MPI_Init).
#include "hpo/driver/launch_rank.hpp"

#include <cstdlib>
#include <string>

#include "hpo/run/run.hpp"

namespace hpo {

int launch_rank() {
    if (!launched_by_mpi()) return 0;
    // Open MPI, PMIx, MPICH/Hydra and Slurm each name it differently.
    for (const char* variable : {"OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK", "SLURM_PROCID"}) {
        if (const char* value = std::getenv(variable); value && *value) {
            try {
                return std::stoi(value);
            } catch (const std::exception&) {
                continue;
            }
        }
    }
    return 0;
}

bool is_coordinator() { return launch_rank() == 0; }

}  // namespace hpo
