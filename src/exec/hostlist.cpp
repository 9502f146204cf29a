// Slurm hostlists (see hostlist.hpp): a small parser, no dependency on Slurm's own library.
#include "hpo/exec/hostlist.hpp"

#include <cctype>
#include <cstdint>
#include <optional>

namespace hpo {

namespace {

// A product this large is a typo (n[1-1000000000]), not a cluster.
constexpr std::size_t max_hosts = 1u << 20;

bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

[[noreturn]] void malformed(std::string_view list, const std::string& why) {
    throw HostlistError("malformed hostlist '" + std::string(list) + "': " + why);
}

std::uint64_t to_number(std::string_view digits, std::string_view list) {
    if (digits.empty()) malformed(list, "a range bound is empty");
    if (digits.size() > 18) malformed(list, "the number '" + std::string(digits) + "' is too long");
    std::uint64_t value = 0;
    for (char c : digits) {
        if (!is_digit(c)) malformed(list, "'" + std::string(digits) + "' is not a number");
        value = value * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return value;
}

std::string padded(std::uint64_t value, std::size_t width) {
    std::string text = std::to_string(value);
    if (text.size() < width) text.insert(0, width - text.size(), '0');
    return text;
}

// `1-3,7,09-10` -> 1 2 3 7 09 10.
std::vector<std::string> expand_group(std::string_view group, std::string_view list) {
    std::vector<std::string> numbers;
    std::size_t begin = 0;
    while (begin <= group.size()) {
        const std::size_t end = std::min(group.find(',', begin), group.size());
        const std::string_view part = group.substr(begin, end - begin);
        const std::size_t dash = part.find('-');
        if (dash == std::string_view::npos) {
            (void)to_number(part, list);
            numbers.emplace_back(part);
        } else {
            const std::string_view lo = part.substr(0, dash), hi = part.substr(dash + 1);
            const std::uint64_t from = to_number(lo, list), to = to_number(hi, list);
            if (to < from) malformed(list, "the range " + std::string(part) + " runs backwards");
            if (to - from >= max_hosts) malformed(list, "the range " + std::string(part) + " is too large");
            for (std::uint64_t n = from; n <= to; ++n) numbers.push_back(padded(n, lo.size()));
        }
        begin = end + 1;
    }
    return numbers;
}

// One item (no top-level comma): literal text and bracket groups, multiplied out.
void expand_item(std::string_view item, std::string_view list, std::vector<std::string>& hosts) {
    std::vector<std::string> partial{""};
    std::size_t pos = 0;
    while (pos < item.size()) {
        const std::size_t open = item.find('[', pos);
        const std::string_view text = item.substr(pos, open == std::string_view::npos ? item.npos : open - pos);
        if (text.find(']') != std::string_view::npos) malformed(list, "a ']' without its '['");
        for (auto& host : partial) host += text;
        if (open == std::string_view::npos) break;
        const std::size_t close = item.find(']', open);
        if (close == std::string_view::npos) malformed(list, "a '[' without its ']'");
        const auto numbers = expand_group(item.substr(open + 1, close - open - 1), list);
        if (partial.size() * numbers.size() > max_hosts) malformed(list, "it names too many hosts");
        std::vector<std::string> next;
        next.reserve(partial.size() * numbers.size());
        for (const auto& host : partial) {
            for (const auto& number : numbers) next.push_back(host + number);
        }
        partial = std::move(next);
        pos = close + 1;
    }
    for (auto& host : partial) {
        if (host.empty()) malformed(list, "an empty host name");
        hosts.push_back(std::move(host));
    }
}

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    return text;
}

// A host name split into the prefix and its trailing number, if it has one.
struct Numbered {
    std::string prefix;
    std::optional<std::string> digits;
};

Numbered split_number(const std::string& host) {
    std::size_t start = host.size();
    while (start > 0 && is_digit(host[start - 1])) --start;
    if (start == host.size() || host.size() - start > 18) return {host, std::nullopt};
    return {host.substr(0, start), host.substr(start)};
}

// A run of consecutive numbers that all print with the width of its first.
struct Run {
    std::string first;
    std::uint64_t last = 0;
    std::size_t width() const { return first.size() > 1 && first.front() == '0' ? first.size() : 0; }
    std::string text() const {
        const std::uint64_t start = std::stoull(first);
        return start == last ? first : first + "-" + padded(last, width());
    }
};

}  // namespace

std::vector<std::string> expand_hostlist(std::string_view hostlist) {
    std::vector<std::string> hosts;
    int depth = 0;
    std::size_t begin = 0;
    for (std::size_t i = 0; i <= hostlist.size(); ++i) {
        const char c = i < hostlist.size() ? hostlist[i] : ',';
        if (c == '[') {
            if (++depth > 1) malformed(hostlist, "nested '['");
        } else if (c == ']') {
            if (--depth < 0) malformed(hostlist, "a ']' without its '['");
        } else if (c == ',' && depth == 0) {
            const std::string_view item = trimmed(hostlist.substr(begin, i - begin));
            if (item.empty()) {
                if (i < hostlist.size() || !hosts.empty() || !trimmed(hostlist).empty()) {
                    malformed(hostlist, "an empty item");
                }
            } else {
                expand_item(item, hostlist, hosts);
            }
            begin = i + 1;
        }
    }
    if (depth != 0) malformed(hostlist, "a '[' without its ']'");
    return hosts;
}

std::string compress_hostlist(const std::vector<std::string>& hosts) {
    std::string out;
    std::size_t i = 0;
    while (i < hosts.size()) {
        const Numbered head = split_number(hosts[i]);
        if (!out.empty()) out += ',';
        if (!head.digits) {
            out += hosts[i++];
            continue;
        }
        // Every following host with the same prefix joins this bracket group, in order.
        std::vector<Run> runs{{*head.digits, std::stoull(*head.digits)}};
        std::size_t j = i + 1;
        for (; j < hosts.size(); ++j) {
            const Numbered next = split_number(hosts[j]);
            if (!next.digits || next.prefix != head.prefix) break;
            const std::uint64_t value = std::stoull(*next.digits);
            Run& run = runs.back();
            if (value == run.last + 1 && padded(value, run.width()) == *next.digits) {
                run.last = value;
            } else {
                runs.push_back({*next.digits, value});
            }
        }
        if (j == i + 1) {
            out += hosts[i];
        } else {
            out += head.prefix + "[";
            for (std::size_t r = 0; r < runs.size(); ++r) out += (r ? "," : "") + runs[r].text();
            out += "]";
        }
        i = j;
    }
    return out;
}

}  // namespace hpo
