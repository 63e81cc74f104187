#include "core/report/trial_logger.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace tune::core {
namespace fs = std::filesystem;

void flatten_json(const nlohmann::json &value, const std::string &prefix, nlohmann::json &out) {
    if (value.is_object()) {
        for (const auto &[key, item] : value.items())
            flatten_json(item, prefix.empty() ? key : prefix + "/" + key, out);
    } else {
        out[prefix] = value;
    }
}

std::string csv_field(const nlohmann::json &value) {
    std::string text = value.is_string() ? value.get<std::string>() : value.is_null() ? "" : value.dump();
    if (text.find_first_of(",\"\n") == std::string::npos) return text;
    std::string quoted = "\"";
    for (char c : text) quoted += (c == '"') ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
}

TrialLogger::TrialLogger(const fs::path &dir, const nlohmann::json &config) : dir_(dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw std::runtime_error("cannot create trial folder " + dir.string() + ": " + ec.message());
    {
        std::ofstream params(dir / "params.json");
        params << config.dump(2) << "\n";
        if (!params.flush()) throw std::runtime_error("cannot write " + (dir / "params.json").string());
    }
    const bool resuming = fs::exists(dir / "progress.csv");
    if (resuming) { // keep the existing header's columns
        std::ifstream csv(dir / "progress.csv");
        std::string header;
        std::getline(csv, header);
        for (std::size_t start = 0; !header.empty() && start <= header.size();) {
            std::size_t comma = header.find(',', start);
            csv_columns_.push_back(header.substr(start, comma - start));
            if (comma == std::string::npos) break;
            start = comma + 1;
        }
    }
    results_ = open(dir / "result.jsonl");
    progress_ = open(dir / "progress.csv");
    decisions_ = open(dir / "decisions.jsonl");
}

TrialLogger::~TrialLogger() {
    for (std::FILE *file : {results_, progress_, decisions_})
        if (file) std::fclose(file);
}

std::FILE *TrialLogger::open(const fs::path &file) {
    std::FILE *handle = std::fopen(file.c_str(), "a");
    if (!handle) throw std::runtime_error("cannot open " + file.string() + ": " + std::strerror(errno));
    std::setvbuf(handle, nullptr, _IOFBF, 1 << 16);
    return handle;
}

void TrialLogger::write(std::FILE *file, const std::string &text, const char *name) {
    if (std::fwrite(text.data(), 1, text.size(), file) != text.size())
        throw std::runtime_error("cannot write " + (dir_ / name).string() + ": " + std::strerror(errno));
}

void TrialLogger::log_result(const nlohmann::json &result) {
    line_ = result.dump();
    line_ += '\n';
    write(results_, line_, "result.jsonl");

    nlohmann::json flat = nlohmann::json::object();
    flatten_json(result, "", flat);
    line_.clear();
    if (csv_columns_.empty()) { // the first result fixes the columns, as Ray's CSV logger does
        for (const auto &item : flat.items()) {
            csv_columns_.push_back(item.key());
            line_ += (line_.empty() ? "" : ",") + csv_field(item.key());
        }
        line_ += '\n';
    }
    for (std::size_t i = 0; i < csv_columns_.size(); ++i) {
        if (i) line_ += ',';
        auto it = flat.find(csv_columns_[i]);
        if (it != flat.end()) line_ += csv_field(*it);
    }
    line_ += '\n';
    write(progress_, line_, "progress.csv");
}

void TrialLogger::log_decision(long long iteration, const std::string &decision, const nlohmann::json &detail) {
    line_ = nlohmann::json{{"training_iteration", iteration}, {"decision", decision}, {"detail", detail}}.dump();
    line_ += '\n';
    write(decisions_, line_, "decisions.jsonl");
}

void TrialLogger::flush() {
    for (std::FILE *file : {results_, progress_, decisions_})
        if (std::fflush(file) != 0)
            throw std::runtime_error("cannot write trial logs in " + dir_.string() + ": " + std::strerror(errno));
}

} // namespace tune::core
