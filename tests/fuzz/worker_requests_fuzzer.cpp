// libFuzzer harness: the bytes the host sends a worker (its request pipe), through the frame
// decoder and the worker's decoding of each request. The worker answers a request it cannot
// decode with an Error reply: a corrupt frame (std::runtime_error) or a payload that is not
// the schema's (nlohmann::json::exception, std::invalid_argument). Anything else escaping is a
// finding.
#include <cstdint>
#include <string_view>

#include "core/worker/message.hpp"

using namespace tune::core;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    FrameDecoder decoder;
    try {
        for (const Message &message : decoder.feed(std::string_view(reinterpret_cast<const char *>(data), size))) {
            try {
                switch (message.type) {
                case MessageType::StartTrial: (void)decode_start_trial(message.payload); break;
                case MessageType::Save:
                case MessageType::Evaluate: (void)decode_checkpoint_dir(message.payload); break;
                case MessageType::UpdateContext: (void)decode_update_context(message.payload); break;
                default: break;
                }
            } catch (const nlohmann::json::exception &) {
            } catch (const std::invalid_argument &) {
            }
        }
    } catch (const std::runtime_error &) { // a corrupt frame
    }
    return 0;
}
