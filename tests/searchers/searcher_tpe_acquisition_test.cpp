// How org.tune.searcher.tpe splits its history and picks a config: Optuna's ranking of
// complete, pruned (here: stopped early), failed and running trials, and the candidate with
// the largest log l(x) - log g(x).
//
// The expected scores are hand-computed with Debian's python3-optuna 3.1: _ParzenEstimator
// built l(x) on the observation [2] and g(x) on [1, 4, 6, 8, 9, 3] (FloatDistribution(0, 10),
// and IntDistribution(0, 9) for the integer case), and below.log_pdf - above.log_pdf was
// evaluated at the points below; with normalized_density, the continuous case with SciPy
// 1.10's normalised truncnorm.logpdf of the same mixtures (see searcher_tpe_density_test.cpp).
#include <sstream>

#define TUNE_TPE_COMPONENTS
#include "searchers/searcher_tpe_fixture.hpp"

using namespace tune::tpe;

namespace {

// A history in suggestion order: x = 1, 2 and 6, 8 finished (losses 4, 1, 9, 25); x = 4 stopped
// early at iteration 3 with the best value 0.5; x = 5 failed; x = 9 stopped early at iteration
// 5 with 30; x = 3 still running.
TpeHistory tiny_history() {
    TpeHistory history("loss", false);
    const auto finish = [&](const std::string &id, double x, double loss, long long iteration, bool done) {
        history.add(id, {x});
        history.on_result(id, json{{"loss", loss}, {"training_iteration", iteration}});
        history.on_complete(id, json{{"loss", loss}, {"training_iteration", iteration}, {"done", done}}, false);
    };
    finish("a", 1, 4, 10, true);
    finish("b", 2, 1, 10, true);
    finish("c", 4, 0.5, 3, false);
    finish("d", 6, 9, 10, true);
    history.add("e", {5});
    history.on_complete("e", std::nullopt, true);
    finish("f", 8, 25, 10, true);
    finish("g", 9, 30, 5, false);
    history.add("h", {3});
    history.on_result("h", json{{"loss", 0.1}, {"training_iteration", 1}}); // running: its results do not count
    return history;
}

std::vector<double> values_of(const TpeHistory &history, const std::vector<std::size_t> &rows) {
    std::vector<double> values;
    for (std::size_t row : rows) values.push_back(history.trials()[row].values[0]);
    return values;
}

} // namespace

TEST_CASE("tpe acquisition: finished trials rank first and trials stopped early by the step they reached") {
    const TpeHistory history = tiny_history();
    CHECK(history.finished() == 6); // the failed one is not evidence, the running one not yet
    // n_below 1: the best finished trial; the one stopped early with a better value ranks behind.
    TpeHistory::Split split = history.split(1, true);
    CHECK(values_of(history, split.below) == std::vector<double>{2});
    CHECK(values_of(history, split.above) == std::vector<double>{1, 4, 6, 8, 9, 3}); // the running one too
    // n_below 5: all four finished ones, then the trial stopped at iteration 5 before the one
    // stopped at iteration 3; suggestion order within each side.
    split = history.split(5, true);
    CHECK(values_of(history, split.below) == std::vector<double>{1, 2, 6, 8, 9});
    CHECK(values_of(history, split.above) == std::vector<double>{4, 3});
    // Without the constant liar the running trial is left out.
    CHECK(values_of(history, history.split(1, false).above) == std::vector<double>{1, 4, 6, 8, 9});
}

