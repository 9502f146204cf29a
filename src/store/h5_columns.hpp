// 1-D datasets with an unlimited extent: the columns of the trial table and the byte blobs.
#pragma once

#include <string>

#include "h5_handle.hpp"

namespace hpo::store {

// An empty column, chunked by `chunk_rows` elements so that appends touch only the last chunks.
Handle create_column(hid_t group, const std::string& name, hid_t file_type, hsize_t chunk_rows);

Handle open_column(hid_t group, const std::string& name);     // StoreFailure "missing dataset /x/y"; checks 1-D

hsize_t length_of(hid_t column);
void set_length(hid_t column, hsize_t length);

// Rows [offset, offset + count) of any 1-D dataset, the only place the store selects a hyperslab.
// write_rows extends a column when they reach past its end (a fixed-size dataset must be long
// enough already); `mem_type` says how `data` is laid out in memory.
void write_rows(hid_t column, hsize_t offset, hsize_t count, hid_t mem_type, const void* data);
void read_rows(hid_t column, hsize_t offset, hsize_t count, hid_t mem_type, void* out);

}  // namespace hpo::store
