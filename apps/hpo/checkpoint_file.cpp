// Reading a checkpoint for `hpo resume`, `hpo show` and `hpo export`.
#include "checkpoint_file.hpp"

#include "exit_codes.hpp"

namespace hpo::cli {

Checkpoint load_checkpoint_file(const std::string& path) {
    try {
        return load_checkpoint(path);
    } catch (const CheckpointError& error) {
        // The store's messages name the file; make sure of it, the user may have given several.
        const std::string message = error.what();
        throw ConfigError(message.find(path) != std::string::npos ? message
                                                                  : "checkpoint '" + path + "': " + message);
    }
}

}  // namespace hpo::cli
