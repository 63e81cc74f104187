#include "command_trainable.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <deque>
#include <fstream>

extern char **environ;

namespace tune::command {

namespace fs = std::filesystem;

namespace {

// The last lines of file, each cut to 160 characters: an error message holds 1,024 bytes.
std::string tail_of(const fs::path &file, std::size_t count) {
    std::ifstream in(file);
    std::deque<std::string> lines;
    for (std::string line; std::getline(in, line);) {
        if (line.size() > 160) line = line.substr(0, 157) + "...";
        lines.push_back(std::move(line));
        if (lines.size() > count) lines.pop_front();
    }
    std::string text;
    for (const auto &line : lines) text += "\n  " + line;
    return text;
}

std::string shown(const std::string &line) { return line.size() > 200 ? line.substr(0, 197) + "..." : line; }

void append_line(const fs::path &file, const std::string &line) {
    std::ofstream out(file, std::ios::app);
    out << line << '\n';
    if (!out) throw IoError("cannot write " + file.string());
}

// Moves folder from into the empty folder to; copies where a rename cannot (another filesystem).
void move_folder(const fs::path &from, const fs::path &to) {
    std::error_code ec;
    fs::rename(from, to, ec);
    if (!ec) return;
    fs::copy(from, to, fs::copy_options::recursive | fs::copy_options::overwrite_existing, ec);
    if (ec) throw IoError("cannot move the program's checkpoint " + from.string() + " to " + to.string() + ": " +
                          ec.message());
    fs::remove_all(from, ec);
}

} // namespace

CommandTrainable::~CommandTrainable() { end_trial(); }

void CommandTrainable::setup(const Json &config, const TrialContext &context) {
    spec_ = CommandSpec::parse(config);
    config_ = config;
    context_ = context;
    output_log_ = fs::path(context.trial_dir) / "output.log";
    checkpoints_ = fs::path(context.trial_dir) / "program_checkpoints";
    restore_dir_.clear();
    results_ = 0;
    exited_ = false;
}

bool CommandTrainable::reset(const Json &config, const TrialContext &context) {
    end_trial();
    setup(config, context);
    return true;
}

void CommandTrainable::restore(const std::string &checkpoint_dir) {
    end_trial(); // a program already running continues from elsewhere: start it again
    restore_dir_ = checkpoint_dir;
    exited_ = false;
}

void CommandTrainable::end_trial() {
    if (child_) {
        child_->terminate(std::chrono::duration<double>(spec_.stop_grace_s));
        child_.reset();
    }
    drop_unsaved_checkpoint();
}

void CommandTrainable::drop_unsaved_checkpoint() {
    if (latest_checkpoint_.empty()) return;
    std::error_code ec;
    fs::remove_all(latest_checkpoint_, ec);
    latest_checkpoint_.clear();
}

std::vector<std::string> CommandTrainable::environment() const {
    std::vector<std::string> env;
    const auto is_set_here = [&](const std::string &entry) {
        const std::string name = entry.substr(0, entry.find('='));
        if (name.rfind("TUNE_", 0) == 0) return true;
        for (const auto &[key, value] : spec_.env)
            if (key == name) return true;
        return false;
    };
    for (char **e = environ; e && *e; ++e)
        if (!is_set_here(*e)) env.emplace_back(*e);
    env.push_back("TUNE_TRIAL_ID=" + context_.trial_id);
    env.push_back("TUNE_TRIAL_DIR=" + context_.trial_dir);
    env.push_back("TUNE_CHECKPOINT_DIR=" + checkpoints_.string());
    if (!restore_dir_.empty()) env.push_back("TUNE_RESTORE_DIR=" + restore_dir_);
    if (spec_.config_file) env.push_back("TUNE_CONFIG_FILE=" + (fs::path(context_.trial_dir) / "config.json").string());
    env.push_back("TUNE_RESULT_PREFIX=" + spec_.result_prefix);
    env.push_back("TUNE_SEED=" + std::to_string(context_.seed));
    env.push_back("TUNE_NUM_CPUS=" + std::to_string(context_.num_cpus));
    for (const auto &[key, value] : spec_.env) env.push_back(key + "=" + value);
    return env;
}

void CommandTrainable::start() {
    const Json program = program_config(config_);
    std::error_code ec;
    fs::remove_all(checkpoints_, ec); // what an earlier run left is no checkpoint of this one
    fs::create_directories(checkpoints_, ec);
    if (ec) throw IoError("cannot create " + checkpoints_.string() + ": " + ec.message());
    if (spec_.config_file) {
        const fs::path file = fs::path(context_.trial_dir) / "config.json";
        std::ofstream out(file);
        out << program.dump(2) << '\n';
        if (!out) throw IoError("cannot write " + file.string());
    }
    ChildLaunch launch{expand_placeholders(spec_.argv, program), spec_.working_dir, environment(),
                       output_log_.string()};
    try {
        child_ = std::make_unique<ChildProcess>(launch);
    } catch (const std::runtime_error &e) {
        throw ConfigError(std::string(e.what()) + " (command.argv, working_dir " +
                          (spec_.working_dir.empty() ? fs::current_path().string() : spec_.working_dir) + ")");
    }
    line_ = 0;
    exited_ = false;
}

Json CommandTrainable::step() {
    if (exited_) return Json{{"done", true}};
    if (!child_) start();
    for (;;) {
        std::optional<std::string> line = child_->read_line();
        if (!line) {
            const int status = child_->wait();
            child_.reset();
            if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) fail_on_exit(status);
            // A run that continues a checkpoint may have had nothing left to do: the trial's
            // results came before the checkpoint.
            if (results_ == 0 && restore_dir_.empty())
                throw Error(TUNE_ERROR_INTERNAL, "the program exited with status 0 before its first '" +
                                                     spec_.result_prefix + " {json}' line; its output ends:" +
                                                     tail_of(output_log_, 5));
            exited_ = true;
            return Json{{"done", true}}; // the host ends the trial with the previous result
        }
        ++line_;
        const std::string &prefix = spec_.result_prefix;
        const bool is_result = line->compare(0, prefix.size(), prefix) == 0 &&
                               (line->size() == prefix.size() || (*line)[prefix.size()] == ' ' ||
                                (*line)[prefix.size()] == '\t');
        if (is_result) return result_of(*line, line->substr(prefix.size()));
        append_line(output_log_, *line);
    }
}

