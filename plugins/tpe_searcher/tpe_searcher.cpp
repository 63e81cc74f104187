#include "tpe_searcher.hpp"

#include <algorithm>
#include <sstream>

#include "tune/space/space_error.hpp"

namespace tune::tpe {
namespace {

constexpr const char *kFormat = "org.tune.searcher.tpe/1";
constexpr std::size_t kAbsent = static_cast<std::size_t>(-1);

} // namespace

void TpeSearcher::setup(const SearcherSettings &settings) {
    TpeOptions options = TpeOptions::parse(settings.options, settings.metric, settings.mode);
    if (settings.num_samples < 1)
        throw ConfigError("num_samples must be >= 1, found " + std::to_string(settings.num_samples));
    space_.emplace(TpeSpace::build(settings.space));
    options_ = std::move(options);
    history_.emplace(options_.metric, options_.maximize);
    rng_.seed(settings.seed);
    num_samples_ = settings.num_samples;
}

const TpeSpace &TpeSearcher::space() const {
    if (!space_) throw StateError("the TPE searcher was not set up");
    return *space_;
}

const TpeHistory &TpeSearcher::history() const {
    if (!history_) throw StateError("the TPE searcher was not set up");
    return *history_;
}

Suggestion TpeSearcher::suggest(const std::string &trial_id) {
    const TpeSpace &tpe_space = space();
    if (static_cast<long long>(history_->size()) >= num_samples_) return Suggestion::finished();
    if (history_->contains(trial_id)) throw StateError("trial " + trial_id + " was suggested already");
    std::vector<double> values = propose();
    Json config;
    try {
        config = tpe_space.config(values);
    } catch (const space::SpaceError &error) {
        throw ConfigError(error.what());
    }
    history_->add(trial_id, std::move(values));
    return Suggestion::with_config(std::move(config));
}

std::vector<double> TpeSearcher::propose() {
    const std::vector<Dimension> &dims = space_->dimensions();
    std::vector<double> values(dims.size());
    for (std::size_t d = 0; d < dims.size(); ++d)
        if (dims[d].single) values[d] = space_->sample_prior(d, rng_); // draws nothing
    const std::vector<std::size_t> &modelled = space_->modelled();
    const std::size_t n = history_->finished();
    if (n < static_cast<std::size_t>(options_.n_startup_trials)) {
        for (const std::size_t d : modelled) values[d] = space_->sample_prior(d, rng_);
        return values;
    }
    const TpeHistory::Split split = history_->split(options_.n_below(n), options_.constant_liar);
    // The mixtures' weights, shared by every dimension's estimators.
    below_weights_ =
        std::make_shared<const MixtureWeights>(options_.observation_weights(split.below.size()), options_.estimator);
    above_weights_ =
        std::make_shared<const MixtureWeights>(options_.observation_weights(split.above.size()), options_.estimator);
    // Each trial's place among l(x)'s and g(x)'s observations, for the estimators of every dimension.
    below_position_.assign(history_->size(), kAbsent);
    above_position_.assign(history_->size(), kAbsent);
    for (std::size_t i = 0; i < split.below.size(); ++i) below_position_[split.below[i]] = i;
    for (std::size_t i = 0; i < split.above.size(); ++i) above_position_[split.above[i]] = i;
    if (options_.estimator.multivariate) {
        if (!modelled.empty()) choose(modelled, split, values);
    } else {
        for (const std::size_t d : modelled) choose({d}, split, values);
    }
    return values;
}

void TpeSearcher::choose(const std::vector<std::size_t> &dims, const TpeHistory::Split &split,
                         std::vector<double> &values) {
    const auto &trials = history_->trials();
    std::vector<Kernel> kernels;
    for (const std::size_t d : dims) kernels.push_back(space_->dimensions()[d].kernel);
    // One estimator's observations: its trials' values, and for one dimension their order by
    // value, read from the history's sorted index rather than sorted again.
    struct Observations {
        std::vector<std::vector<double>> columns;
        std::vector<std::size_t> sorted;
    };
    const auto observations = [&](const std::vector<std::size_t> &rows, const std::vector<std::size_t> &position) {
        Observations o;
        o.columns.assign(dims.size(), std::vector<double>(rows.size()));
        for (std::size_t k = 0; k < dims.size(); ++k)
            for (std::size_t i = 0; i < rows.size(); ++i) o.columns[k][i] = trials[rows[i]].values[dims[k]];
        if (dims.size() == 1) {
            o.sorted.reserve(rows.size());
            for (const std::size_t t : history_->sorted(dims[0]))
                if (position[t] != kAbsent) o.sorted.push_back(position[t]);
        }
        return o;
    };
    const Observations below_observations = observations(split.below, below_position_);
    const Observations above_observations = observations(split.above, above_position_);
    const bool one = dims.size() == 1;
    const ParzenEstimator below(kernels, below_observations.columns, below_weights_, options_.estimator,
                                one ? &below_observations.sorted : nullptr);
    const ParzenEstimator above(kernels, above_observations.columns, above_weights_, options_.estimator,
                                one ? &above_observations.sorted : nullptr);
    const auto candidates = below.sample(rng_, static_cast<std::size_t>(options_.n_ei_candidates));
    const std::vector<double> log_l = below.log_pdf(candidates);
    const std::vector<double> log_g = above.log_pdf(candidates);
    std::size_t best = 0;
    for (std::size_t i = 1; i < log_l.size(); ++i)
        if (log_l[i] - log_g[i] > log_l[best] - log_g[best]) best = i;
    for (std::size_t k = 0; k < dims.size(); ++k) values[dims[k]] = space_->canonical(dims[k], candidates[k][best]);
}

void TpeSearcher::on_result(const std::string &trial_id, const Json &result) {
    if (!history_) throw StateError("the TPE searcher was not set up");
    history_->on_result(trial_id, result);
}

void TpeSearcher::on_complete(const std::string &trial_id, const std::optional<Json> &result, bool failed) {
    if (!history_) throw StateError("the TPE searcher was not set up");
    history_->on_complete(trial_id, result, failed);
}

std::string TpeSearcher::save() {
    const TpeSpace &tpe_space = space();
    std::ostringstream rng_text;
    rng_text << rng_;
    Json dimensions = Json::array();
    for (const Dimension &dim : tpe_space.dimensions()) dimensions.push_back(dim.name);
    return Json{{"format", kFormat},
                {"rng", rng_text.str()},
                {"dimensions", std::move(dimensions)},
                {"trials", history_->save()}}
        .dump();
}

void TpeSearcher::restore(const std::string &state) {
    const TpeSpace &tpe_space = space();
    const Json saved = parse_saved_state(state, "TPE", kFormat);
    Json dimensions = Json::array();
    for (const Dimension &dim : tpe_space.dimensions()) dimensions.push_back(dim.name);
    if (!saved.contains("dimensions") || saved["dimensions"] != dimensions)
        throw StateError("saved TPE state models the dimensions " + saved.value("dimensions", Json()).dump() +
                         ", this search space " + dimensions.dump());
    if (!saved.contains("rng") || !saved["rng"].is_string()) throw StateError("saved TPE state has no generator state");
    std::istringstream rng_text(saved["rng"].get<std::string>());
    std::mt19937_64 rng;
    rng_text >> rng;
    if (!rng_text) throw StateError("saved TPE state holds a malformed generator state");
    if (!saved.contains("trials")) throw StateError("saved TPE state has no trials");
    TpeHistory history(options_.metric, options_.maximize);
    history.restore(saved["trials"], tpe_space.dimensions().size());
    if (static_cast<long long>(history.size()) > num_samples_)
        throw StateError("saved TPE state holds " + std::to_string(history.size()) + " trials, more than num_samples " +
                         std::to_string(num_samples_));
    history_ = std::move(history);
    rng_ = rng;
}

} // namespace tune::tpe
