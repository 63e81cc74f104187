// The worker side of the protocol: runs trials of one trainable plugin in this process.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "core/plugin/plugin_library.hpp"
#include "core/plugin/trainable_adapter.hpp"
#include "core/worker/message.hpp"

namespace tune::core {

// Answers one host message at a time. Keeps the trainable instance between trials and
// reuses it through reset() when the plugin supports it, because loading a library such
// as LibTorch costs far more than a trial start should. Single-threaded.
//
// The host may queue several Steps ahead (fast trials); a trainable that reports "done"
// is never stepped past that result, so that the final checkpoint the host asks for next
// holds the state that produced it: the Steps still queued are answered with Skipped.
class TrialRunner {
public:
    // Handles a host message and returns the reply (Ok, Result or Error). Never throws for
    // plugin or protocol errors: they become Error replies. Shutdown is the caller's job.
    Message handle(const Message &request);

private:
    Message start_trial(const std::string &payload);
    // The trial ended, or failed: the trainable ends what it runs between calls.
    Message end_trial();
    // The running trial's new thread count. Always Ok: a trainable that cannot take it keeps
    // its count, and an error is only logged, since the trial can go on either way.
    Message update_context(const std::string &payload);
    void ensure_instance(const std::filesystem::path &library, const std::string &plugin_id);

    std::shared_ptr<PluginLibrary> library_;
    std::string plugin_id_;
    std::unique_ptr<TrainableAdapter> trainable_;
    bool has_trial_ = false;
    TrialContextArgs context_; // the running trial's, as last given to the trainable
    bool reported_done_ = false; // the trial's last result said "done": true
};

} // namespace tune::core
