// The framing of the host <-> worker protocol.
#include <catch2/catch.hpp>

#include "core/worker/message.hpp"

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
    CHECK_THROWS_WITH(oversized.feed(std::string("\xff\xff\xff\xff\x42", 5)), Catch::Contains("payload length"));
    FrameDecoder unknown;
    CHECK_THROWS_WITH(unknown.feed(std::string("\x00\x00\x00\x00\x63", 5)), Catch::Contains("unknown message type"));
}
