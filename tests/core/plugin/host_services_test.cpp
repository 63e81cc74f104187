// The host's typed config reads (tune_host_t.config_number, ..., ABI 1.5), called through the
// tune_host_t a plugin gets: values by key path, defaults, and the C++ SDK's messages.
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <string>

#include "core/plugin/host_services.hpp"
#include "tune/entry.h"
#include "tune/sdk/common.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::Equals;

namespace {

const tune_host_t &host() { return *tune::core::host_services(); }

const char *const kConfig = R"({"lr": 0.01, "epochs": 20, "name": "resnet \"18\"", "verbose": true,
                               "optimizer": {"lr": 0.5, "betas": {"beta1": 0.9}, "kind": "adam"},
                               "big": 18446744073709551615, "ratio": 2.5, "nothing": null})";

// The status and message of a call that should fail; the error is pre-filled to see it written.
struct Failure {
    tune_status_t status;
    std::string message;
};

template <class Call> Failure failure_of(Call &&call) {
    tune_error_t error;
    std::strcpy(error.message, "untouched");
    tune_status_t status = call(&error);
    return {status, error.message};
}

// What the C++ SDK says for the same read, to hold the host to the same words.
template <class T> std::string sdk_message(const char *config, const std::string &key) {
    try {
        tune::require<T>(tune::Json::parse(config), key);
    } catch (const tune::ConfigError &e) {
        return e.what();
    }
    return "(no error)";
}

} // namespace

TEST_CASE("host services: the 1.5 host struct has the typed config reads", "[host_services]") {
    CHECK(host().struct_size == sizeof(tune_host_t));
    CHECK(TUNE_STRUCT_HAS_FIELD(&host(), tune_host_t, config_number));
    CHECK(TUNE_STRUCT_HAS_FIELD(&host(), tune_host_t, config_bool));
    CHECK(host().struct_size >= TUNE_HOST_SIZE_1_5);
    CHECK(host().config_number);
    CHECK(host().config_integer);
    CHECK(host().config_string);
    CHECK(host().config_bool);
    CHECK(TUNE_ABI_VERSION_MINOR >= 5);
}

TEST_CASE("host services: typed reads at the top level and by nested key path", "[host_services]") {
    tune_error_t error;
    std::strcpy(error.message, "untouched");
    double number = 0;
    REQUIRE(host().config_number(&host(), kConfig, "lr", TUNE_CONFIG_REQUIRED, 0, &number, &error) == TUNE_OK);
    CHECK(number == 0.01);
    REQUIRE(host().config_number(&host(), kConfig, "optimizer.lr", TUNE_CONFIG_REQUIRED, 0, &number, &error) ==
            TUNE_OK);
    CHECK(number == 0.5);
    REQUIRE(host().config_number(&host(), kConfig, "optimizer.betas.beta1", TUNE_CONFIG_REQUIRED, 0, &number,
                                 &error) == TUNE_OK);
    CHECK(number == 0.9);
    // An integer is a number too.
    REQUIRE(host().config_number(&host(), kConfig, "epochs", TUNE_CONFIG_REQUIRED, 0, &number, &error) == TUNE_OK);
    CHECK(number == 20.0);

    std::int64_t integer = 0;
    REQUIRE(host().config_integer(&host(), kConfig, "epochs", TUNE_CONFIG_REQUIRED, 0, &integer, &error) == TUNE_OK);
    CHECK(integer == 20);

    char text[32];
    REQUIRE(host().config_string(&host(), kConfig, "name", TUNE_CONFIG_REQUIRED, nullptr, text, sizeof text,
                                 &error) == TUNE_OK);
    CHECK_THAT(text, Equals("resnet \"18\""));
    REQUIRE(host().config_string(&host(), kConfig, "optimizer.kind", TUNE_CONFIG_OPTIONAL, "sgd", text, sizeof text,
                                 &error) == TUNE_OK);
    CHECK_THAT(text, Equals("adam"));

    std::int32_t flag = 7;
    REQUIRE(host().config_bool(&host(), kConfig, "verbose", TUNE_CONFIG_REQUIRED, 0, &flag, &error) == TUNE_OK);
    CHECK(flag == 1);
    CHECK_THAT(error.message, Equals("untouched")); // success leaves the error alone
}

