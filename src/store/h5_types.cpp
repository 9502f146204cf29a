// Construction of the checkpoint's non-numeric HDF5 datatypes.
#include "h5_types.hpp"

#include <cstdint>
#include <limits>

#include "hpo/trial.hpp"

namespace hpo::store {
namespace {

template <typename T>
void insert(hid_t type, const std::string& name, T value) {
    if (H5Tenum_insert(type, name.c_str(), &value) < 0) fail_h5("enum member '" + name + "'");
}

}  // namespace

Handle string_type() {
    Handle type = type_handle(H5Tcopy(H5T_C_S1), "string type");
    if (H5Tset_size(type, H5T_VARIABLE) < 0 || H5Tset_cset(type, H5T_CSET_UTF8) < 0)
        fail_h5("string type");
    return type;
}

Handle bool_type() {
    Handle type = type_handle(H5Tenum_create(H5T_NATIVE_INT8), "bool type");
    insert<std::int8_t>(type, "FALSE", 0);
    insert<std::int8_t>(type, "TRUE", 1);
    return type;
}

Handle status_type() {
    Handle type = type_handle(H5Tenum_create(H5T_NATIVE_INT8), "status type");
    for (auto status : {TrialStatus::ok, TrialStatus::failed, TrialStatus::crashed,
                        TrialStatus::timeout, TrialStatus::no_fom, TrialStatus::bad_fom, TrialStatus::pruned})
        insert(type, std::string(to_string(status)), static_cast<std::int8_t>(status));
    return type;
}

Handle choice_type(const std::vector<std::string>& options) {
    const bool narrow = options.size() <= std::numeric_limits<std::uint16_t>::max() + 1u;
    Handle type = type_handle(H5Tenum_create(narrow ? H5T_NATIVE_UINT16 : H5T_NATIVE_UINT32),
                              "choice type");
    for (std::size_t i = 0; i < options.size(); ++i) {
        if (narrow) insert(type, options[i], static_cast<std::uint16_t>(i));
        else insert(type, options[i], static_cast<std::uint32_t>(i));
    }
    return type;
}

}  // namespace hpo::store
