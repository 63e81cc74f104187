// The framing of the host <-> worker protocol.
#include <catch2/catch.hpp>

#include "core/worker/message.hpp"
#include "tune/types.h"

using namespace tune::core;

TEST_CASE("frames: messages survive any split of the byte stream", "[protocol]") {
    std::vector<Message> sent{{MessageType::StartTrial, R"({"config":{"x":1}})"},
                              {MessageType::Step, ""},
                              {MessageType::Result, std::string(100000, 'r')},
                              {MessageType::Error, R"({"status":2,"message":"bad"})"}};
    std::string stream;
    for (const auto &m : sent) encode_frame(m, stream);

    for (std::size_t chunk : {1u, 3u, 7u, 4096u, 1u << 20}) {
        FrameDecoder decoder;
        std::vector<Message> received;
        for (std::size_t at = 0; at < stream.size(); at += chunk)
            for (auto &m : decoder.feed(std::string_view(stream).substr(at, chunk))) received.push_back(std::move(m));
        INFO("chunk size " << chunk);
        REQUIRE(received.size() == sent.size());
        for (std::size_t i = 0; i < sent.size(); ++i) {
            CHECK(received[i].type == sent[i].type);
            CHECK(received[i].payload == sent[i].payload);
        }
        CHECK_FALSE(decoder.has_partial_frame());
    }
}

TEST_CASE("frames: a partial frame waits for the rest", "[protocol]") {
    std::string stream;
    encode_frame({MessageType::Result, "{\"loss\":1}"}, stream);
    FrameDecoder decoder;
    CHECK(decoder.feed(stream.substr(0, 6)).empty());
    CHECK(decoder.has_partial_frame());
    auto messages = decoder.feed(stream.substr(6));
    REQUIRE(messages.size() == 1);
    CHECK(messages[0].payload == "{\"loss\":1}");
}

TEST_CASE("frames: corrupt lengths and types are rejected", "[protocol]") {
    FrameDecoder oversized;
    CHECK_THROWS_WITH(oversized.feed(std::string("\xff\xff\xff\xff\x42", 5)), Catch::Contains("payload length 4294967295 is over the protocol's 268435456-byte limit"));
    FrameDecoder unknown;
    CHECK_THROWS_WITH(unknown.feed(std::string("\x00\x00\x00\x00\x63", 5)), Catch::Contains("unknown message type"));
}

TEST_CASE("protocol: a StartTrial request round-trips through its JSON", "[protocol]") {
    const StartTrialRequest request{"/lib/plugin.so", "org.x.trainable", {{"lr", 0.1}}, "00004", "/exp/trial_00004",
                                    3, 0.25, 99, "/exp/trial_00004/checkpoint_000002"};
    const Message message = encode_start_trial(request);
    CHECK(message.type == MessageType::StartTrial);
    const StartTrialRequest back = decode_start_trial(message.payload);
    CHECK(back.library == request.library);
    CHECK(back.plugin_id == request.plugin_id);
    CHECK(back.config == request.config);
    CHECK(back.trial_id == request.trial_id);
    CHECK(back.trial_dir == request.trial_dir);
    CHECK(back.num_cpus == 3);
    CHECK(back.num_gpus == 0.25);
    CHECK(back.seed == 99);
    CHECK(back.restore_from == request.restore_from);
    // A fresh start sends restore_from null, and reads back as "".
    StartTrialRequest fresh = request;
    fresh.restore_from.clear();
    CHECK(nlohmann::json::parse(encode_start_trial(fresh).payload)["restore_from"].is_null());
    CHECK(decode_start_trial(encode_start_trial(fresh).payload).restore_from.empty());
    CHECK_THROWS_AS(decode_start_trial(R"({"library":"x"})"), nlohmann::json::exception);
    nlohmann::json payload = nlohmann::json::parse(encode_start_trial(fresh).payload);
    payload["context"]["num_cpus"] = -1;
    CHECK_THROWS_WITH(decode_start_trial(payload.dump()), Catch::Contains("StartTrial: num_cpus must be a whole number"));
    payload["context"]["num_cpus"] = 1;
    payload["config"] = 3;
    CHECK_THROWS_WITH(decode_start_trial(payload.dump()), Catch::Contains("config must be a JSON object"));
}

TEST_CASE("protocol: checkpoint requests and error replies", "[protocol]") {
    const Message save = checkpoint_request(MessageType::Save, "/exp/ckpt");
    CHECK(save.type == MessageType::Save);
    CHECK(decode_checkpoint_dir(save.payload) == "/exp/ckpt");
    const ErrorReply error = decode_error(encode_error(TUNE_ERROR_IO, "disk full").payload);
    CHECK(error.status == TUNE_ERROR_IO);
    CHECK(error.message == "disk full");
    // A reply that does not follow the schema is still shown, as an internal error.
    CHECK(decode_error("oops").status == TUNE_ERROR_INTERNAL);
    CHECK(decode_error("oops").message == "oops");
    CHECK(decode_error(R"({"status":"x","message":"m"})").status == TUNE_ERROR_INTERNAL);
}

TEST_CASE("protocol: UpdateContext carries a thread count of at least one", "[protocol]") {
    const Message update = update_context_request(3);
    CHECK(update.type == MessageType::UpdateContext);
    CHECK(decode_update_context(update.payload) == 3);
    // Counts out of range are refused, never wrapped (found by tests/fuzz/worker_requests_fuzzer).
    for (const char *count : {"0", "-1", "10000000000", "70000", "2.5", "\"2\""})
        CHECK_THROWS_WITH(decode_update_context(std::string(R"({"num_cpus":)") + count + "}"),
                          Catch::Contains("num_cpus must be a whole number from 1 to 65536, got " + std::string(count)));
    CHECK_THROWS(decode_update_context(R"({"threads":2})"));
    // The type is known to the frame reader.
    std::string bytes;
    encode_frame(update, bytes);
    FrameDecoder decoder;
    const auto messages = decoder.feed(bytes);
    REQUIRE(messages.size() == 1);
    CHECK(messages[0].type == MessageType::UpdateContext);
}
