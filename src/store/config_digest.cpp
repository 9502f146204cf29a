// The checksum of /config (see config_digest.hpp).
#include "config_digest.hpp"

#include <string>
#include <vector>

#include "checkpoint_schema.hpp"
#include "fnv.hpp"
#include "h5_attributes.hpp"

namespace hpo::store {
namespace {

herr_t collect_name(hid_t, const char* name, const void*, void* data) {
    static_cast<std::vector<std::string>*>(data)->emplace_back(name);
    return 0;
}

herr_t collect_link(hid_t, const char* name, const H5L_info_t*, void* data) {
    return collect_name(H5I_INVALID_HID, name, nullptr, data);
}

herr_t collect_attr(hid_t, const char* name, const H5A_info_t*, void* data) {
    return collect_name(H5I_INVALID_HID, name, nullptr, data);
}

template <typename T>
void add_number(std::string& out, T value) {
    out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

void add_attribute(std::string& out, hid_t object, const std::string& name) {
    Handle attr = attribute_handle(H5Aopen(object, name.c_str(), H5P_DEFAULT), "opening attribute " + name);
    Handle type = type_handle(H5Aget_type(attr), "attribute type");
    Handle space = space_handle(H5Aget_space(attr), "attribute dataspace");
    const H5T_class_t cls = H5Tget_class(type);
    const hssize_t count = H5Sget_simple_extent_type(space) == H5S_NULL ? 0 : H5Sget_simple_extent_npoints(space);
    if (count < 0) fail_h5("attribute " + name);
    out += 'A' + name + '\0';
    add_number(out, static_cast<std::int32_t>(cls));
    add_number(out, static_cast<std::int64_t>(count));
    if (cls == H5T_STRING) {
        for (const std::string& s : read_strings_attr(object, name)) {
            add_number(out, static_cast<std::uint64_t>(s.size()));
            out += s;
        }
        return;
    }
    std::string raw(static_cast<std::size_t>(count) * H5Tget_size(type), '\0');
    // Read as the file stores it: no conversion, the same bytes on any host.
    if (count > 0 && H5Aread(attr, type, raw.data()) < 0) fail_h5("reading attribute " + name);
    out += raw;
}

void add_group(std::string& out, hid_t group, const std::string& path) {
    out += 'G' + path + '\0';
    std::vector<std::string> attributes;
    hsize_t at = 0;
    if (H5Aiterate2(group, H5_INDEX_NAME, H5_ITER_INC, &at, collect_attr, &attributes) < 0)
        fail_h5("listing the attributes of " + path);
    for (const auto& name : attributes) add_attribute(out, group, name);
    std::vector<std::string> links;
    at = 0;
    if (H5Literate(group, H5_INDEX_NAME, H5_ITER_INC, &at, collect_link, &links) < 0)
        fail_h5("listing " + path);
    for (const auto& name : links) {
        H5O_info_t info{};
        if (H5Oget_info_by_name2(group, name.c_str(), &info, H5O_INFO_BASIC, H5P_DEFAULT) < 0)
            fail_h5("inspecting " + path + "/" + name);
        if (info.type != H5O_TYPE_GROUP) continue;
        Handle child = open_group(group, name);
        add_group(out, child, path + "/" + name);
    }
}

}  // namespace

std::uint64_t config_digest(hid_t file) {
    Handle config = open_group(file, names::config);
    std::string bytes;
    add_group(bytes, config, "/config");
    return fnv1a(bytes);
}

void write_config_digest(hid_t file) { write_uint_attr(file, names::config_hash, config_digest(file)); }

void check_config_digest(hid_t file) {
    if (!has_attr(file, names::config_hash)) return;
    if (read_uint_attr(file, names::config_hash) != config_digest(file))
        throw StoreFailure("the run configuration in /config does not match its checksum 'config_hash' (corrupt file)");
}

}  // namespace hpo::store