TEST_CASE("tpe acquisition: log l(x) - log g(x) on a tiny history matches the hand-computed values") {
    const TpeHistory history = tiny_history();
    const TpeHistory::Split split = history.split(1, true);
    TpeOptions options;
    const Kernel x_range{false, 0, 0.0, 10.0, 0.0};
    const ParzenEstimator l({x_range}, {values_of(history, split.below)}, options.observation_weights(1),
                            options.estimator);
    const ParzenEstimator g({x_range}, {values_of(history, split.above)}, options.observation_weights(6),
                            options.estimator);
    CHECK(l.sigmas(0) == std::vector<double>{10.0 / 3, 10.0});
    CHECK(g.sigmas(0) == std::vector<double>{2.0, 1.25, 2.0, 2.0, 1.25, 2.0, 10.0});
    const std::vector<double> xs = {2.5, 3.5, 5.0, 7.0};
    const std::vector<double> expected = {0.9301601257432026, 0.845865874919066, 0.8157517152467348,
                                          0.7295200889575613};
    const auto log_l = l.log_pdf({xs}), log_g = g.log_pdf({xs});
    for (std::size_t i = 0; i < xs.size(); ++i) CHECK(log_l[i] - log_g[i] == Approx(expected[i]).epsilon(1e-12));
    // normalized_density
    EstimatorOptions normalized = options.estimator;
    normalized.normalized_density = true;
    const ParzenEstimator ln({x_range}, {values_of(history, split.below)}, options.observation_weights(1), normalized);
    const ParzenEstimator gn({x_range}, {values_of(history, split.above)}, options.observation_weights(6), normalized);
    const std::vector<double> normalized_expected = {0.24145712627401839, 0.04433958227953427, -0.013937942345736865,
                                                     -0.17935989711832523};
    const auto log_ln = ln.log_pdf({xs}), log_gn = gn.log_pdf({xs});
    for (std::size_t i = 0; i < xs.size(); ++i)
        CHECK(log_ln[i] - log_gn[i] == Approx(normalized_expected[i]).epsilon(1e-12));

    // The same split over the integers 0 .. 9 (randint [0, 10)).
    const Kernel digits{false, 0, 0.0, 9.0, 1.0};
    const ParzenEstimator li({digits}, {values_of(history, split.below)}, options.observation_weights(1),
                             options.estimator);
    const ParzenEstimator gi({digits}, {values_of(history, split.above)}, options.observation_weights(6),
                             options.estimator);
    const std::vector<double> ints = {2, 3, 5, 7};
    const std::vector<double> int_expected = {0.3531700540255094, 0.1323635743426026, -0.04723490826081189,
                                              -0.27585723197770573};
    const auto log_li = li.log_pdf({ints}), log_gi = gi.log_pdf({ints});
    for (std::size_t i = 0; i < ints.size(); ++i)
        CHECK(log_li[i] - log_gi[i] == Approx(int_expected[i]).epsilon(1e-12));
}

TEST_CASE("tpe acquisition: the searcher suggests the candidate from l(x) with the largest log l - log g") {
    // The tiny history as a saved state, restored into a searcher on x in [0, 10).
    const TpeHistory history = tiny_history();
    std::mt19937_64 generator(99);
    std::ostringstream rng_text;
    rng_text << generator;
    const json state = {{"format", "org.tune.searcher.tpe/1"},
                        {"rng", rng_text.str()},
                        {"dimensions", {"x"}},
                        {"trials", history.save()}};
    TpeSearcher searcher;
    tune::SearcherSettings settings;
    settings.metric = "loss";
    settings.seed = 1;
    settings.num_samples = 20;
    settings.space = {{"x", {{"uniform", {0, 10}}}}};
    settings.options = {{"n_startup_trials", 6}};
    searcher.setup(settings);
    searcher.restore(state.dump());
    const double suggested = searcher.suggest("next").config["x"].get<double>();

    // By hand: gamma(6) = 1, l(x) on [2], g(x) on the others and the running trial, 24 draws
    // from l(x) with the searcher's generator, the best score wins.
    TpeOptions options;
    const TpeHistory::Split split = history.split(options.n_below(6), true);
    const Kernel x_range{false, 0, 0.0, 10.0, 0.0};
    const ParzenEstimator l({x_range}, {values_of(history, split.below)}, options.observation_weights(1),
                            options.estimator);
    const ParzenEstimator g({x_range}, {values_of(history, split.above)}, options.observation_weights(6),
                            options.estimator);
    const auto candidates = l.sample(generator, 24);
    const auto log_l = l.log_pdf(candidates), log_g = g.log_pdf(candidates);
    std::size_t best = 0;
    for (std::size_t i = 0; i < 24; ++i) {
        if (log_l[i] - log_g[i] > log_l[best] - log_g[best]) best = i;
    }
    CHECK(suggested == candidates[0][best]);
    // It lies where l(x) is large and g(x) small: near the best trial (x = 2), away from the
    // running trial and the others.
    CHECK(suggested < 3.0);
}
