// Typed attributes: how the checkpoint stores its format marker and the run configuration.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "h5_handle.hpp"

namespace hpo::store {

void write_string_attr(hid_t object, const std::string& name, const std::string& value);
void write_strings_attr(hid_t object, const std::string& name, const std::vector<std::string>& values);
void write_int_attr(hid_t object, const std::string& name, std::int64_t value);
void write_uint_attr(hid_t object, const std::string& name, std::uint64_t value);
void write_double_attr(hid_t object, const std::string& name, double value);
void write_bool_attr(hid_t object, const std::string& name, bool value);

bool has_attr(hid_t object, const std::string& name);

// Each throws StoreFailure naming the object and attribute when it is missing or of another kind.
std::string read_string_attr(hid_t object, const std::string& name);
std::vector<std::string> read_strings_attr(hid_t object, const std::string& name);
std::int64_t read_int_attr(hid_t object, const std::string& name);
std::uint64_t read_uint_attr(hid_t object, const std::string& name);
double read_double_attr(hid_t object, const std::string& name);
bool read_bool_attr(hid_t object, const std::string& name);

// read_int_attr narrowed to int, with a range check.
int read_int32_attr(hid_t object, const std::string& name);

}  // namespace hpo::store
