// Typed attribute reads and writes, with errors that name the object and the attribute.
#include "h5_attributes.hpp"

#include <algorithm>
#include <limits>

#include "h5_types.hpp"

namespace hpo::store {
namespace {

std::string where(hid_t object, const std::string& name) {
    return "attribute '" + name + "' of " + object_name(object);
}

void write_attr(hid_t object, const std::string& name, hid_t file_type, hid_t space,
                hid_t mem_type, const void* data) {
    // Attributes are only ever written to a file that no reader trusts yet (a new file, or the
    // fresh copy of a rewrite), so replacing one is safe.
    if (H5Aexists(object, name.c_str()) > 0 && H5Adelete(object, name.c_str()) < 0)
        fail_h5("replacing " + where(object, name));
    Handle attr = attribute_handle(
        H5Acreate2(object, name.c_str(), file_type, space, H5P_DEFAULT, H5P_DEFAULT),
        "creating " + where(object, name));
    if (data && H5Awrite(attr, mem_type, data) < 0) fail_h5("writing " + where(object, name));
}

template <typename T>
void write_scalar(hid_t object, const std::string& name, hid_t file_type, hid_t mem_type, T value) {
    Handle space = space_handle(H5Screate(H5S_SCALAR), "scalar dataspace");
    write_attr(object, name, file_type, space, mem_type, &value);
}

// Fixed-length UTF-8 strings, each padded with NULs to the longest: stored in the attribute itself,
// inside the object header (or its dense storage) and so under its checksum. Variable-length
// strings would live in HDF5's global heap, which has no checksum, and whose damage can even
// make HDF5 loop forever instead of failing.
void write_strings(hid_t object, const std::string& name, const std::vector<std::string>& values, bool scalar) {
    std::size_t size = 1;  // HDF5 has no zero-sized string type
    for (const auto& v : values) size = std::max(size, v.size());
    Handle type = type_handle(H5Tcopy(H5T_C_S1), "string type");
    if (H5Tset_size(type, size) < 0 || H5Tset_cset(type, H5T_CSET_UTF8) < 0 || H5Tset_strpad(type, H5T_STR_NULLPAD) < 0)
        fail_h5("string type of " + where(object, name));
    std::string buffer(values.size() * size, '\0');
    for (std::size_t i = 0; i < values.size(); ++i) buffer.replace(i * size, values[i].size(), values[i]);
    const hsize_t dims[1] = {values.size()};
    // An empty list is a null dataspace (h5py: h5py.Empty), since HDF5 refuses zero-sized attributes.
    Handle space = scalar ? space_handle(H5Screate(H5S_SCALAR), "scalar dataspace")
                   : values.empty() ? space_handle(H5Screate(H5S_NULL), "null dataspace")
                                    : space_handle(H5Screate_simple(1, dims, nullptr), "dataspace");
    write_attr(object, name, type, space, type, values.empty() ? nullptr : buffer.data());
}

Handle open_attr(hid_t object, const std::string& name) {
    const htri_t exists = H5Aexists(object, name.c_str());
    if (exists < 0) fail_h5("looking up " + where(object, name));
    if (exists == 0) throw StoreFailure("missing " + where(object, name));
    return attribute_handle(H5Aopen(object, name.c_str(), H5P_DEFAULT), "opening " + where(object, name));
}

H5T_class_t class_of(hid_t attr) {
    Handle type = type_handle(H5Aget_type(attr), "attribute type");
    return H5Tget_class(type);
}

[[noreturn]] void wrong_type(hid_t object, const std::string& name, const char* expected) {
    throw StoreFailure(where(object, name) + " is not " + expected);
}

// Reads every string of a string attribute, variable- or fixed-length, scalar or 1-D.
std::vector<std::string> read_all_strings(hid_t object, const std::string& name) {
    Handle attr = open_attr(object, name);
    Handle file_type = type_handle(H5Aget_type(attr), "attribute type");
    if (H5Tget_class(file_type) != H5T_STRING) wrong_type(object, name, "a string");
    Handle space = space_handle(H5Aget_space(attr), "attribute dataspace");
    if (H5Sget_simple_extent_type(space) == H5S_NULL) return {};
    const hssize_t count = H5Sget_simple_extent_npoints(space);
    if (count < 0) fail_h5("reading " + where(object, name));
    const auto n = static_cast<std::size_t>(count);
    std::vector<std::string> out;
    out.reserve(n);
    if (H5Tis_variable_str(file_type) > 0) {
        Handle mem_type = string_type();
        std::vector<char*> pointers(n, nullptr);
        if (H5Aread(attr, mem_type, pointers.data()) < 0) fail_h5("reading " + where(object, name));
        for (char* p : pointers) out.emplace_back(p ? p : "");
        H5Dvlen_reclaim(mem_type, space, H5P_DEFAULT, pointers.data());
    } else {
        const std::size_t size = H5Tget_size(file_type);
        std::string buffer(n * size, '\0');
        // Read as stored (any padding, any character set): the bytes up to the first NUL.
        if (H5Aread(attr, file_type, buffer.data()) < 0) fail_h5("reading " + where(object, name));
        for (std::size_t i = 0; i < n; ++i) {
            std::string s = buffer.substr(i * size, size);
            s.resize(s.find('\0') == std::string::npos ? s.size() : s.find('\0'));
            out.push_back(std::move(s));
        }
    }
    return out;
}

template <typename T>
T read_number(hid_t object, const std::string& name, hid_t mem_type, bool allow_float, const char* expected) {
    Handle attr = open_attr(object, name);
    const H5T_class_t cls = class_of(attr);
    if (cls != H5T_INTEGER && !(allow_float && cls == H5T_FLOAT)) wrong_type(object, name, expected);
    Handle space = space_handle(H5Aget_space(attr), "attribute dataspace");
    if (H5Sget_simple_extent_npoints(space) != 1) wrong_type(object, name, expected);
    T value{};
    if (H5Aread(attr, mem_type, &value) < 0) fail_h5("reading " + where(object, name));
    return value;
}

}  // namespace

void write_string_attr(hid_t object, const std::string& name, const std::string& value) {
    write_strings(object, name, {value}, true);
}

void write_strings_attr(hid_t object, const std::string& name, const std::vector<std::string>& values) {
    write_strings(object, name, values, false);
}

void write_int_attr(hid_t object, const std::string& name, std::int64_t value) {
    write_scalar(object, name, H5T_STD_I64LE, H5T_NATIVE_INT64, value);
}

void write_uint_attr(hid_t object, const std::string& name, std::uint64_t value) {
    write_scalar(object, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, value);
}

void write_double_attr(hid_t object, const std::string& name, double value) {
    write_scalar(object, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, value);
}

void write_bool_attr(hid_t object, const std::string& name, bool value) {
    Handle type = bool_type();
    write_scalar(object, name, type, type, static_cast<std::int8_t>(value ? 1 : 0));
}

bool has_attr(hid_t object, const std::string& name) { return H5Aexists(object, name.c_str()) > 0; }

std::string read_string_attr(hid_t object, const std::string& name) {
    auto values = read_all_strings(object, name);
    if (values.size() != 1) wrong_type(object, name, "a single string");
    return values.front();
}

std::vector<std::string> read_strings_attr(hid_t object, const std::string& name) {
    return read_all_strings(object, name);
}

std::int64_t read_int_attr(hid_t object, const std::string& name) {
    return read_number<std::int64_t>(object, name, H5T_NATIVE_INT64, false, "an integer");
}

std::uint64_t read_uint_attr(hid_t object, const std::string& name) {
    return read_number<std::uint64_t>(object, name, H5T_NATIVE_UINT64, false, "an unsigned integer");
}

double read_double_attr(hid_t object, const std::string& name) {
    return read_number<double>(object, name, H5T_NATIVE_DOUBLE, true, "a number");
}

bool read_bool_attr(hid_t object, const std::string& name) {
    Handle attr = open_attr(object, name);
    const H5T_class_t cls = class_of(attr);
    std::int8_t value = 0;
    if (cls == H5T_ENUM) {
        Handle mem_type = bool_type();
        if (H5Aread(attr, mem_type, &value) < 0) fail_h5("reading " + where(object, name));
    } else if (cls == H5T_INTEGER) {
        if (H5Aread(attr, H5T_NATIVE_INT8, &value) < 0) fail_h5("reading " + where(object, name));
    } else {
        wrong_type(object, name, "a boolean");
    }
    return value != 0;
}

int read_int32_attr(hid_t object, const std::string& name) {
    const std::int64_t value = read_int_attr(object, name);
    if (value < std::numeric_limits<int>::min() || value > std::numeric_limits<int>::max())
        throw StoreFailure(where(object, name) + " is out of range: " + std::to_string(value));
    return static_cast<int>(value);
}

}  // namespace hpo::store
