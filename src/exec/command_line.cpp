// Shell-like splitting of the kernel command, its inverse for display, and the argv text of the
// hyperparameters.
#include "hpo/exec/command_line.hpp"

#include <string>

namespace hpo {

std::string_view to_string(ArgStyle style) {
    switch (style) {
    case ArgStyle::equals: return "equals";
    case ArgStyle::space: return "space";
    }
    return "equals";
}

ArgStyle arg_style_from_string(std::string_view text) {
    if (text == "equals") return ArgStyle::equals;
    if (text == "space") return ArgStyle::space;
    throw std::invalid_argument("unknown argument style '" + std::string(text) +
                                "' (expected 'equals' or 'space')");
}

namespace {

bool is_separator(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// The characters a backslash escapes inside double quotes (POSIX); before anything else the
// backslash stays, as a shell would keep it.
bool escapable_in_double_quotes(char c) {
    return c == '"' || c == '\\' || c == '$' || c == '`';
}

// Walks the command once; `word_open` tracks whether a word has started, so that '' or ""
// yield an empty argument rather than nothing.
class Splitter {
public:
    explicit Splitter(std::string_view text) : text_(text) {}

    std::vector<std::string> run() {
        while (i_ < text_.size()) {
            const char c = text_[i_];
            if (is_separator(c)) {
                end_word();
                ++i_;
            } else if (c == '\'') {
                single_quoted();
            } else if (c == '"') {
                double_quoted();
            } else if (c == '\\') {
                escaped();
            } else {
                word_open_ = true;
                word_ += c;
                ++i_;
            }
        }
        end_word();
        if (words_.empty()) throw CommandLineError("empty kernel command");
        return std::move(words_);
    }

private:
    void end_word() {
        if (word_open_) words_.push_back(std::move(word_));
        word_.clear();
        word_open_ = false;
    }

    void single_quoted() {
        const auto close = text_.find('\'', i_ + 1);
        if (close == std::string_view::npos) fail("unterminated single quote");
        word_open_ = true;
        word_.append(text_.substr(i_ + 1, close - i_ - 1));
        i_ = close + 1;
    }

    void double_quoted() {
        word_open_ = true;
        for (++i_; i_ < text_.size(); ++i_) {
            const char c = text_[i_];
            if (c == '"') {
                ++i_;
                return;
            }
            if (c == '\\' && i_ + 1 < text_.size()) {
                const char next = text_[i_ + 1];
                if (next == '\n') {  // line continuation
                    ++i_;
                    continue;
                }
                if (escapable_in_double_quotes(next)) {
                    word_ += next;
                    ++i_;
                    continue;
                }
            }
            word_ += c;
        }
        fail("unterminated double quote");
    }

    void escaped() {
        if (i_ + 1 >= text_.size()) fail("trailing backslash");
        const char next = text_[i_ + 1];
        i_ += 2;
        if (next == '\n') return;  // line continuation joins the two lines
        word_open_ = true;
        word_ += next;
    }

    [[noreturn]] void fail(const char* what) const {
        throw CommandLineError(std::string(what) + " in kernel command: " + std::string(text_));
    }

    std::string_view text_;
    std::size_t i_ = 0;
    std::string word_;
    bool word_open_ = false;
    std::vector<std::string> words_;
};

}  // namespace

std::vector<std::string> split_command(std::string_view command) {
    return Splitter(command).run();
}

std::string shell_quote(std::string_view word) {
    static constexpr std::string_view safe =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-";
    if (!word.empty() && word.find_first_not_of(safe) == std::string_view::npos) return std::string(word);
    std::string quoted = "'";
    for (char c : word) {
        if (c == '\'') {
            quoted += "'\\''";
        } else {
            quoted += c;
        }
    }
    return quoted + "'";
}

std::string shell_join(const std::vector<std::string>& words) {
    std::string text;
    for (const auto& word : words) {
        if (!text.empty()) text += ' ';
        text += shell_quote(word);
    }
    return text;
}

std::vector<std::string> hyperparameter_args(const SearchSpace& space, const Point& values, ArgStyle style) {
    if (values.size() != space.size()) {
        throw std::invalid_argument("hyperparameter_args: " + std::to_string(values.size()) +
                                    " values for " + std::to_string(space.size()) + " parameters");
    }
    std::vector<std::string> args;
    args.reserve(style == ArgStyle::space ? 2 * space.size() : space.size());
    for (std::size_t i = 0; i < space.size(); ++i) {
        const Parameter& parameter = space[i];
        std::string value = parameter.format(values[i]);
        // A flag of several words (`--optimizer lr`) is that many words, the value after the last.
        std::string_view flag = parameter.flag();
        for (std::size_t space = flag.find(' '); space != std::string_view::npos; space = flag.find(' ')) {
            args.emplace_back(flag.substr(0, space));
            flag.remove_prefix(space + 1);
        }
        if (style == ArgStyle::equals) {
            args.push_back(std::string(flag) + "=" + value);
        } else {
            args.emplace_back(flag);
            args.push_back(std::move(value));
        }
    }
    return args;
}

}  // namespace hpo
