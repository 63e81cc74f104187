#include "core/report/result_line.hpp"

namespace tune::core {

ResultLine::ResultLine(std::string text, std::vector<FlatField> fields)
    : text_(std::move(text)), fields_(std::move(fields)), flat_(true) {}

ResultLine::ResultLine(nlohmann::json value) : text_(value.dump()), value_(std::move(value)) {}

ResultLine ResultLine::from_text(std::string text) {
    std::vector<FlatField> fields;
    if (scan_flat_object(text, fields)) return ResultLine(std::move(text), std::move(fields));
    return ResultLine(nlohmann::json::parse(text));
}

const nlohmann::json &ResultLine::value() const {
    if (!value_) value_ = nlohmann::json::parse(text_);
    return *value_;
}

bool ResultLine::contains(std::string_view key) const {
    if (!flat_) return value_->contains(key);
    return find_field(text_, fields_, key) != nullptr;
}

std::optional<double> json_number(const nlohmann::json &object, std::string_view key) {
    const auto found = object.find(key);
    if (found == object.end() || !found->is_number()) return std::nullopt;
    return found->get<double>();
}

std::optional<double> ResultLine::number(std::string_view key) const {
    return flat_ ? flat_number(text_, fields_, key) : json_number(*value_, key);
}

} // namespace tune::core
