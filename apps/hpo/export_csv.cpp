// `hpo export --format csv` (see export_csv.hpp).
#include "export_csv.hpp"

#include <cctype>
#include <ostream>

#include "print_result.hpp"

namespace hpo::cli {

std::string csv_field(const std::string& text) {
    const bool padded = !text.empty() && (std::isspace(static_cast<unsigned char>(text.front())) ||
                                          std::isspace(static_cast<unsigned char>(text.back())));
    if (!padded && text.find_first_of(",\"\r\n") == std::string::npos) return text;
    std::string quoted = "\"";
    for (char c : text) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    return quoted + '"';
}

void write_csv(std::ostream& out, const TrialTable& table) {
    const auto write_line = [&](const auto& fields, const auto& text_of) {
        for (std::size_t i = 0; i < fields.size(); ++i) out << (i ? "," : "") << csv_field(text_of(fields[i]));
        out << '\n';
    };
    write_line(table.columns, [](const std::string& name) { return name; });
    for (const auto& row : table.rows) {
        write_line(row, [](const Cell& cell) { return cell.kind == Cell::Kind::number ? fom_text(cell.number) : cell.text; });
    }
}

}  // namespace hpo::cli