TEST_CASE("host services: an absent optional key gives the default on any path", "[host_services]") {
    tune_error_t error;
    double number = 0;
    CHECK(host().config_number(&host(), kConfig, "momentum", TUNE_CONFIG_OPTIONAL, 0.9, &number, &error) == TUNE_OK);
    CHECK(number == 0.9);
    // An absent object on the path is an absent key.
    CHECK(host().config_number(&host(), kConfig, "scheduler.gamma", TUNE_CONFIG_OPTIONAL, 0.1, &number, &error) ==
          TUNE_OK);
    CHECK(number == 0.1);
    CHECK(host().config_number(&host(), "{}", "lr", TUNE_CONFIG_OPTIONAL, 0.25, &number, &error) == TUNE_OK);
    CHECK(number == 0.25);

    std::int64_t integer = 0;
    CHECK(host().config_integer(&host(), kConfig, "seed", TUNE_CONFIG_OPTIONAL, -3, &integer, &error) == TUNE_OK);
    CHECK(integer == -3);
    char text[8] = "xxxxxxx";
    CHECK(host().config_string(&host(), kConfig, "data_dir", TUNE_CONFIG_OPTIONAL, "data", text, sizeof text,
                               &error) == TUNE_OK);
    CHECK_THAT(text, Equals("data"));
    CHECK(host().config_string(&host(), kConfig, "data_dir", TUNE_CONFIG_OPTIONAL, nullptr, text, sizeof text,
                               &error) == TUNE_OK);
    CHECK_THAT(text, Equals(""));
    std::int32_t flag = 0;
    CHECK(host().config_bool(&host(), kConfig, "shuffle", TUNE_CONFIG_OPTIONAL, 5, &flag, &error) == TUNE_OK);
    CHECK(flag == 1);
}

TEST_CASE("host services: a missing required key is invalid config naming the key and what was expected",
          "[host_services]") {
    double number = 42;
    Failure missing = failure_of([&](tune_error_t *error) {
        return host().config_number(&host(), kConfig, "optimizer.momentum", TUNE_CONFIG_REQUIRED, 0, &number, error);
    });
    CHECK(missing.status == TUNE_ERROR_INVALID_CONFIG);
    CHECK(missing.message == "config key 'optimizer.momentum' is missing; expected a number");
    CHECK(number == 42); // a failed read leaves *out alone
    // The C++ SDK's words for the same key at the top level.
    Failure top = failure_of([&](tune_error_t *error) {
        return host().config_number(&host(), kConfig, "momentum", TUNE_CONFIG_REQUIRED, 0, &number, error);
    });
    CHECK(top.message == sdk_message<double>(kConfig, "momentum"));

    std::int64_t integer = 0;
    CHECK(failure_of([&](tune_error_t *error) {
              return host().config_integer(&host(), "{}", "batch_size", TUNE_CONFIG_REQUIRED, 0, &integer, error);
          }).message == "config key 'batch_size' is missing; expected an integer");
    char text[8];
    CHECK(failure_of([&](tune_error_t *error) {
              return host().config_string(&host(), "{}", "data_dir", TUNE_CONFIG_REQUIRED, "x", text, sizeof text,
                                          error);
          }).message == "config key 'data_dir' is missing; expected a string");
    std::int32_t flag = 0;
    CHECK(failure_of([&](tune_error_t *error) {
              return host().config_bool(&host(), "{}", "verbose", TUNE_CONFIG_REQUIRED, 0, &flag, error);
          }).message == "config key 'verbose' is missing; expected a boolean");
}

TEST_CASE("host services: a value of the wrong type is invalid config naming the key whether optional or not",
          "[host_services]") {
    double number = 0;
    for (tune_config_presence_t presence : {TUNE_CONFIG_OPTIONAL, TUNE_CONFIG_REQUIRED}) {
        Failure wrong = failure_of([&](tune_error_t *error) {
            return host().config_number(&host(), kConfig, "optimizer.kind", presence, 0, &number, error);
        });
        CHECK(wrong.status == TUNE_ERROR_INVALID_CONFIG);
        CHECK(wrong.message == "config key 'optimizer.kind' must be a number, got string \"adam\"");
    }
    CHECK(failure_of([&](tune_error_t *error) {
              return host().config_number(&host(), kConfig, "name", TUNE_CONFIG_REQUIRED, 0, &number, error);
          }).message == sdk_message<double>(kConfig, "name"));
    CHECK(failure_of([&](tune_error_t *error) {
              return host().config_number(&host(), kConfig, "nothing", TUNE_CONFIG_OPTIONAL, 0, &number, error);
          }).message == "config key 'nothing' must be a number, got null null");
    // An object on the path that is something else names the path up to it.
    Failure not_object = failure_of([&](tune_error_t *error) {
        return host().config_number(&host(), kConfig, "lr.value", TUNE_CONFIG_OPTIONAL, 0, &number, error);
    });
    CHECK(not_object.status == TUNE_ERROR_INVALID_CONFIG);
    CHECK(not_object.message == "config key 'lr' must be an object, got number 0.01");

    std::int64_t integer = 0;
    CHECK(failure_of([&](tune_error_t *error) {
              return host().config_integer(&host(), kConfig, "ratio", TUNE_CONFIG_REQUIRED, 0, &integer, error);
          }).message == sdk_message<long long>(kConfig, "ratio"));
    Failure too_big = failure_of([&](tune_error_t *error) {
        return host().config_integer(&host(), kConfig, "big", TUNE_CONFIG_REQUIRED, 0, &integer, error);
    });
    CHECK(too_big.status == TUNE_ERROR_INVALID_CONFIG);
    CHECK_THAT(too_big.message, Contains("config key 'big' must be an integer that fits in 64 bits"));

    std::int32_t flag = 0;
    CHECK(failure_of([&](tune_error_t *error) {
              return host().config_bool(&host(), kConfig, "epochs", TUNE_CONFIG_OPTIONAL, 0, &flag, error);
          }).message == "config key 'epochs' must be a boolean, got number 20");

    char text[8] = "before";
    Failure long_string = failure_of([&](tune_error_t *error) {
        return host().config_string(&host(), kConfig, "name", TUNE_CONFIG_REQUIRED, nullptr, text, sizeof text, error);
    });
    CHECK(long_string.status == TUNE_ERROR_INVALID_CONFIG);
    CHECK(long_string.message == "config key 'name' must be a string of at most 7 bytes, got 11 bytes");
    CHECK_THAT(text, Equals("before"));
    Failure with_nul = failure_of([&](tune_error_t *error) {
        return host().config_string(&host(), R"({"name": "a\u0000b"})", "name", TUNE_CONFIG_REQUIRED, nullptr, text,
                                    sizeof text, error);
    });
    CHECK(with_nul.status == TUNE_ERROR_INVALID_CONFIG);
    CHECK_THAT(with_nul.message, Contains("config key 'name' must be a string without NUL characters"));
}

