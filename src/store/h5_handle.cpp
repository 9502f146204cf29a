// HDF5 error stack to text, silencing HDF5's automatic error printing, and groups.
#include "h5_handle.hpp"

#include <vector>

namespace hpo::store {
namespace {

// HDF5 reports a failed write() as "file write failed: time = ..., filename = ..., errno = 28,
// error message = 'No space left on device', ..., bytes actually written = 18446744073709551615":
// the system's reason is what a user needs.
std::string plain_reason(const std::string& message) {
    const std::string marker = "error message = '";
    const auto at = message.find(marker);
    if (at == std::string::npos) return message;
    const auto start = at + marker.size();
    const auto end = message.find('\'', start);
    const std::string what = message.substr(0, message.find(':'));
    return what + ": " + message.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// HDF5 closes whatever is still open when the process exits. A file whose writes failed (a full
// disk) cannot be flushed, and closing it then crashes or loops ("infinite loop closing library");
// such a file is left as a crash would leave it, which the format is made for (its last commit
// stands). Turned off before any other HDF5 call: this runs while the program is loaded.
const bool no_hdf5_atexit = [] {
    H5dont_atexit();
    return true;
}();

herr_t collect(unsigned n, const H5E_error2_t* error, void* data) {
    auto& messages = *static_cast<std::vector<std::string>*>(data);
    (void)n;
    if (error->desc && *error->desc) messages.emplace_back(error->desc);
    return 0;
}

}  // namespace

std::string hdf5_error_text() {
    std::vector<std::string> messages;
    // Upward: the most specific error (the cause) comes first, the API call last.
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, collect, &messages);
    H5Eclear2(H5E_DEFAULT);
    // A chunk whose checksum fails leaves no message on the stack in HDF5 1.10.
    if (messages.empty()) return "HDF5 gave no reason (damaged: a checksum that does not match, or truncated?)";
    return plain_reason(messages.front());
}

void fail_h5(const std::string& what) { throw StoreFailure(what + ": " + hdf5_error_text()); }

QuietHdf5Errors::QuietHdf5Errors() {
    H5Eget_auto2(H5E_DEFAULT, &saved_func_, &saved_data_);
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

QuietHdf5Errors::~QuietHdf5Errors() { H5Eset_auto2(H5E_DEFAULT, saved_func_, saved_data_); }

std::string object_name(hid_t id) {
    const ssize_t size = H5Iget_name(id, nullptr, 0);
    if (size <= 0) return "?";
    std::string name(static_cast<std::size_t>(size) + 1, '\0');
    H5Iget_name(id, name.data(), name.size());
    name.resize(static_cast<std::size_t>(size));
    return name;
}

std::string child_name(hid_t parent, const std::string& name) {
    std::string full = object_name(parent);
    if (full != "/") full += "/";  // the root needs no separator
    return full + name;
}

bool has_link(hid_t group, const std::string& name) {
    return H5Lexists(group, name.c_str(), H5P_DEFAULT) > 0;
}

Handle create_group(hid_t parent, const std::string& name) {
    return group_handle(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                        "creating group " + child_name(parent, name));
}

Handle open_group(hid_t parent, const std::string& name) {
    const std::string full = child_name(parent, name);
    if (!has_link(parent, name)) throw StoreFailure("missing group " + full);
    return group_handle(H5Gopen2(parent, name.c_str(), H5P_DEFAULT), "opening group " + full);
}

}  // namespace hpo::store