Json CommandTrainable::result_of(const std::string &line, const std::string &payload) {
    const auto refuse = [&](const std::string &why) -> Error {
        return Error(TUNE_ERROR_INVALID_ARGUMENT,
                     "line " + std::to_string(line_) + " of the program's standard output " + why + ": " + shown(line));
    };
    Json result = Json::parse(payload, nullptr, false);
    if (!result.is_object())
        throw refuse("starts with '" + spec_.result_prefix + "' but is not followed by a JSON object");
    // A result supersedes the checkpoint of the one before: it is no longer the trial's state.
    drop_unsaved_checkpoint();
    if (auto named = result.find("checkpoint"); named != result.end()) {
        if (!named->is_string() || named->get<std::string>().empty())
            throw refuse("names its checkpoint with something other than a folder name");
        const fs::path folder = named->get<std::string>();
        if (folder.is_absolute() || folder.lexically_normal().string().rfind("..", 0) == 0)
            throw refuse("names a checkpoint outside $TUNE_CHECKPOINT_DIR");
        const fs::path dir = checkpoints_ / folder;
        std::error_code ec;
        if (!fs::is_directory(dir, ec))
            throw refuse("names the checkpoint '" + folder.string() + "', which is no folder in " +
                         checkpoints_.string() + " (write it before the line)");
        latest_checkpoint_ = dir;
        result.erase(named);
    }
    ++results_;
    return result;
}

void CommandTrainable::fail_on_exit(int status) {
    throw Error(TUNE_ERROR_INTERNAL, "the program " + ChildProcess::describe_status(status) + " after " +
                                         std::to_string(line_) + " lines of output; its output ends:" +
                                         tail_of(output_log_, 5));
}

void CommandTrainable::save(const std::string &checkpoint_dir) {
    if (latest_checkpoint_.empty())
        throw Error(TUNE_ERROR_STATE,
                    "a checkpoint was asked for after result " + std::to_string(results_) +
                        ", but that result line named none: write a folder in $TUNE_CHECKPOINT_DIR before the "
                        "line and name it there (\"checkpoint\": \"<folder>\"), or set [checkpoint] frequency to "
                        "the results that do");
    move_folder(latest_checkpoint_, checkpoint_dir);
    latest_checkpoint_.clear();
}

} // namespace tune::command

TUNE_PLUGIN_LIBRARY(tune::command::CommandTrainable);
