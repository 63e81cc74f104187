#include "core/engine/searcher_wrappers.hpp"

#include <cmath>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "core/state/state_store.hpp" // StateError

namespace tune::core {
using nlohmann::json;

namespace {

// A wrapper's state: "<length of its JSON>\n<its JSON><the wrapped searcher's state>", so the
// wrapped state may be any bytes.
std::string pack(const json &own, const std::string &inner) {
    const std::string text = own.dump();
    return std::to_string(text.size()) + "\n" + text + inner;
}

std::pair<json, std::string> unpack(const std::string &state, const char *wrapper) {
    const std::size_t newline = state.find('\n');
    std::size_t length = 0;
    try {
        if (newline == std::string::npos) throw std::invalid_argument("no length");
        length = std::stoull(state.substr(0, newline));
    } catch (const std::exception &) {
        throw StateError(std::string("saved searcher state is not the ") + wrapper + "'s (no length header)");
    }
    if (state.size() - newline - 1 < length)
        throw StateError(std::string("saved ") + wrapper + " state is truncated");
    json own = json::parse(state.substr(newline + 1, length), nullptr, false);
    if (own.is_discarded() || !own.is_object())
        throw StateError(std::string("saved ") + wrapper + " state is not a JSON object");
    return {std::move(own), state.substr(newline + 1 + length)};
}

} // namespace

ConcurrencyLimiter::ConcurrencyLimiter(TrialSearcher &inner, long long max_concurrent)
    : inner_(inner), max_concurrent_(static_cast<std::size_t>(max_concurrent)) {}

SuggestResult ConcurrencyLimiter::suggest(const std::string &trial_id) {
    if (live_.size() >= max_concurrent_) return {TUNE_SUGGEST_NOT_READY, {}};
    SuggestResult result = inner_.suggest(trial_id);
    if (result.outcome == TUNE_SUGGEST_CONFIG) live_.insert(trial_id);
    return result;
}

void ConcurrencyLimiter::on_result(const std::string &trial_id, const std::string &result_json) {
    inner_.on_result(trial_id, result_json);
}

void ConcurrencyLimiter::on_complete(const std::string &trial_id, const std::optional<std::string> &result_json,
                                     bool failed) {
    if (live_.erase(trial_id) == 0) return; // as Ray's: not one of its trials
    inner_.on_complete(trial_id, result_json, failed);
}

std::string ConcurrencyLimiter::save() { return pack({{"live", live_}}, inner_.save()); }

void ConcurrencyLimiter::restore(const std::string &state) {
    auto [own, inner] = unpack(state, "max_concurrent limiter");
    if (!own.contains("live") || !own["live"].is_array())
        throw StateError("saved max_concurrent limiter state has no list of live trials");
    inner_.restore(inner);
    live_ = own["live"].get<std::set<std::string>>();
}

Repeater::Repeater(TrialSearcher &inner, long long repeat, std::string metric)
    : inner_(inner), repeat_(static_cast<std::size_t>(repeat)), metric_(std::move(metric)) {}

SuggestResult Repeater::suggest(const std::string &trial_id) {
    if (groups_.empty() || groups_.back().members.size() >= repeat_) {
        SuggestResult result = inner_.suggest(trial_id);
        if (result.outcome != TUNE_SUGGEST_CONFIG) return result;
        groups_.push_back({trial_id, result.config_json, {}, {}, 0});
    }
    Group &group = groups_.back();
    group.members.push_back(trial_id);
    return {TUNE_SUGGEST_CONFIG, group.config_json};
}

Repeater::Group *Repeater::group_of(const std::string &trial_id) {
    for (Group &group : groups_)
        for (const std::string &member : group.members)
            if (member == trial_id) return &group;
    return nullptr;
}

void Repeater::on_complete(const std::string &trial_id, const std::optional<std::string> &result_json, bool failed) {
    Group *group = group_of(trial_id);
    if (!group) return;
    group->reported += 1;
    if (!failed && result_json) {
        const json result = json::parse(*result_json, nullptr, false);
        if (result.is_object() && result.contains(metric_) && result[metric_].is_number()) {
            const double value = result[metric_].get<double>();
            if (std::isfinite(value)) group->scores.push_back(value);
        }
    }
    if (group->reported < repeat_) return;
    // Every repetition has ended: the searcher hears of its suggestion once, with the mean.
    const Group done = std::move(*group);
    groups_.erase(groups_.begin() + (group - groups_.data()));
    if (done.scores.empty()) {
        inner_.on_complete(done.primary, std::nullopt, true);
        return;
    }
    double sum = 0.0;
    for (double score : done.scores) sum += score;
    inner_.on_complete(done.primary, json{{metric_, sum / static_cast<double>(done.scores.size())}}.dump(), false);
}

std::string Repeater::save() {
    json groups = json::array();
    for (const Group &group : groups_)
        groups.push_back({{"primary", group.primary},
                          {"config", group.config_json},
                          {"members", group.members},
                          {"scores", group.scores},
                          {"reported", group.reported}});
    return pack({{"groups", groups}}, inner_.save());
}

void Repeater::restore(const std::string &state) {
    auto [own, inner] = unpack(state, "repeat");
    std::vector<Group> groups;
    try {
        for (const json &group : own.at("groups"))
            groups.push_back({group.at("primary").get<std::string>(), group.at("config").get<std::string>(),
                              group.at("members").get<std::vector<std::string>>(),
                              group.at("scores").get<std::vector<double>>(), group.at("reported").get<std::size_t>()});
    } catch (const json::exception &e) {
        throw StateError(std::string("saved repeat state is malformed: ") + e.what());
    }
    inner_.restore(inner);
    groups_ = std::move(groups);
}

WrappedSearcher::WrappedSearcher(TrialSearcher &plugin, const SearcherWrappers &wrappers, const std::string &metric)
    : outer_(&plugin) {
    if (wrappers.repeat > 1) {
        repeater_ = std::make_unique<Repeater>(*outer_, wrappers.repeat, metric);
        outer_ = repeater_.get();
    }
    if (wrappers.max_concurrent > 0) {
        limiter_ = std::make_unique<ConcurrencyLimiter>(*outer_, wrappers.max_concurrent);
        outer_ = limiter_.get();
    }
}

} // namespace tune::core
