// The command trainable's "command" table and its placeholders, below the ABI: the plugin's
// command_spec.cpp compiled into the test.
#include <catch2/catch.hpp>

#include "../../plugins/command_trainable/command_spec.cpp"

using Catch::Matchers::Contains;
using tune::Json;
using namespace tune::command;

namespace {

Json with_command(Json command, Json config = Json::object()) {
    config["command"] = std::move(command);
    return config;
}

std::string parse_error(const Json &config) {
    try {
        CommandSpec::parse(config);
    } catch (const tune::ConfigError &e) {
        return e.what();
    }
    FAIL("no ConfigError for " << config.dump());
    return {};
}

} // namespace

TEST_CASE("command spec: placeholders take config values by path, strings as they are, others as JSON") {
    const Json config = {{"lr", 0.001},
                         {"name", "run a"},
                         {"layers", 3},
                         {"flag", true},
                         {"model", {{"l1", 64}, {"widths", {8, 16}}}}};
    const auto argv = expand_placeholders({"train", "--lr={lr}", "{name}", "--layers", "{layers}", "{flag}",
                                           "--l1={model.l1}", "{model.widths}", "{{literal}}", "a{lr}b{layers}"},
                                          config);
    CHECK(argv == std::vector<std::string>{"train", "--lr=0.001", "run a", "--layers", "3", "true", "--l1=64",
                                           "[8,16]", "{literal}", "a0.001b3"});
}

TEST_CASE("command spec: a placeholder the config lacks, or an unmatched brace, is refused naming the argument") {
    const Json config = {{"lr", 0.1}, {"model", {{"l1", 4}}}};
    CHECK_THROWS_WITH(expand_placeholders({"train", "--x={x}"}, config),
                      Contains("command.argv[1] \"--x={x}\"") && Contains("{x}") && Contains("not in the trial's config"));
    CHECK_THROWS_WITH(expand_placeholders({"train", "{model.l2}"}, config), Contains("{model.l2}"));
    CHECK_THROWS_WITH(expand_placeholders({"{lr"}, config), Contains("command.argv[0]") && Contains("'{{'"));
    CHECK_THROWS_WITH(expand_placeholders({"lr}"}, config), Contains("'}}'"));
}

TEST_CASE("command spec: the table's keys are read with their defaults") {
    const CommandSpec plain = CommandSpec::parse(with_command({{"argv", {"python3", "train.py"}}}));
    CHECK(plain.argv == std::vector<std::string>{"python3", "train.py"});
    CHECK(plain.working_dir.empty());
    CHECK(plain.config_file);
    CHECK(plain.result_prefix == "tune-result");
    CHECK(plain.stop_grace_s == 10.0);

    const CommandSpec full = CommandSpec::parse(
        with_command({{"argv", {"./train", "--lr={lr}"}},
                      {"working_dir", "/tmp"},
                      {"env", {{"PYTHONUNBUFFERED", "1"}, {"THREADS", 2}}},
                      {"config_file", false},
                      {"result_prefix", "@result"},
                      {"stop_grace_s", 0.5}},
                     {{"lr", 0.1}}));
    CHECK(full.working_dir == "/tmp");
    CHECK(full.env == std::vector<std::pair<std::string, std::string>>{{"PYTHONUNBUFFERED", "1"}, {"THREADS", "2"}});
    CHECK_FALSE(full.config_file);
    CHECK(full.result_prefix == "@result");
    CHECK(full.stop_grace_s == 0.5);
}

TEST_CASE("command spec: a bad table is refused naming the key and what was expected") {
    CHECK_THAT(parse_error(Json{{"lr", 0.1}}), Contains("'command' is missing") && Contains("argv"));
    CHECK_THAT(parse_error(with_command({{"argv", Json::array()}})),
               Contains("command.argv must be a non-empty array of strings"));
    CHECK_THAT(parse_error(with_command({{"argv", {"train", 3}}})), Contains("command.argv"));
    CHECK_THAT(parse_error(with_command({{"argv", {"train"}}, {"argz", 1}})),
               Contains("unknown key command.argz") && Contains("known keys: argv"));
    CHECK_THAT(parse_error(with_command({{"argv", {"train"}}, {"env", {{"A", Json::array()}}}})),
               Contains("command.env.A must be a string, number or boolean"));
    CHECK_THAT(parse_error(with_command({{"argv", {"train"}}, {"result_prefix", "has space"}})),
               Contains("command.result_prefix must be a non-empty string without spaces"));
    CHECK_THAT(parse_error(with_command({{"argv", {"train"}}, {"stop_grace_s", -1}})),
               Contains("command.stop_grace_s must be a number of seconds >= 0, got -1"));
    CHECK_THAT(parse_error(with_command({{"argv", {"train"}}, {"config_file", "yes"}})),
               Contains("command.config_file must be true or false"));
    // A placeholder is checked at setup, before any program runs.
    CHECK_THAT(parse_error(with_command({{"argv", {"train", "{lr}"}}})), Contains("{lr}"));
}

TEST_CASE("command spec: the program's config is the trial's without the command table") {
    const Json config = with_command({{"argv", {"train"}}}, {{"lr", 0.1}, {"model", {{"l1", 4}}}});
    CHECK(program_config(config) == Json{{"lr", 0.1}, {"model", {{"l1", 4}}}});
}
