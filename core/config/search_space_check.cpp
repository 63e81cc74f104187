#include "core/config/search_space_check.hpp"

#include <optional>
#include <set>
#include <vector>

#include "core/config/toml_values.hpp"
#include "tune/space/search_space.hpp"

namespace tune::core {

namespace {

// The keys a space key path ("model.l1") names in table, and the deepest node it reaches.
// A key may itself contain '.', which the space library rejects, so at each level the
// longest key that the rest of the path starts with wins.
struct ResolvedPath {
    std::vector<std::string> keys;
    const toml::node *node = nullptr;
    bool complete = false; // every part of the key path was found
};

ResolvedPath resolve(const toml::table &table, const std::string &key_path) {
    ResolvedPath resolved;
    const toml::table *current = &table;
    std::string rest = key_path;
    while (current && !rest.empty()) {
        std::optional<std::string> best;
        for (const auto &[key, value] : *current) {
            const std::string name(key.str());
            bool prefix = rest.compare(0, name.size(), name) == 0 &&
                          (rest.size() == name.size() || rest[name.size()] == '.');
            if (prefix && (!best || name.size() > best->size())) best = name;
        }
        if (!best) break;
        resolved.keys.push_back(*best);
        resolved.node = current->get(*best);
        rest = rest.size() == best->size() ? std::string() : rest.substr(best->size() + 1);
        current = resolved.node->as_table();
    }
    resolved.complete = rest.empty();
    return resolved;
}

// Sets the parameter at keys aside so the space library can look past it: a number where
// the key is valid (so expressions that reference it still parse), nothing where the key
// itself is the problem.
void set_aside(nlohmann::json &space, const std::vector<std::string> &keys) {
    nlohmann::json *parent = &space;
    for (std::size_t i = 0; i + 1 < keys.size(); ++i) parent = &(*parent)[keys[i]];
    const std::string &last = keys.back();
    if (last.empty() || last.find('.') != std::string::npos) parent->erase(last);
    else (*parent)[last] = 0;
}

} // namespace

nlohmann::json check_search_space(const toml::table &space, const std::string &key_path, IssueLog &log) {
    const nlohmann::json as_json = toml_to_json(space);
    nlohmann::json remaining = as_json;
    std::set<std::string> reported;
    while (true) {
        try {
            tune::space::SearchSpace::parse(remaining);
            break;
        } catch (const tune::space::SpaceError &error) {
            ResolvedPath resolved = resolve(space, error.key_path());
            const toml::node *where = resolved.node ? resolved.node : &space;
            std::string issue_path = key_path;
            if (resolved.complete)
                for (const auto &key : resolved.keys) issue_path = append_key_path(issue_path, key);
            else if (!error.key_path().empty())
                issue_path += "." + error.key_path();
            log.add(where->source(), issue_path, error.detail());
            // Stop when the problem cannot be set aside, rather than report it again.
            if (resolved.keys.empty() || !reported.insert(error.key_path()).second) break;
            set_aside(remaining, resolved.keys);
        }
    }
    return as_json;
}

} // namespace tune::core
