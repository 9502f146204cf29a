// `hpo export --format json` (see export_json.hpp).
#include "export_json.hpp"

#include <cmath>
#include <cstdint>
#include <ostream>

#include "print_result.hpp"

namespace hpo::cli {

namespace {

// The length of the valid UTF-8 sequence starting at text[i], 0 if there is none.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    std::size_t length = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // the range of the second byte
    if (lead < 0x80) return 1;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0) lo = 0xA0;  // no overlong forms
        if (lead == 0xED) hi = 0x9F;  // no surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0) lo = 0x90;
        if (lead == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
    } else {
        return 0;
    }
    if (i + length > text.size()) return 0;
    if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
    for (std::size_t k = 2; k < length; ++k) {
        if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
    }
    return length;
}

std::string json_number(const Cell& cell) {
    if (cell.kind == Cell::Kind::none) return "null";
    if (cell.kind == Cell::Kind::integer) return cell.text;
    return std::isfinite(cell.number) ? fom_text(cell.number) : "null";
}

}  // namespace

std::string json_string(std::string_view text) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out = "\"";
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        const std::size_t length = utf8_sequence_length(text, i);
        if (length == 0) {
            out += "\\ufffd";
            ++i;
            continue;
        }
        if (length > 1) {
            out.append(text, i, length);
            i += length;
            continue;
        }
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20 || c == 0x7F) {
                    out += "\\u00";
                    out += hex[c >> 4];
                    out += hex[c & 0xF];
                } else {
                    out += static_cast<char>(c);
                }
        }
        ++i;
    }
    return out + '"';
}

void write_json(std::ostream& out, const TrialTable& table) {
    std::vector<std::string> keys;
    for (const auto& column : table.columns) keys.push_back(json_string(column) + ": ");
    out << "[";
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        out << (r ? ",\n " : "\n ") << "{";
        const auto& row = table.rows[r];
        for (std::size_t i = 0; i < row.size(); ++i) {
            out << (i ? ", " : "") << keys[i]
                << (row[i].kind == Cell::Kind::text ? json_string(row[i].text) : json_number(row[i]));
        }
        out << "}";
    }
    out << (table.rows.empty() ? "]\n" : "\n]\n");
}

}  // namespace hpo::cli
