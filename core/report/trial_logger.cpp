#include "core/report/trial_logger.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "core/report/json_text.hpp"
#include "core/state/experiment_errors.hpp"

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

void append_csv_field(std::string &line, const nlohmann::json &value) {
    if (value.is_number() || value.is_boolean()) return append_json_value(line, value); // never quoted
    if (value.is_null()) return;
    const std::string dumped = value.is_string() ? std::string() : value.dump();
    const std::string &text = value.is_string() ? value.get_ref<const std::string &>() : dumped;
    if (text.find_first_of(",\"\n") == std::string::npos) {
        line += text;
        return;
    }
    line += '"';
    for (char c : text) {
        if (c == '"') line += '"';
        line += c;
    }
    line += '"';
}

std::string csv_field(const nlohmann::json &value) {
    std::string field;
    append_csv_field(field, value);
    return field;
}

namespace {

std::vector<std::string> read_lines(const fs::path &file) {
    std::vector<std::string> lines;
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);) lines.push_back(std::move(line));
    return lines;
}

// How many leading lines are whole JSON objects with a training_iteration, at most `limit`.
std::size_t whole_lines(const std::vector<std::string> &lines, std::size_t limit) {
    std::size_t kept = 0;
    for (const auto &line : lines) {
        if (kept == limit) break;
        const auto value = nlohmann::json::parse(line, nullptr, false);
        if (value.is_discarded() || !value.is_object() || !value.contains("training_iteration") ||
            !value["training_iteration"].is_number())
            break;
        ++kept;
    }
    return kept;
}

// How many leading decisions extent keeps: all up to its last EXPLOIT row, then those through
// its last_iteration.
std::size_t decisions_kept(const std::vector<std::string> &lines, const LogExtent &extent) {
    std::size_t kept = 0, exploits = 0;
    for (const auto &line : lines) {
        const auto value = nlohmann::json::parse(line, nullptr, false);
        if (value.is_discarded() || !value.is_object() || !value.contains("training_iteration") ||
            !value["training_iteration"].is_number())
            break;
        const bool exploit = value.value("decision", "") == "EXPLOIT";
        if (exploits == extent.exploits &&
            (exploit || value["training_iteration"].get<long long>() > extent.last_iteration))
            break;
        exploits += exploit;
        ++kept;
    }
    return kept;
}

void rewrite(const fs::path &file, const std::vector<std::string> &lines, std::size_t count) {
    const fs::path temporary = file.string() + ".tmp";
    {
        std::ofstream out(temporary, std::ios::trunc);
        for (std::size_t i = 0; i < count && i < lines.size(); ++i) out << lines[i] << '\n';
        if (!out.flush()) throw DiskError("cannot write " + temporary.string());
    }
    std::error_code ec;
    fs::rename(temporary, file, ec);
    if (ec) throw DiskError("cannot replace " + file.string() + ": " + ec.message());
}

} // namespace

void truncate_trial_logs(const fs::path &dir, const LogExtent &extent) {
    std::error_code ec;
    if (!fs::exists(dir / "result.jsonl", ec)) return;
    const auto results = read_lines(dir / "result.jsonl");
    const std::size_t kept = whole_lines(results, extent.results);
    if (kept < results.size()) rewrite(dir / "result.jsonl", results, kept);
    // progress.csv has a header, then one row per result line.
    if (fs::exists(dir / "progress.csv", ec)) {
        if (kept == 0) {
            fs::remove(dir / "progress.csv", ec); // the next first result writes the header again
        } else {
            const auto rows = read_lines(dir / "progress.csv");
            if (rows.size() > kept + 1) rewrite(dir / "progress.csv", rows, kept + 1);
        }
    }
    if (fs::exists(dir / "decisions.jsonl", ec)) {
        const auto decisions = read_lines(dir / "decisions.jsonl");
        const std::size_t kept_decisions = decisions_kept(decisions, extent);
        if (kept_decisions < decisions.size()) rewrite(dir / "decisions.jsonl", decisions, kept_decisions);
    }
}

TrialLogger::TrialLogger(const fs::path &dir, const nlohmann::json &config) : dir_(dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw DiskError("cannot create trial folder " + dir.string() + ": " + ec.message());
    {
        std::ofstream params(dir / "params.json");
        params << config.dump(2) << "\n";
        if (!params.flush()) throw DiskError("cannot write " + (dir / "params.json").string());
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
        column_fields_.assign(csv_columns_.size(), 0);
    }
    results_ = open(dir / "result.jsonl");
    progress_ = open(dir / "progress.csv");
    // decisions.jsonl is opened on the first decision: a scheduler with nothing to say (FIFO)
    // costs no file, which matters with thousands of short trials.
}

