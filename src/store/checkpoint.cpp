// load_checkpoint: the public face of the reader.
#include "hpo/store/checkpoint.hpp"

#include "checkpoint_reader.hpp"

namespace hpo {

Checkpoint load_checkpoint(const std::filesystem::path& path) {
    store::QuietHdf5Errors quiet;
    try {
        return store::load_consistent(path, true).checkpoint;
    } catch (const store::StoreFailure& e) {
        throw CheckpointError(store::checkpoint_prefix(path) + e.what());
    }
}

}  // namespace hpo
