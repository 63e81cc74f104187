// libFuzzer harness: the bytes a worker sends the host (its reply pipe), through the frame
// decoder and the host's decoding of each reply: Error replies, and Result payloads as the
// host annotates them (ResultAnnotator: a trainable's result). A corrupt frame is a
// std::runtime_error and InvalidResult a trainable's bad result, both answered by failing
// the trial; anything else escaping is a finding.
#include <cstdint>
#include <string_view>

#include "core/engine/result_annotator.hpp"
#include "core/worker/message.hpp"

using namespace tune::core;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    FrameDecoder decoder;
    try {
        // Two feeds split mid-stream, as reads from a pipe arrive.
        const std::string_view bytes(reinterpret_cast<const char *>(data), size);
        auto messages = decoder.feed(bytes.substr(0, size / 2));
        auto rest = decoder.feed(bytes.substr(size / 2));
        messages.insert(messages.end(), rest.begin(), rest.end());
        for (const Message &message : messages) {
            if (message.type == MessageType::Error) {
                (void)decode_error(message.payload);
            } else if (message.type == MessageType::Result) {
                try {
                    HostFields fields;
                    fields.training_iteration = 3;
                    fields.trial_id = "00001";
                    ResultAnnotator annotator(message.payload, fields);
                    (void)annotator.number("loss");
                    ResultLine line = annotator.finish(annotator.trainable_done());
                    (void)line.value();
                    (void)ResultLine::from_text(line.text()); // as a saved state reads it back
                } catch (const InvalidResult &) {
                }
            }
        }
    } catch (const std::runtime_error &) { // a corrupt frame
    }
    return 0;
}
