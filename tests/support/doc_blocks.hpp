// The fenced code blocks of the plugin author's docs, and the marker on the line before each:
//
//   <!-- snippet: PROJECT/FILE -->                      the whole of FILE in project PROJECT,
//   <!-- snippet: PROJECT/FILE, same as REPO_PATH -->   ... and equal to that repository file,
//   <!-- excerpt: REPO_PATH -->                         lines found, in order, in that file.
//
// tests/docs/doc_blocks_test.cpp checks every marker against the repository, and
// tests/sdk/doc_snippets_test.cpp builds, checks and runs every snippet project.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "support/test_paths.hpp"

namespace tune::test {

struct DocBlock {
    std::string doc;      // e.g. "docs/plugin-abi.md"
    int line = 0;         // the opening fence's line, 1-based
    std::string language; // what follows the fence: "cpp", "c", "cmake", "toml", "sh", ...
    std::string text;     // the block's lines, each ending in '\n'
    std::string kind;     // "snippet", "excerpt", or "" for no marker
    std::string target;   // snippet: PROJECT/FILE; excerpt: REPO_PATH
    std::string same_as;  // snippet only: REPO_PATH, or ""
};

// The docs a plugin author builds from.
inline const std::vector<std::string> &plugin_author_docs() {
    static const std::vector<std::string> docs = {"docs/writing-a-trainable.md",
                                                  "docs/writing-a-searcher-or-scheduler.md", "docs/plugin-abi.md"};
    return docs;
}

// The languages whose blocks must carry a marker: code a plugin author copies.
inline bool is_author_code(const std::string &language) {
    return language == "c" || language == "cpp" || language == "cmake" || language == "toml";
}

inline std::vector<DocBlock> read_doc_blocks(const std::string &doc) {
    static const std::regex marker(R"(^<!-- (snippet|excerpt): ([^ ,]+)(, same as ([^ ]+))? -->$)");
    std::ifstream in(source_dir() / doc);
    REQUIRE(in);
    std::vector<DocBlock> blocks;
    std::string line, previous;
    std::optional<DocBlock> open;
    for (int number = 1; std::getline(in, line); ++number) {
        if (open) {
            if (line.rfind("```", 0) == 0) {
                blocks.push_back(*open);
                open.reset();
            } else {
                open->text += line + "\n";
            }
        } else if (line.rfind("```", 0) == 0) {
            DocBlock block;
            block.doc = doc;
            block.line = number;
            block.language = line.substr(3);
            std::smatch found;
            if (std::regex_match(previous, found, marker)) {
                block.kind = found[1];
                block.target = found[2];
                block.same_as = found[4];
            }
            open = block;
        }
        previous = line;
    }
    REQUIRE_FALSE(open); // every fence is closed
    return blocks;
}

inline std::vector<DocBlock> plugin_author_blocks() {
    std::vector<DocBlock> all;
    for (const auto &doc : plugin_author_docs()) {
        auto blocks = read_doc_blocks(doc);
        all.insert(all.end(), blocks.begin(), blocks.end());
    }
    return all;
}

// Snippets by project: PROJECT -> {FILE -> text}.
inline std::map<std::string, std::map<std::string, std::string>> snippet_projects() {
    std::map<std::string, std::map<std::string, std::string>> projects;
    for (const auto &block : plugin_author_blocks()) {
        if (block.kind != "snippet") continue;
        const auto slash = block.target.find('/');
        REQUIRE(slash != std::string::npos);
        projects[block.target.substr(0, slash)][block.target.substr(slash + 1)] = block.text;
    }
    return projects;
}

} // namespace tune::test
