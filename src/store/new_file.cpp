// A whole checkpoint written in one go into a file nobody reads yet.
#include "new_file.hpp"

#include "checkpoint_schema.hpp"
#include "commit_writer.hpp"
#include "config_digest.hpp"
#include "config_io.hpp"
#include "h5_attributes.hpp"
#include "hpo/store/checkpoint.hpp"

namespace hpo::store {

void write_new_file(const std::filesystem::path& path, const RunOptions& options,
                    const std::vector<Trial>& trials, const std::vector<IntermediateValue>& intermediate,
                    const std::string& strategy_state, bool finished) {
    Handle fapl = file_access_plist();
    Handle file = file_handle(H5Fcreate(path.c_str(), H5F_ACC_EXCL, H5P_DEFAULT, fapl),
                              "creating " + path.string());
    write_string_attr(file, names::format, std::string(checkpoint_format_name));
    write_int_attr(file, names::format_version, checkpoint_format_version);
    write_config(file, options);
    write_config_digest(file);
    create_layout(file, options.space);
    if (!trials.empty() || !intermediate.empty() || !strategy_state.empty() || finished) {
        CommitWriter writer(file, options.space, std::nullopt);
        writer.stage(trials);
        writer.stage_intermediate(intermediate);
        if (!strategy_state.empty()) writer.stage_state(strategy_state);
        writer.stage_finished(finished);
        writer.commit(false);  // the caller syncs the closed file before publishing it
    }
    file.close("closing " + path.string());
}

}  // namespace hpo::store
