#include "core/engine/result_annotator.hpp"

#include <algorithm>
#include <iterator>

#include "core/report/json_text.hpp"

namespace tune::core {

namespace {

constexpr std::string_view kHostKeys[] = {"training_iteration", "time_this_iter_s", "time_total_s",
                                          "iterations_since_restore", "timestamp", "trial_id", "done",
                                          "node", "rank", "pid"};

bool is_host_key(std::string_view key) { return std::find(std::begin(kHostKeys), std::end(kHostKeys), key) != std::end(kHostKeys); }

// The host's numeric fields by name; nullopt for any other key.
std::optional<double> host_number(const HostFields &host, std::string_view key) {
    if (key == "training_iteration") return static_cast<double>(host.training_iteration);
    if (key == "time_this_iter_s") return host.time_this_iter_s;
    if (key == "time_total_s") return host.time_total_s;
    if (key == "iterations_since_restore") return static_cast<double>(host.iterations_since_restore);
    if (key == "timestamp") return host.timestamp;
    if (key == "rank") return static_cast<double>(host.rank);
    if (key == "pid") return static_cast<double>(host.pid);
    return std::nullopt;
}

// Appends `"key":` and the value that append_value writes to text, and records the field.
template <class Append>
void append_field(std::string &text, std::vector<FlatField> &fields, std::string_view key, FlatField::Kind kind,
                  Append append_value) {
    if (text.back() != '{') text += ',';
    text += '"';
    FlatField field;
    field.key_begin = static_cast<std::uint32_t>(text.size());
    field.key_size = static_cast<std::uint32_t>(key.size());
    text += key;
    text += "\":";
    const bool quoted = kind == FlatField::Kind::String;
    if (quoted) text += '"';
    field.value_begin = static_cast<std::uint32_t>(text.size());
    append_value(text);
    field.value_size = static_cast<std::uint32_t>(text.size() - field.value_begin);
    if (quoted) text += '"';
    field.kind = kind;
    fields.push_back(field);
}

} // namespace

ResultAnnotator::ResultAnnotator(std::string trainable_text, const HostFields &fields)
    : text_(std::move(trainable_text)), host_(fields) {
    // A trial id or node name that would need escaping is not one the controller makes; it
    // takes the general path.
    bool flat = is_plain_json_string(host_.trial_id) && is_plain_json_string(host_.node) &&
                scan_flat_object(text_, fields_);
    // A trainable that sets a host field itself is rare: the general path replaces its value.
    for (std::size_t i = 0; flat && i < fields_.size(); ++i) flat = !is_host_key(fields_[i].key(text_));
    if (flat) return;
    fields_.clear();
    try {
        value_ = nlohmann::json::parse(text_);
    } catch (const nlohmann::json::exception &e) {
        throw InvalidResult(std::string("step returned invalid JSON: ") + e.what());
    }
    if (!value_->is_object()) throw InvalidResult("step returned JSON that is not an object");
}

bool ResultAnnotator::contains(std::string_view key) const {
    if (is_host_key(key)) return true;
    if (value_) return value_->contains(key);
    return find_field(text_, fields_, key) != nullptr;
}

std::optional<double> ResultAnnotator::number(std::string_view key) const {
    if (auto host = host_number(host_, key)) return host;
    if (is_host_key(key)) return std::nullopt; // trial_id, done, node
    return value_ ? json_number(*value_, key) : flat_number(text_, fields_, key);
}

bool ResultAnnotator::trainable_done() const {
    if (!value_) return false; // a flat result has no "done" (it would be a host key)
    const auto found = value_->find("done");
    return found != value_->end() && found->is_boolean() && found->get<bool>();
}

ResultLine ResultAnnotator::finish(bool done) {
    if (value_) {
        nlohmann::json &value = *value_;
        value["training_iteration"] = host_.training_iteration;
        value["time_this_iter_s"] = host_.time_this_iter_s;
        value["time_total_s"] = host_.time_total_s;
        value["iterations_since_restore"] = host_.iterations_since_restore;
        value["timestamp"] = host_.timestamp;
        value["trial_id"] = host_.trial_id;
        value["node"] = host_.node;
        value["rank"] = host_.rank;
        value["pid"] = host_.pid;
        value["done"] = done;
        return ResultLine(std::move(value));
    }
    // {"loss":1} -> {"loss":1,"training_iteration":3,...}: the trainable's text up to its
    // closing brace, then the host's fields.
    std::string text = std::move(text_);
    text.resize(text.find_last_of('}'));
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' || text.back() == '\r'))
        text.pop_back();
    using Kind = FlatField::Kind;
    append_field(text, fields_, "training_iteration", Kind::Number,
                 [&](std::string &out) { append_json_integer(out, host_.training_iteration); });
    append_field(text, fields_, "time_this_iter_s", Kind::Number,
                 [&](std::string &out) { append_json_double(out, host_.time_this_iter_s); });
    append_field(text, fields_, "time_total_s", Kind::Number,
                 [&](std::string &out) { append_json_double(out, host_.time_total_s); });
    append_field(text, fields_, "iterations_since_restore", Kind::Number,
                 [&](std::string &out) { append_json_integer(out, host_.iterations_since_restore); });
    append_field(text, fields_, "timestamp", Kind::Number,
                 [&](std::string &out) { append_json_double(out, host_.timestamp); });
    // The trial id is plain (checked above): no escaping.
    append_field(text, fields_, "trial_id", Kind::String, [&](std::string &out) { out += host_.trial_id; });
    append_field(text, fields_, "node", Kind::String, [&](std::string &out) { out += host_.node; });
    append_field(text, fields_, "rank", Kind::Number, [&](std::string &out) { append_json_integer(out, host_.rank); });
    append_field(text, fields_, "pid", Kind::Number, [&](std::string &out) { append_json_integer(out, host_.pid); });
    append_field(text, fields_, "done", Kind::Bool, [&](std::string &out) { out += done ? "true" : "false"; });
    text += '}';
    return ResultLine(std::move(text), std::move(fields_));
}

} // namespace tune::core
