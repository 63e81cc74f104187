#include <catch2/catch.hpp>

#include "core/plugin/search_path.hpp"

using tune::core::default_plugin_dir;
using tune::core::plugin_search_path;

TEST_CASE("search path: flag entries first, then the environment, then the default", "[search_path]") {
    auto path = plugin_search_path({"/flag/a:/flag/b", "/flag/c"}, "/env/x::/env/y", "/opt/tune/bin/tune");
    std::vector<std::filesystem::path> expected{"/flag/a", "/flag/b", "/flag/c", "/env/x", "/env/y",
                                                "/opt/tune/lib/tune/plugins"};
    CHECK(path == expected);
}

TEST_CASE("search path: repeats and empty entries are dropped, no environment is fine", "[search_path]") {
    auto path = plugin_search_path({"/a", "/a/", "", "/a/./"}, nullptr, "/usr/bin/tune");
    std::vector<std::filesystem::path> expected{"/a", "/usr/lib/tune/plugins"};
    CHECK(path == expected);
    CHECK(default_plugin_dir("/x/bin/tune") == std::filesystem::path("/x/lib/tune/plugins"));
}
