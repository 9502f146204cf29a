// Ownership of HDF5 identifiers, and HDF5 failures turned into exceptions with HDF5's own reason.
#pragma once

#include <hdf5.h>

#include <stdexcept>
#include <string>
#include <utility>

namespace hpo::store {

// A problem with the file, without the file's name: the public entry points prefix it and throw
// CheckpointError.
class StoreFailure : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The most specific message on HDF5's error stack (e.g. "truncated file: eof = ..."), then clears it.
std::string hdf5_error_text();

// Throws StoreFailure("<what>: <HDF5's reason>").
[[noreturn]] void fail_h5(const std::string& what);

// Checks an HDF5 return value (negative means failure).
inline hid_t check(hid_t id, const std::string& what) {
    if (id < 0) fail_h5(what);
    return id;
}

// HDF5 prints its error stack to stderr by default; the store reports errors by exception instead,
// so automatic printing is off while a store operation runs, and restored after.
class QuietHdf5Errors {
public:
    QuietHdf5Errors();
    ~QuietHdf5Errors();
    QuietHdf5Errors(const QuietHdf5Errors&) = delete;
    QuietHdf5Errors& operator=(const QuietHdf5Errors&) = delete;

private:
    H5E_auto2_t saved_func_ = nullptr;
    void* saved_data_ = nullptr;
};

// An owned identifier, closed with the function that matches its kind.
class Handle {
public:
    using Closer = herr_t (*)(hid_t);

    Handle() = default;
    Handle(hid_t id, Closer closer) : id_(id), closer_(closer) {}
    Handle(Handle&& other) noexcept
        : id_(std::exchange(other.id_, H5I_INVALID_HID)), closer_(other.closer_) {}
    Handle& operator=(Handle&& other) noexcept {
        if (this != &other) {
            reset();
            id_ = std::exchange(other.id_, H5I_INVALID_HID);
            closer_ = other.closer_;
        }
        return *this;
    }
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    ~Handle() { reset(); }

    hid_t get() const { return id_; }
    operator hid_t() const { return id_; }
    bool valid() const { return id_ >= 0; }

    void reset() {
        if (id_ >= 0 && closer_) closer_(id_);
        id_ = H5I_INVALID_HID;
    }
    // Gives the identifier up without closing it.
    hid_t release() { return std::exchange(id_, H5I_INVALID_HID); }
    // Closing that reports failure (a file close flushes, and that can fail).
    void close(const std::string& what) {
        const hid_t id = std::exchange(id_, H5I_INVALID_HID);
        if (id >= 0 && closer_ && closer_(id) < 0) fail_h5(what);
    }

private:
    hid_t id_ = H5I_INVALID_HID;
    Closer closer_ = nullptr;
};

inline Handle file_handle(hid_t id, const std::string& what) { return {check(id, what), H5Fclose}; }
inline Handle group_handle(hid_t id, const std::string& what) { return {check(id, what), H5Gclose}; }
inline Handle dataset_handle(hid_t id, const std::string& what) { return {check(id, what), H5Dclose}; }
inline Handle attribute_handle(hid_t id, const std::string& what) { return {check(id, what), H5Aclose}; }
inline Handle space_handle(hid_t id, const std::string& what) { return {check(id, what), H5Sclose}; }
inline Handle type_handle(hid_t id, const std::string& what) { return {check(id, what), H5Tclose}; }
inline Handle plist_handle(hid_t id, const std::string& what) { return {check(id, what), H5Pclose}; }

// The HDF5 path of an object, for messages ("/trials/fom").
std::string object_name(hid_t id);
// The path of `name` inside `parent`, for messages ("/config" + "kernel" -> "/config/kernel").
std::string child_name(hid_t parent, const std::string& name);

// Groups: every part of the store creates and opens them through these, so that the property
// lists and the messages are the same everywhere.
bool has_link(hid_t group, const std::string& name);
Handle create_group(hid_t parent, const std::string& name);  // StoreFailure "creating group /x/y"
Handle open_group(hid_t parent, const std::string& name);    // StoreFailure "missing group /x/y"

}  // namespace hpo::store
