// An MPI rank dies with the mpirun that started it: Open MPI leaves its ranks running when mpirun
// is killed with SIGKILL, and their kernels with them.
#pragma once

namespace hpo {

// When this process's parent is Open MPI's or MPICH's launcher (mpirun, mpiexec, orterun, orted,
// prted, hydra_pmi_proxy), asks the kernel for SIGKILL when that parent dies (PR_SET_PDEATHSIG),
// and dies at once if it is already gone. The rank's kernels then die with it (the group
// sentinel, exec/group_sentinel.hpp); the checkpoint survives a SIGKILL. Under srun (slurmstepd
// ends its tasks itself) or alone, nothing is done.
void die_with_mpi_launcher();

}  // namespace hpo
