// Creating, extending, writing and reading the checkpoint's 1-D extendible datasets.
#include "h5_columns.hpp"

#include <algorithm>

namespace hpo::store {

hsize_t checked_chunk_rows(hsize_t rows, hsize_t element) {
    if (element == 0) return rows;
    // Whole pages (the file's alignment), at least two, less the 4 bytes of the checksum: a chunk
    // fills its pages, and a page of zeros (a lost write) never holds a whole chunk, which would
    // pass for a chunk of zeros with its checksum 0.
    const hsize_t pages = std::max<hsize_t>(2, rows * element / page_bytes);
    return (pages * page_bytes - checksum_bytes) / element;
}

Handle create_column(hid_t group, const std::string& name, hid_t file_type, hsize_t chunk_rows) {
    const hsize_t dims[1] = {0};
    const hsize_t max_dims[1] = {H5S_UNLIMITED};
    const hsize_t chunk[1] = {checked_chunk_rows(chunk_rows, H5Tget_size(file_type))};
    Handle space = space_handle(H5Screate_simple(1, dims, max_dims), "dataspace");
    Handle dcpl = plist_handle(H5Pcreate(H5P_DATASET_CREATE), "dataset creation list");
    if (H5Pset_chunk(dcpl, 1, chunk) < 0) fail_h5("chunking " + name);
    // Every chunk carries a Fletcher-32 checksum that HDF5 verifies on each read: a flipped bit in
    // the data is an error, never a different value (the metadata has checksums of its own).
    if (H5Pset_fletcher32(dcpl) < 0) fail_h5("checksumming " + name);
    return dataset_handle(H5Dcreate2(group, name.c_str(), file_type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT),
                          "creating dataset " + child_name(group, name));
}

Handle open_column(hid_t group, const std::string& name) {
    const std::string full = child_name(group, name);
    if (!has_link(group, name)) throw StoreFailure("missing dataset " + full);
    Handle column = dataset_handle(H5Dopen2(group, name.c_str(), H5P_DEFAULT), "opening dataset " + full);
    Handle space = space_handle(H5Dget_space(column), "dataspace of " + full);
    if (H5Sget_simple_extent_ndims(space) != 1) throw StoreFailure("dataset " + full + " is not 1-dimensional");
    return column;
}

hsize_t length_of(hid_t column) {
    Handle space = space_handle(H5Dget_space(column), "dataspace of " + object_name(column));
    hsize_t dims[1] = {0};
    if (H5Sget_simple_extent_dims(space, dims, nullptr) != 1)
        throw StoreFailure("dataset " + object_name(column) + " is not 1-dimensional");
    return dims[0];
}

void set_length(hid_t column, hsize_t length) {
    const hsize_t dims[1] = {length};
    if (H5Dset_extent(column, dims) < 0) fail_h5("resizing " + object_name(column));
}

namespace {

// The file's selection of rows [offset, offset + count) and a memory space of as many elements.
struct RowSelection {
    Handle file_space;
    Handle mem_space;
};

RowSelection select_rows(hid_t column, hsize_t offset, hsize_t count) {
    RowSelection s;
    s.file_space = space_handle(H5Dget_space(column), "dataspace of " + object_name(column));
    const hsize_t start[1] = {offset};
    const hsize_t size[1] = {count};
    if (H5Sselect_hyperslab(s.file_space, H5S_SELECT_SET, start, nullptr, size, nullptr) < 0)
        fail_h5("selecting rows of " + object_name(column));
    s.mem_space = space_handle(H5Screate_simple(1, size, nullptr), "dataspace");
    return s;
}

}  // namespace

void write_rows(hid_t column, hsize_t offset, hsize_t count, hid_t mem_type, const void* data) {
    if (count == 0) return;
    if (length_of(column) < offset + count) set_length(column, offset + count);
    const RowSelection rows = select_rows(column, offset, count);
    if (H5Dwrite(column, mem_type, rows.mem_space, rows.file_space, H5P_DEFAULT, data) < 0)
        fail_h5("writing " + object_name(column));
}

void read_rows(hid_t column, hsize_t offset, hsize_t count, hid_t mem_type, void* out, bool verify) {
    if (count == 0) return;
    const RowSelection rows = select_rows(column, offset, count);
    Handle dxpl;
    if (!verify) {
        dxpl = plist_handle(H5Pcreate(H5P_DATASET_XFER), "transfer list");
        if (H5Pset_edc_check(dxpl, H5Z_DISABLE_EDC) < 0) fail_h5("transfer list");
    }
    if (H5Dread(column, mem_type, rows.mem_space, rows.file_space, verify ? H5P_DEFAULT : dxpl.get(), out) < 0)
        fail_h5("reading " + object_name(column));
}

hsize_t chunk_rows_of(hid_t column) {
    Handle dcpl = plist_handle(H5Dget_create_plist(column), "creation list of " + object_name(column));
    hsize_t chunk[1] = {0};
    if (H5Pget_layout(dcpl) != H5D_CHUNKED || H5Pget_chunk(dcpl, 1, chunk) != 1) return 0;
    return chunk[0];
}

}  // namespace hpo::store
