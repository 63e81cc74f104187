// tune/result_writer.h, the C helper that writes a result object: what it writes must parse as
// JSON (nlohmann-json, as the host reads it) with the same values, strings escaped, and null
// for NaN and infinities.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "tune/result_writer.h"

using nlohmann::json;

namespace {

void append_to_string(void *ctx, const char *data, std::size_t size) {
    static_cast<std::string *>(ctx)->append(data, size);
}

// A sink over a std::string, as the host's would be.
struct StringSink {
    std::string text;
    tune_text_out_t out{&text, &append_to_string};
};

} // namespace

TEST_CASE("result writer: numbers and integers and booleans and strings read back as written", "[sdk][result_writer]") {
    StringSink sink;
    tune_result_writer_t r = tune_result_begin(&sink.out);
    tune_result_number(&r, "loss", 0.1);
    tune_result_number(&r, "third", 1.0 / 3.0);
    tune_result_number(&r, "tiny", 5e-324);
    tune_result_number(&r, "huge", std::numeric_limits<double>::max());
    tune_result_number(&r, "negative_zero", -0.0);
    tune_result_integer(&r, "iteration", INT64_MIN);
    tune_result_integer(&r, "count", 42);
    tune_result_bool(&r, "done", 1);
    tune_result_bool(&r, "stale", 0);
    tune_result_string(&r, "model", "resnet");
    tune_result_end(&r);
    INFO(sink.text);
    json parsed = json::parse(sink.text);
    REQUIRE(parsed.is_object());
    CHECK(parsed.size() == 10);
    CHECK(parsed["loss"].get<double>() == 0.1);
    CHECK(parsed["third"].get<double>() == 1.0 / 3.0);
    CHECK(parsed["tiny"].get<double>() == 5e-324);
    CHECK(parsed["huge"].get<double>() == std::numeric_limits<double>::max());
    CHECK(parsed["negative_zero"].get<double>() == 0.0);
    CHECK(parsed["iteration"].get<std::int64_t>() == INT64_MIN);
    CHECK(parsed["count"] == 42);
    CHECK(parsed["done"] == true);
    CHECK(parsed["stale"] == false);
    CHECK(parsed["model"] == "resnet");
    // The shortest text that reads back: 0.1, not 0.10000000000000001.
    CHECK(sink.text.find("\"loss\":0.1,") != std::string::npos);
}

TEST_CASE("result writer: NaN and infinities are written as null", "[sdk][result_writer]") {
    StringSink sink;
    tune_result_writer_t r = tune_result_begin(&sink.out);
    tune_result_number(&r, "nan", std::numeric_limits<double>::quiet_NaN());
    tune_result_number(&r, "inf", std::numeric_limits<double>::infinity());
    tune_result_number(&r, "minus_inf", -std::numeric_limits<double>::infinity());
    tune_result_number(&r, "loss", 2.5);
    tune_result_end(&r);
    CHECK(sink.text == R"({"nan":null,"inf":null,"minus_inf":null,"loss":2.5})");
    json parsed = json::parse(sink.text);
    CHECK(parsed["nan"].is_null());
    CHECK(parsed["inf"].is_null());
    CHECK(parsed["minus_inf"].is_null());
}

TEST_CASE("result writer: keys and strings are escaped so that any text reads back", "[sdk][result_writer]") {
    const std::string nasty = "quote \" backslash \\ slash / newline \n tab \t return \r bell \x07 del \x7f "
                              "unit \x1f utf-8 \xc3\xa9\xe2\x82\xac";
    StringSink sink;
    tune_result_writer_t r = tune_result_begin(&sink.out);
    tune_result_string(&r, nasty.c_str(), nasty.c_str());
    tune_result_string(&r, "empty", "");
    tune_result_string(&r, "absent", nullptr);
    tune_result_end(&r);
    INFO(sink.text);
    json parsed = json::parse(sink.text);
    CHECK(parsed[nasty] == nasty);
    CHECK(parsed["empty"] == "");
    CHECK(parsed["absent"].is_null());
    CHECK(sink.text.find("\\u0007") != std::string::npos);
    CHECK(sink.text.find('\n') == std::string::npos);
}

TEST_CASE("result writer: an empty object closes at once and a NULL key or a NULL sink writes nothing",
          "[sdk][result_writer]") {
    StringSink sink;
    tune_result_writer_t r = tune_result_begin(&sink.out);
    tune_result_end(&r);
    CHECK(sink.text == "{}");

    StringSink skipped;
    r = tune_result_begin(&skipped.out);
    tune_result_number(&r, nullptr, 1.0);
    tune_result_number(&r, "kept", 1.0);
    tune_result_end(&r);
    CHECK(skipped.text == R"({"kept":1})");

    r = tune_result_begin(nullptr);
    tune_result_number(&r, "loss", 1.0);
    tune_result_end(&r); // no crash, nothing to write to
    tune_text_out_t no_append{nullptr, nullptr};
    r = tune_result_begin(&no_append);
    tune_result_string(&r, "a", "b");
    tune_result_end(&r);
}