TrialLogger::~TrialLogger() {
    for (std::FILE *file : {results_, progress_, decisions_})
        if (file) std::fclose(file);
}

std::FILE *TrialLogger::open(const fs::path &file) {
    std::FILE *handle = std::fopen(file.c_str(), "a");
    if (!handle) throw DiskError("cannot open " + file.string() + ": " + std::strerror(errno));
    std::setvbuf(handle, nullptr, _IOFBF, 1 << 16);
    return handle;
}

void TrialLogger::write(std::FILE *file, const std::string &text, const char *name) {
    if (std::fwrite(text.data(), 1, text.size(), file) != text.size())
        throw DiskError("cannot write " + (dir_ / name).string() + ": " + std::strerror(errno));
}

void TrialLogger::log_result(const ResultLine &result) {
    line_ = result.text();
    line_ += '\n';
    write(results_, line_, "result.jsonl");
    line_.clear();
    if (result.is_flat()) append_flat_row(result);
    else append_row(result.value());
    write(progress_, line_, "progress.csv");
}

void TrialLogger::append_header(std::vector<std::string> columns) {
    // The first result fixes the columns, as Ray's CSV logger does; in the order of a JSON
    // object's keys, whichever way the result was read.
    std::sort(columns.begin(), columns.end());
    for (const auto &column : columns) {
        if (!line_.empty()) line_ += ',';
        append_csv_field(line_, column);
    }
    line_ += '\n';
    csv_columns_ = std::move(columns);
    column_fields_.assign(csv_columns_.size(), 0);
}

void TrialLogger::append_flat_row(const ResultLine &result) {
    const std::string &text = result.text();
    const auto &fields = result.fields();
    if (csv_columns_.empty()) {
        std::vector<std::string> keys;
        for (const FlatField &field : fields) keys.emplace_back(field.key(text));
        append_header(std::move(keys));
    }
    for (std::size_t i = 0; i < csv_columns_.size(); ++i) {
        if (i) line_ += ',';
        // Results nearly always list the same keys in the same order: try the field that
        // matched this column last time before searching.
        std::size_t &guess = column_fields_[i];
        if (guess >= fields.size() || fields[guess].key(text) != csv_columns_[i]) {
            guess = fields.size();
            for (std::size_t f = 0; f < fields.size(); ++f)
                if (fields[f].key(text) == csv_columns_[i]) guess = f;
            if (guess == fields.size()) continue; // not in this result: an empty cell
        }
        const FlatField &field = fields[guess];
        const std::string_view value = field.value(text);
        if (field.kind == FlatField::Kind::String && value.find_first_of(",\"") != std::string_view::npos)
            append_csv_field(line_, std::string(value)); // quoted
        else if (field.kind != FlatField::Kind::Null)
            line_ += value; // numbers and booleans as written; plain strings need no quotes
    }
    line_ += '\n';
}

void TrialLogger::append_row(const nlohmann::json &result) {
    // Nested objects become "a/b" columns.
    const bool nested = std::any_of(result.begin(), result.end(), [](const auto &v) { return v.is_object(); });
    nlohmann::json flattened;
    if (nested) {
        flattened = nlohmann::json::object();
        flatten_json(result, "", flattened);
    }
    const nlohmann::json &flat = nested ? flattened : result;
    if (csv_columns_.empty()) {
        std::vector<std::string> keys;
        for (const auto &item : flat.items()) keys.push_back(item.key());
        append_header(std::move(keys));
    }
    for (std::size_t i = 0; i < csv_columns_.size(); ++i) {
        if (i) line_ += ',';
        auto it = flat.find(csv_columns_[i]);
        if (it != flat.end()) append_csv_field(line_, *it);
    }
    line_ += '\n';
}

void TrialLogger::log_decision(long long iteration, const char *decision, const std::string &detail_json) {
    // Assembled as text: this runs once per result, and detail_json is already JSON.
    line_ = "{\"training_iteration\":";
    line_ += std::to_string(iteration);
    line_ += ",\"decision\":\"";
    line_ += decision;
    line_ += "\",\"detail\":";
    line_ += detail_json.empty() ? "{}" : detail_json;
    line_ += "}\n";
    if (!decisions_) decisions_ = open(dir_ / "decisions.jsonl");
    write(decisions_, line_, "decisions.jsonl");
}

void TrialLogger::flush() {
    for (std::FILE *file : {results_, progress_, decisions_})
        if (file && std::fflush(file) != 0)
            throw DiskError("cannot write trial logs in " + dir_.string() + ": " + std::strerror(errno));
}

} // namespace tune::core
