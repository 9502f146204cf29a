// 1-D datasets with an unlimited extent: the columns of the trial table and the byte blobs.
#pragma once

#include <string>

#include "h5_handle.hpp"

namespace hpo::store {

// An empty column, chunked by `chunk_rows` elements so that appends touch only the last chunks.
Handle create_column(hid_t group, const std::string& name, hid_t file_type, hsize_t chunk_rows);

bool has_link(hid_t group, const std::string& name);
Handle open_group(hid_t parent, const std::string& name);     // StoreFailure "missing group /x"
Handle open_column(hid_t group, const std::string& name);     // StoreFailure "missing dataset /x/y"; checks 1-D

hsize_t length_of(hid_t column);
void set_length(hid_t column, hsize_t length);

// Writes `count` elements at `offset`, extending the column when they reach past its end.
void write_rows(hid_t column, hsize_t offset, hsize_t count, hid_t mem_type, const void* data);
void read_rows(hid_t column, hsize_t offset, hsize_t count, hid_t mem_type, void* out);

}  // namespace hpo::store
