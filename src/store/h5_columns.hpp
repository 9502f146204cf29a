// 1-D datasets with an unlimited extent: the columns of the trial table and the byte blobs.
#pragma once

#include <string>

#include "h5_handle.hpp"

namespace hpo::store {

// The file's alignment (checkpoint_schema.cpp) and the Fletcher-32 checksum after each chunk.
inline constexpr hsize_t page_bytes = 4096;
inline constexpr hsize_t checksum_bytes = 4;

// The rows per chunk create_column uses for about `rows` elements of `element` bytes: as many as
// fill whole pages with the checksum, two pages at least (1023 rows of 8 bytes, 2047 of 4, 8188 of 1).
hsize_t checked_chunk_rows(hsize_t rows, hsize_t element);

// An empty column, chunked by checked_chunk_rows(chunk_rows) elements so that appends touch only
// the last chunks, each chunk checksummed (Fletcher-32).
Handle create_column(hid_t group, const std::string& name, hid_t file_type, hsize_t chunk_rows);

Handle open_column(hid_t group, const std::string& name);     // StoreFailure "missing dataset /x/y"; checks 1-D

hsize_t length_of(hid_t column);
void set_length(hid_t column, hsize_t length);

// Rows [offset, offset + count) of any 1-D dataset, the only place the store selects a hyperslab.
// write_rows extends a column when they reach past its end (a fixed-size dataset must be long
// enough already); `mem_type` says how `data` is laid out in memory.
void write_rows(hid_t column, hsize_t offset, hsize_t count, hid_t mem_type, const void* data);
// `verify` = false skips the chunks' checksums (only for a chunk that a killed writer may have been
// rewriting, see checkpoint_reader.cpp).
void read_rows(hid_t column, hsize_t offset, hsize_t count, hid_t mem_type, void* out, bool verify = true);

// Elements per chunk; 0 if the dataset is not chunked.
hsize_t chunk_rows_of(hid_t column);

}  // namespace hpo::store
