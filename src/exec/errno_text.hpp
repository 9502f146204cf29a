// The text of an errno value ("No such file or directory"), internal to the exec module.
#pragma once

#include <string>
#include <system_error>

namespace hpo::exec_detail {

inline std::string errno_text(int error) { return std::error_code(error, std::generic_category()).message(); }

}  // namespace hpo::exec_detail
