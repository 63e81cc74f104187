#include "core/report/flat_json.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

namespace tune::core {

namespace {

class Scanner {
public:
    explicit Scanner(std::string_view text) : text_(text) {}

    bool at_end() const { return pos_ >= text_.size(); }
    std::size_t pos() const { return pos_; }

    void skip_space() {
        while (!at_end() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r'))
            ++pos_;
    }

    bool take(char c) {
        if (at_end() || text_[pos_] != c) return false;
        ++pos_;
        return true;
    }

    bool take_word(std::string_view word) {
        if (text_.substr(pos_, word.size()) != word) return false;
        pos_ += word.size();
        return true;
    }

    // A string of printable ASCII with no escapes, after its opening quote; stops after the
    // closing quote. Sets begin and size to its contents.
    bool plain_string(std::uint32_t &begin, std::uint32_t &size) {
        const std::size_t start = pos_;
        while (!at_end()) {
            const auto c = static_cast<unsigned char>(text_[pos_]);
            if (c == '"') {
                begin = static_cast<std::uint32_t>(start);
                size = static_cast<std::uint32_t>(pos_ - start);
                ++pos_;
                return true;
            }
            if (c == '\\' || c < 0x20 || c >= 0x80) return false;
            ++pos_;
        }
        return false;
    }

    // -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, as JSON defines numbers.
    bool number() {
        take('-');
        if (take('0')) {
        } else if (!digits()) {
            return false;
        }
        if (take('.') && !digits()) return false;
        if (!at_end() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
            ++pos_;
            if (!take('+')) take('-');
            if (!digits()) return false;
        }
        return true;
    }

private:
    bool digits() {
        const std::size_t start = pos_;
        while (!at_end() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
        return pos_ > start;
    }

    std::string_view text_;
    std::size_t pos_ = 0;
};

bool repeated_key(std::string_view text, const std::vector<FlatField> &fields, std::size_t first) {
    for (std::size_t i = first; i < fields.size(); ++i)
        for (std::size_t j = first; j < i; ++j)
            if (fields[i].key(text) == fields[j].key(text)) return true;
    return false;
}

} // namespace

bool scan_flat_object(std::string_view text, std::vector<FlatField> &fields) {
    if (text.size() > UINT32_MAX) return false;
    const std::size_t first = fields.size();
    Scanner in(text);
    in.skip_space();
    if (!in.take('{')) return false;
    in.skip_space();
    if (!in.take('}')) {
        for (;;) {
            FlatField field;
            in.skip_space();
            if (!in.take('"') || !in.plain_string(field.key_begin, field.key_size)) return false;
            in.skip_space();
            if (!in.take(':')) return false;
            in.skip_space();
            const std::size_t start = in.pos();
            if (in.take('"')) {
                field.kind = FlatField::Kind::String;
                if (!in.plain_string(field.value_begin, field.value_size)) return false;
            } else {
                if (in.take_word("true") || in.take_word("false")) field.kind = FlatField::Kind::Bool;
                else if (in.take_word("null")) field.kind = FlatField::Kind::Null;
                else if (in.number()) field.kind = FlatField::Kind::Number;
                else return false; // a nested value, or not JSON
                field.value_begin = static_cast<std::uint32_t>(start);
                field.value_size = static_cast<std::uint32_t>(in.pos() - start);
                // JSON parsers refuse a number beyond a double's range (1e999): so does this one.
                if (field.kind == FlatField::Kind::Number && std::isinf(field_number(text, field))) return false;
            }
            fields.push_back(field);
            in.skip_space();
            if (in.take('}')) break;
            if (!in.take(',')) return false;
        }
    }
    in.skip_space();
    return in.at_end() && !repeated_key(text, fields, first);
}

const FlatField *find_field(std::string_view text, const std::vector<FlatField> &fields, std::string_view key) {
    for (const FlatField &field : fields)
        if (field.key(text) == key) return &field;
    return nullptr;
}

std::optional<double> flat_number(std::string_view text, const std::vector<FlatField> &fields, std::string_view key) {
    const FlatField *field = find_field(text, fields, key);
    if (!field || field->kind != FlatField::Kind::Number) return std::nullopt;
    return field_number(text, *field);
}

double field_number(std::string_view text, const FlatField &field) {
    const std::string_view digits = field.value(text);
    double number = 0.0;
    const auto parsed = std::from_chars(digits.data(), digits.data() + digits.size(), number);
    // Beyond a double's range: what strtod gives (+-inf or 0), as JSON parsers read it.
    if (parsed.ec == std::errc::result_out_of_range) number = std::strtod(std::string(digits).c_str(), nullptr);
    return number;
}

} // namespace tune::core
