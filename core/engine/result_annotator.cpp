#include "core/engine/result_annotator.hpp"

namespace tune::core {

ResultAnnotator::ResultAnnotator(std::string trainable_text, const HostFields &fields)
    : text_(std::move(trainable_text)) {
    try {
        result_ = nlohmann::json::parse(text_);
    } catch (const nlohmann::json::exception &e) {
        throw InvalidResult(std::string("step returned invalid JSON: ") + e.what());
    }
    if (!result_.is_object()) throw InvalidResult("step returned JSON that is not an object");
    fields_ = {{"training_iteration", fields.training_iteration},
               {"time_this_iter_s", fields.time_this_iter_s},
               {"time_total_s", fields.time_total_s},
               {"iterations_since_restore", fields.iterations_since_restore},
               {"timestamp", fields.timestamp},
               {"trial_id", fields.trial_id}};
    for (const auto &field : fields_.items()) rewrite_ = rewrite_ || result_.contains(field.key());
    rewrite_ = rewrite_ || result_.contains("done");
    result_.update(fields_);
}

AnnotatedResult ResultAnnotator::finish(bool done) {
    result_["done"] = fields_["done"] = done;
    if (rewrite_) {
        std::string text = result_.dump();
        return {std::move(result_), std::move(text)};
    }
    // {"loss":1} + {"a":2} -> {"loss":1,"a":2}: the trainable's text up to its closing brace,
    // then the host's fields without their opening brace.
    std::string text = text_.substr(0, text_.find_last_of('}'));
    if (text.find_first_not_of(" \t\r\n{") != std::string::npos) text += ',';
    const std::string extra = fields_.dump();
    text.append(extra, 1, std::string::npos);
    return {std::move(result_), std::move(text)};
}

} // namespace tune::core