TEST_CASE("host services: malformed JSON is an invalid argument and a non-object an invalid config",
          "[host_services]") {
    double number = 0;
    for (const char *text : {"", "{", R"({"lr": })", "not json"}) {
        Failure malformed = failure_of([&](tune_error_t *error) {
            return host().config_number(&host(), text, "lr", TUNE_CONFIG_OPTIONAL, 0, &number, error);
        });
        CHECK(malformed.status == TUNE_ERROR_INVALID_ARGUMENT);
        CHECK_THAT(malformed.message, Contains("config is not valid JSON"));
    }
    Failure array = failure_of([&](tune_error_t *error) {
        return host().config_number(&host(), "[1, 2]", "lr", TUNE_CONFIG_OPTIONAL, 0, &number, error);
    });
    CHECK(array.status == TUNE_ERROR_INVALID_CONFIG);
    CHECK(array.message == "config must be a JSON object, got array");
}

TEST_CASE("host services: NULL or empty arguments and unknown presence values are invalid arguments",
          "[host_services]") {
    double number = 0;
    auto status_of = [&](const char *config, const char *key, tune_config_presence_t presence, double *out) {
        return failure_of([&](tune_error_t *error) {
            return host().config_number(&host(), config, key, presence, 0, out, error);
        });
    };
    CHECK(status_of(nullptr, "lr", TUNE_CONFIG_OPTIONAL, &number).status == TUNE_ERROR_INVALID_ARGUMENT);
    CHECK(status_of(kConfig, nullptr, TUNE_CONFIG_OPTIONAL, &number).status == TUNE_ERROR_INVALID_ARGUMENT);
    CHECK(status_of(kConfig, "", TUNE_CONFIG_OPTIONAL, &number).status == TUNE_ERROR_INVALID_ARGUMENT);
    Failure empty_key = status_of(kConfig, "optimizer..lr", TUNE_CONFIG_OPTIONAL, &number);
    CHECK(empty_key.status == TUNE_ERROR_INVALID_ARGUMENT);
    CHECK(empty_key.message == "key_path 'optimizer..lr' has an empty key");
    CHECK(status_of(kConfig, "lr", TUNE_CONFIG_OPTIONAL, nullptr).status == TUNE_ERROR_INVALID_ARGUMENT);
    Failure presence = status_of(kConfig, "lr", 7, &number);
    CHECK(presence.status == TUNE_ERROR_INVALID_ARGUMENT);
    CHECK(presence.message == "presence must be TUNE_CONFIG_OPTIONAL (0) or TUNE_CONFIG_REQUIRED (1), got 7");
    // A NULL error is allowed: the status alone comes back.
    CHECK(host().config_number(&host(), kConfig, "missing", TUNE_CONFIG_REQUIRED, 0, &number, nullptr) ==
          TUNE_ERROR_INVALID_CONFIG);

    char text[4];
    Failure long_default = failure_of([&](tune_error_t *error) {
        return host().config_string(&host(), "{}", "mode", TUNE_CONFIG_OPTIONAL, "fastest", text, sizeof text, error);
    });
    CHECK(long_default.status == TUNE_ERROR_INVALID_ARGUMENT);
    CHECK_THAT(long_default.message, Contains("the default of config key 'mode'"));
    CHECK(failure_of([&](tune_error_t *error) {
              return host().config_string(&host(), kConfig, "name", TUNE_CONFIG_OPTIONAL, nullptr, text, 0, error);
          }).status == TUNE_ERROR_INVALID_ARGUMENT);
}
