#include "pbt_mutations.hpp"

#include "tune/space/space_error.hpp"

namespace tune::pbt {

namespace {

using space::Primitive;

[[noreturn]] void reject(const std::string &key_path, const std::string &what) {
    throw ConfigError("PBT option 'hyperparam_mutations': " + key_path + ": " + what);
}

// Where a perturbed value is clamped: the domain's own bounds, read from its arguments (the
// first two are lower and upper for every bounded primitive; Domain::parse checked them).
void set_bounds(Mutation &mutation, const Json &node, Primitive primitive) {
    const Json &arguments = node.at(space::primitive_name(primitive));
    switch (primitive) {
    case Primitive::randn:
    case Primitive::qrandn: return; // unbounded
    case Primitive::randint:
    case Primitive::lograndint:
        // upper is excluded: the largest value is upper - 1.
        mutation.lower = arguments.at(0).get<double>();
        mutation.upper = arguments.at(1).get<double>() - 1;
        return;
    default:
        mutation.lower = arguments.at(0).get<double>();
        mutation.upper = arguments.at(1).get<double>();
        return;
    }
}

Mutation parse_leaf(const std::string &key, const std::string &key_path, const Json &node) {
    Mutation mutation;
    mutation.key = key;
    mutation.key_path = key_path;
    if (node.is_array()) {
        // Ray's list: random.choice of an empty list fails, so refuse it now.
        if (node.empty()) reject(key_path, "a list of values must not be empty");
        mutation.values.assign(node.begin(), node.end());
        return mutation;
    }
    if (!node.is_object())
        reject(key_path, "expected a list of values, a search-space domain such as {\"uniform\": [0, 1]} or a "
                         "table of these, got " + node.dump());

    std::optional<Primitive> primitive;
    try {
        primitive = space::domain_primitive(node, key_path);
    } catch (const space::SpaceError &e) {
        reject(key_path, e.detail());
    }
    if (!primitive) {
        // A nested table: its keys are mutations of the nested config's keys.
        if (node.empty()) reject(key_path, "a nested table of mutations must not be empty");
        mutation.kind = Mutation::Kind::nested;
        for (const auto &item : node.items())
            mutation.children.push_back(parse_leaf(item.key(), key_path + "." + item.key(), item.value()));
        return mutation;
    }
    if (*primitive == Primitive::sample_from)
        reject(key_path, "sample_from is not supported (as in Ray, which refuses tune.sample_from here); use a "
                         "list or a domain such as uniform or loguniform");
    if (*primitive == Primitive::grid_search)
        reject(key_path, "grid_search is not a distribution to mutate from; use a list of values or a choice");
    space::Domain domain = [&] {
        try {
            return space::Domain::parse(node, *primitive, key_path);
        } catch (const space::SpaceError &e) {
            reject(key_path, e.detail());
        }
    }();
    if (*primitive == Primitive::choice) {
        // Multiplying a category means nothing: a choice is perturbed as a list (a deliberate
        // difference from Ray, which multiplies it as a continuous value).
        mutation.values = domain.values();
        return mutation;
    }
    mutation.kind = Mutation::Kind::domain;
    mutation.integer_domain = domain.is_integer();
    set_bounds(mutation, node, *primitive);
    mutation.domain = std::move(domain);
    return mutation;
}

void check_level(const std::vector<Mutation> &mutations, const Json &config, const std::string &trial_id) {
    for (const Mutation &mutation : mutations) {
        const auto value = config.find(mutation.key);
        if (value == config.end())
            throw ConfigError("PBT: trial '" + trial_id + "' has no config key '" + mutation.key_path +
                              "', which hyperparam_mutations mutates; give the key in [search_space] (Ray would "
                              "sample it into the config, which a tune scheduler cannot do)");
        if (mutation.kind == Mutation::Kind::nested) {
            if (!value->is_object())
                throw ConfigError("PBT: trial '" + trial_id + "' config key '" + mutation.key_path +
                                  "' must be a table, as hyperparam_mutations mutates keys inside it; got " +
                                  value->dump());
            check_level(mutation.children, *value, trial_id);
        } else if (mutation.kind == Mutation::Kind::domain && !value->is_number()) {
            throw ConfigError("PBT: trial '" + trial_id + "' config key '" + mutation.key_path +
                              "' must be a number, as hyperparam_mutations perturbs it by a factor; got " +
                              value->dump());
        }
    }
}

} // namespace

std::vector<Mutation> parse_mutations(const Json &spec) {
    if (!spec.is_object() || spec.empty())
        throw ConfigError("PBT option 'hyperparam_mutations' must be a non-empty table of the config keys to "
                          "mutate (each a list of values or a search-space domain), got " + spec.dump());
    // A domain at the top would be read as a table of constants: say what was meant instead.
    bool is_domain = true;
    try {
        is_domain = space::domain_primitive(spec, "hyperparam_mutations").has_value();
    } catch (const space::SpaceError &) {
    }
    if (is_domain)
        throw ConfigError("PBT option 'hyperparam_mutations' must be a table of config keys, not a domain; got " +
                          spec.dump());
    std::vector<Mutation> mutations;
    for (const auto &item : spec.items()) mutations.push_back(parse_leaf(item.key(), item.key(), item.value()));
    return mutations;
}

void check_config(const std::vector<Mutation> &mutations, const Json &config, const std::string &trial_id) {
    if (!config.is_object())
        throw ConfigError("PBT: trial '" + trial_id + "' config must be a JSON object, got " + config.dump());
    check_level(mutations, config, trial_id);
}

Json mutated_params(const std::vector<Mutation> &mutations, const Json &config) {
    Json params = Json::object();
    for (const Mutation &mutation : mutations) {
        const auto value = config.find(mutation.key);
        if (value == config.end()) continue;
        params[mutation.key] =
            mutation.kind == Mutation::Kind::nested ? mutated_params(mutation.children, *value) : *value;
    }
    return params;
}

} // namespace tune::pbt
