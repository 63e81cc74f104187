// The plugin author's docs hold no code that can drift: every C, C++, CMake and TOML block is
// a snippet of a project that tests/sdk/doc_snippets_test.cpp builds, checks and runs (and,
// where it says so, equal to the sample file it shows), or an excerpt of a file of the
// repository that is built and tested.
#include <catch2/catch.hpp>

#include <sstream>

#include "support/doc_blocks.hpp"
#include "support/file_contents.hpp"

using namespace tune::test;
namespace fs = std::filesystem;

namespace {

std::string trimmed(const std::string &line) {
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos) return "";
    return line.substr(first, line.find_last_not_of(" \t") - first + 1);
}

// The first line of excerpt that is not found in file after the previous one, or "" when
// every non-blank line is found there, in order (leading and trailing blanks aside).
std::string first_line_not_in(const std::string &excerpt, const std::string &file) {
    std::istringstream lines(excerpt);
    std::size_t at = 0;
    for (std::string line; std::getline(lines, line);) {
        const std::string wanted = trimmed(line);
        if (wanted.empty()) continue;
        const auto found = file.find(wanted, at);
        if (found == std::string::npos) return wanted;
        at = found + wanted.size();
    }
    return "";
}

} // namespace

TEST_CASE("docs: every code block an author copies is a snippet of a built project or an excerpt", "[docs]") {
    const auto blocks = plugin_author_blocks();
    int snippets = 0, excerpts = 0;
    for (const auto &block : blocks) {
        INFO(block.doc << ":" << block.line << " (" << block.language << ")");
        if (is_author_code(block.language)) CHECK((block.kind == "snippet" || block.kind == "excerpt"));
        if (block.kind == "excerpt") {
            ++excerpts;
            const std::string file = read_text(source_dir() / block.target);
            REQUIRE_FALSE(file.empty());
            CHECK(first_line_not_in(block.text, file) == "");
        } else if (block.kind == "snippet") {
            ++snippets;
            if (!block.same_as.empty()) CHECK(block.text == read_text(source_dir() / block.same_as));
        }
    }
    CHECK(snippets >= 9);
    CHECK(excerpts >= 6);
}

TEST_CASE("docs: every snippet project has a source, a CMakeLists.txt and an experiment", "[docs]") {
    const auto projects = snippet_projects();
    CHECK(projects.size() == 3); // bowl and c_quadratic (writing-a-trainable.md), my_trainable (plugin-abi.md)
    for (const auto &[name, files] : projects) {
        INFO(name);
        CHECK(files.count("CMakeLists.txt") == 1);
        const auto has = [&files = files](const char *extension) {
            return std::any_of(files.begin(), files.end(),
                               [&](const auto &file) { return fs::path(file.first).extension() == extension; });
        };
        CHECK(has(".toml"));
        CHECK((has(".c") || has(".cpp")));
    }
}

TEST_CASE("docs: the docs stand alone, with no link or path outside the repository", "[docs]") {
    std::vector<fs::path> pages = {source_dir() / "README.md"};
    for (const auto &entry : fs::directory_iterator(source_dir() / "docs"))
        if (entry.path().extension() == ".md") pages.push_back(entry.path());
    CHECK(pages.size() >= 15);
    for (const auto &page : pages) {
        INFO(page.filename().string());
        const std::string text = read_text(page);
        CHECK(text.find("../shared") == std::string::npos);
        CHECK(text.find("design.md") == std::string::npos);
        CHECK(text.find("](../../") == std::string::npos);
    }
}
