// Writes a new trainable plugin project (`tune new trainable NAME`): a C++ source, a
// CMakeLists.txt that builds it against the installed SDK, an experiment file and a README.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace tune::scaffold {

struct TrainableProject {
    std::string name;          // C identifier: the target, the file and the library's name
    std::string plugin_id;     // reverse-domain; default "org.example.<name>"
    std::filesystem::path dir; // where to write; must not exist or be empty
};

// Thrown for a bad name or id, or a folder that is not empty; the message says what was expected.
struct ScaffoldError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Writes the project and returns the files written, in order. Throws ScaffoldError, or
// std::runtime_error if a file cannot be written.
std::vector<std::filesystem::path> write_trainable_project(const TrainableProject &project);

} // namespace tune::scaffold
