#include "tune/space/search_space.hpp"

#include <algorithm>
#include <functional>

namespace tune::space {
namespace {

using nlohmann::json;

std::string join(const std::vector<std::string> &key) {
    std::string path;
    for (const std::string &part : key) path += (path.empty() ? "" : ".") + part;
    return path;
}

bool is_axis(const Domain &domain, GridAxes which) {
    return domain.primitive() == Primitive::grid_search ||
           (which == GridAxes::grid_search_and_choice && domain.primitive() == Primitive::choice);
}

// Walks a table depth first, appending a parameter for every leaf.
void collect(const json &table, std::vector<std::string> &key, std::vector<Parameter> &parameters) {
    for (const auto &item : table.items()) {
        key.push_back(item.key());
        const std::string key_path = join(key);
        if (item.key().empty() || item.key().find('.') != std::string::npos)
            throw SpaceError(key_path, "key '" + item.key() +
                                           "' must be non-empty and free of '.', which separates nested keys; "
                                           "write a nested table instead");
        const json &node = item.value();
        const std::optional<Primitive> primitive = domain_primitive(node, key_path);
        if (primitive == Primitive::sample_from) {
            const json &expression = node.at("sample_from");
            if (!expression.is_string())
                throw SpaceError(key_path, "sample_from expects an expression string such as "
                                           "\"2 ** randint(2, 9)\", found " + expression.dump());
            parameters.push_back({key, key_path, Expression::parse(expression.get<std::string>(), key_path)});
        } else if (primitive) {
            parameters.push_back({key, key_path, Domain::parse(node, *primitive, key_path)});
        } else if (node.is_object() && !node.empty()) {
            collect(node, key, parameters);
        } else {
            parameters.push_back({key, key_path, node});
        }
        key.pop_back();
    }
}

// Why an expression cannot read parameter as a number, or nullopt if it can.
std::optional<std::string> non_numeric(const Parameter &parameter) {
    if (const auto *constant = std::get_if<json>(&parameter.definition)) {
        if (constant->is_number()) return std::nullopt;
        return "the constant " + constant->dump();
    }
    if (const auto *domain = std::get_if<Domain>(&parameter.definition)) {
        for (const json &value : domain->values())
            if (!value.is_number()) return "a " + primitive_name(domain->primitive()) + " with the value " + value.dump();
    }
    return std::nullopt;
}

} // namespace

SearchSpace SearchSpace::parse(const json &space) {
    if (!space.is_object())
        throw SpaceError("", std::string("a search space must be a JSON object, found ") + space.type_name() + " " +
                                 space.dump());
    SearchSpace result;
    std::vector<std::string> key;
    collect(space, key, result.parameters_);
    std::sort(result.parameters_.begin(), result.parameters_.end(),
              [](const Parameter &a, const Parameter &b) { return a.key < b.key; });
    result.grid_size(); // throws if the grid is too large to count

    const std::vector<Parameter> &parameters = result.parameters_;
    result.reference_indices_.resize(parameters.size());
    for (std::size_t i = 0; i < parameters.size(); ++i) {
        const auto *expression = std::get_if<Expression>(&parameters[i].definition);
        if (!expression) continue;
        const std::string quoted = "sample_from expression '" + expression->text() + "'";
        for (const std::string &reference : expression->references()) {
            const auto found = std::find_if(parameters.begin(), parameters.end(),
                                            [&](const Parameter &p) { return p.key_path == reference; });
            if (found == parameters.end()) {
                const auto inside = std::find_if(parameters.begin(), parameters.end(), [&](const Parameter &p) {
                    return p.key_path.compare(0, reference.size() + 1, reference + ".") == 0;
                });
                if (inside != parameters.end())
                    throw SpaceError(parameters[i].key_path, quoted + " references '" + reference +
                                                                 "', a nested table; reference one of its "
                                                                 "parameters, such as '" + inside->key_path + "'");
                std::string known;
                for (const Parameter &p : parameters) known += (known.empty() ? "" : ", ") + p.key_path;
                throw SpaceError(parameters[i].key_path,
                                 quoted + " references unknown parameter '" + reference + "' (known: " + known + ")");
            }
            if (const std::optional<std::string> what = non_numeric(*found))
                throw SpaceError(parameters[i].key_path,
                                 quoted + " references '" + reference + "', which is " + *what + ", not a number");
            result.reference_indices_[i].push_back(static_cast<std::size_t>(found - parameters.begin()));
        }
    }

    // Depth-first topological sort of the expressions; a reference back into the current path
    // is a cycle.
    enum class Mark { unvisited, visiting, done };
    std::vector<Mark> marks(parameters.size(), Mark::unvisited);
    std::vector<std::size_t> path;
    std::function<void(std::size_t)> visit = [&](std::size_t index) {
        marks[index] = Mark::visiting;
        path.push_back(index);
        for (const std::size_t reference : result.reference_indices_[index]) {
            if (!std::holds_alternative<Expression>(parameters[reference].definition)) continue;
            if (marks[reference] == Mark::visiting) {
                std::string cycle;
                for (auto it = std::find(path.begin(), path.end(), reference); it != path.end(); ++it)
                    cycle += parameters[*it].key_path + " -> ";
                cycle += parameters[reference].key_path;
                throw SpaceError(parameters[reference].key_path,
                                 "sample_from expressions form a dependency cycle: " + cycle);
            }
            if (marks[reference] == Mark::unvisited) visit(reference);
        }
        path.pop_back();
        marks[index] = Mark::done;
        result.evaluation_order_.push_back(index);
    };
    for (std::size_t i = 0; i < parameters.size(); ++i)
        if (std::holds_alternative<Expression>(parameters[i].definition) && marks[i] == Mark::unvisited) visit(i);

    // Evaluate every expression once with a fixed seed, so that one that always fails
    // (randint(5, 2), randn(1)) is reported now rather than at the first trial.
    if (!result.evaluation_order_.empty()) {
        std::mt19937_64 trial_rng(0);
        result.sample(trial_rng, 0);
    }
    return result;
}

bool SearchSpace::is_primitive(const std::string &name) { return primitive_named(name).has_value(); }

const std::vector<std::string> &SearchSpace::primitive_names() { return space::primitive_names(); }

const Parameter *SearchSpace::find(const std::string &key_path) const {
    const auto found = std::find_if(parameters_.begin(), parameters_.end(),
                                    [&](const Parameter &p) { return p.key_path == key_path; });
    return found == parameters_.end() ? nullptr : &*found;
}

std::vector<GridAxis> SearchSpace::grid_axes(GridAxes which) const {
    std::vector<GridAxis> axes;
    for (const Parameter &parameter : parameters_) {
        const auto *domain = std::get_if<Domain>(&parameter.definition);
        if (domain && is_axis(*domain, which)) axes.push_back({parameter.key_path, domain->values()});
    }
    return axes;
}

std::size_t SearchSpace::grid_size(GridAxes which) const { return grid_point_count(grid_axes(which)); }

json SearchSpace::sample(std::mt19937_64 &rng, std::size_t grid_index, GridAxes which) const {
    const std::vector<std::size_t> point = grid_point(grid_axes(which), grid_index);
    std::vector<json> values(parameters_.size());
    std::size_t axis = 0;
    for (std::size_t i = 0; i < parameters_.size(); ++i) {
        const auto &definition = parameters_[i].definition;
        if (const auto *constant = std::get_if<json>(&definition)) {
            values[i] = *constant;
        } else if (const auto *domain = std::get_if<Domain>(&definition)) {
            values[i] = is_axis(*domain, which) ? domain->values()[point[axis++]] : domain->sample(rng);
        }
    }
    for (const std::size_t i : evaluation_order_) {
        std::vector<double> references;
        for (const std::size_t reference : reference_indices_[i]) references.push_back(values[reference].get<double>());
        values[i] = std::get<Expression>(parameters_[i].definition).evaluate(rng, references);
    }

    json config = json::object();
    for (std::size_t i = 0; i < parameters_.size(); ++i) {
        const std::vector<std::string> &key = parameters_[i].key;
        json *table = &config;
        for (std::size_t depth = 0; depth + 1 < key.size(); ++depth) table = &(*table)[key[depth]];
        (*table)[key.back()] = std::move(values[i]);
    }
    return config;
}

std::optional<std::string> SearchSpace::violation(const json &config) const {
    if (!config.is_object()) return std::string("a config must be a JSON object, found ") + config.type_name();
    for (const Parameter &parameter : parameters_) {
        const json *value = &config;
        for (const std::string &key : parameter.key) {
            if (!value->is_object() || !value->contains(key)) return parameter.key_path + ": missing from the config";
            value = &value->at(key);
        }
        std::optional<std::string> reason;
        if (const auto *constant = std::get_if<json>(&parameter.definition)) {
            if (*value != *constant) reason = "expected the constant " + constant->dump() + ", found " + value->dump();
        } else if (const auto *domain = std::get_if<Domain>(&parameter.definition)) {
            reason = domain->violation(*value);
        } else if (!value->is_number()) {
            reason = "expected a number from sample_from, found " + value->dump();
        }
        if (reason) return parameter.key_path + ": " + *reason;
    }
    return std::nullopt;
}

} // namespace tune::space
