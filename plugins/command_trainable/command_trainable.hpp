// org.tune.command: a trial is a run of the user's program (docs/command-trainable.md). The
// program gets its config as arguments, a JSON file and environment variables, prints one line
// per result ("tune-result {json}"), and writes a checkpoint folder under
// $TUNE_CHECKPOINT_DIR before the result line that names it, so that a checkpoint always
// belongs to the result it follows even when the program trains ahead.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "child_process.hpp"
#include "command_spec.hpp"
#include "tune/plugin.hpp"

namespace tune::command {

class CommandTrainable final : public Trainable {
public:
    static constexpr const char *id = "org.tune.command";
    static constexpr const char *version = "1.0.0";
    static constexpr const char *description =
        "Runs a program per trial: config as {placeholders}, a JSON file and TUNE_* variables in, "
        "'tune-result {json}' lines out, checkpoints as folders the result lines name";
    // A POSIX shell loop that speaks the protocol: a loss curve for the rate in its last
    // argument, one checkpoint folder per epoch, and a restore that continues from it ({{ and
    // }} are literal braces: single ones would be placeholders).
    static constexpr const char *example_config = R"({"command": {"argv": ["/bin/sh", "-c",
        "e=0; if [ -n \"$TUNE_RESTORE_DIR\" ]; then e=$(cat \"$TUNE_RESTORE_DIR/epoch\"); fi; while [ $e -lt 100 ]; do e=$((e + 1)); mkdir -p \"$TUNE_CHECKPOINT_DIR/e$e\" && echo $e > \"$TUNE_CHECKPOINT_DIR/e$e/epoch\"; printf 'tune-result {{\"loss\": %s, \"checkpoint\": \"e%s\"}}\\n' $(awk -v r=\"$1\" -v e=$e 'BEGIN {{ print 1 / (1 + r * e) }}') $e; done",
        "sh", "0.5"]}})";

    ~CommandTrainable() override;

    void setup(const Json &config, const TrialContext &context) override;
    // The program's next result line. Starts the program on the first call (continuing from the
    // checkpoint restore() named). {"done": true} alone once it exited with status 0 after its
    // last result. Throws naming the line for a malformed result line, and with the exit status
    // and the last lines of its output when it failed.
    Json step() override;
    // Moves the checkpoint folder named by the latest result into checkpoint_dir.
    void save(const std::string &checkpoint_dir) override;
    void restore(const std::string &checkpoint_dir) override;
    bool reset(const Json &config, const TrialContext &context) override;
    // Ends the program (SIGTERM to its process group, SIGKILL after stop_grace_s).
    void end_trial() override;

private:
    void start();
    std::vector<std::string> environment() const;
    Json result_of(const std::string &line, const std::string &payload);
    [[noreturn]] void fail_on_exit(int status);
    void drop_unsaved_checkpoint();

    CommandSpec spec_;
    Json config_;
    TrialContext context_;
    std::filesystem::path output_log_;          // the program's stderr and other stdout lines
    std::filesystem::path checkpoints_;         // TUNE_CHECKPOINT_DIR
    std::string restore_dir_;                   // TUNE_RESTORE_DIR for the next start
    std::unique_ptr<ChildProcess> child_;
    std::filesystem::path latest_checkpoint_;   // named by the latest result and not saved yet
    long long line_ = 0;                        // lines of stdout read from this run of the program
    long long results_ = 0;                     // results read in this trial, over every run
    bool exited_ = false;                       // the program ended with status 0
};

} // namespace tune::command
