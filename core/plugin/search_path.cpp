#include "core/plugin/search_path.hpp"

#include <algorithm>
#include <sstream>

#include <boost/dll/runtime_symbol_info.hpp>

namespace tune::core {
namespace fs = std::filesystem;

namespace {

void append_entries(const std::string &list, std::vector<fs::path> &out) {
    std::stringstream stream(list);
    std::string entry;
    while (std::getline(stream, entry, ':')) {
        if (entry.empty()) continue;
        fs::path path = fs::path(entry).lexically_normal();
        if (!path.has_filename() && path.has_relative_path()) path = path.parent_path(); // "/a/" -> "/a"
        if (std::find(out.begin(), out.end(), path) == out.end()) out.push_back(path);
    }
}

} // namespace

fs::path default_plugin_dir(const fs::path &executable) {
    return (executable.parent_path() / ".." / "lib" / "tune" / "plugins").lexically_normal();
}

fs::path current_executable() { return fs::path(boost::dll::program_location().string()); }

std::vector<fs::path> plugin_search_path(const std::vector<std::string> &cli_entries, const char *env_value,
                                         const fs::path &executable) {
    std::vector<fs::path> path;
    for (const auto &entry : cli_entries) append_entries(entry, path);
    if (env_value) append_entries(env_value, path);
    append_entries(default_plugin_dir(executable).string(), path);
    return path;
}

} // namespace tune::core
