// The Parzen estimators of org.tune.searcher.tpe against numbers computed independently.
//
// Expected values: Debian's python3-optuna 3.1 (optuna.samplers._tpe.parzen_estimator.
// _ParzenEstimator) built the same mixtures: its weights, mus and sigmas are the ones below,
// and its log_pdf gives the log densities and masses directly. Optuna 3.0 to 3.4 evaluate a
// continuous kernel without its -log(sigma) (fixed in Optuna 3.5, optuna/optuna#5109), which
// tune reproduces by default; with the option normalized_density (Optuna 3.5 and later) the
// expected values are Optuna 3.1's mixture evaluated with SciPy 1.10's normalised
// scipy.stats.truncnorm.logpdf and scipy.special.logsumexp. The helpers are checked against
// scipy.special (ndtri, log_ndtr, ndtri_exp) and scipy.stats.truncnorm.ppf.
#define TUNE_TPE_COMPONENTS
#include "searchers/searcher_tpe_fixture.hpp"

using namespace tune::tpe;

namespace {

constexpr double kTolerance = 1e-12;

void check_all(const std::vector<double> &actual, const std::vector<double> &expected, double epsilon = kTolerance) {
    REQUIRE(actual.size() == expected.size());
    for (std::size_t i = 0; i < actual.size(); ++i) {
        INFO("index " << i);
        CHECK(actual[i] == Approx(expected[i]).epsilon(epsilon).margin(epsilon));
    }
}

std::vector<double> log_pdf(const ParzenEstimator &estimator, const std::vector<double> &xs) {
    return estimator.log_pdf({xs});
}

std::vector<double> logs(const std::vector<double> &xs) {
    std::vector<double> out;
    for (double x : xs) out.push_back(std::log(x));
    return out;
}

const Kernel unit{false, 0, 0.0, 1.0, 0.0};

EstimatorOptions normalized() {
    EstimatorOptions options;
    options.normalized_density = true;
    return options;
}

} // namespace

TEST_CASE("tpe density: a continuous mixture has Optuna's weights and bandwidths and log density") {
    // _ParzenEstimator({'x': [0.2, 0.5, 0.9]}, FloatDistribution(0, 1)), default parameters.
    const ParzenEstimator e({unit}, {{0.2, 0.5, 0.9}}, {1, 1, 1}, EstimatorOptions{});
    check_all(e.weights(), {0.25, 0.25, 0.25, 0.25});
    check_all(e.mus(0), {0.2, 0.5, 0.9, 0.5});
    check_all(e.sigmas(0), {0.3, 0.3, 0.4, 1.0});
    const std::vector<double> xs = {0.0, 0.3, 0.55, 1.0};
    check_all(log_pdf(e, xs), {-0.9721525530984829, -0.6430715509603937, -0.592829377166323, -0.8533007773852136});
    // normalized_density: SciPy's truncnorm.logpdf of the same mixture.
    const ParzenEstimator n({unit}, {{0.2, 0.5, 0.9}}, {1, 1, 1}, normalized());
    check_all(log_pdf(n, xs), {-0.3378597278612161, 0.10484945766824982, 0.13008197275185074, -0.29256847586110957});
}

TEST_CASE("tpe density: a log domain is modelled on the log of its values") {
    // FloatDistribution(1e-4, 1e-1, log=True), observations 1e-3 and 1e-2, evaluated at
    // log(2e-4), log(3e-3), log(5e-2).
    const Kernel log_kernel{false, 0, std::log(1e-4), std::log(1e-1), 0.0};
    const ParzenEstimator e({log_kernel}, {logs({1e-3, 1e-2})}, {1, 1}, EstimatorOptions{});
    check_all(e.mus(0), {-6.907755278982137, -4.605170185988091, -5.756462732485113});
    check_all(e.sigmas(0), {1.7269388197455342, 1.7269388197455342, 6.907755278982137});
    check_all(log_pdf(e, logs({2e-4, 3e-3, 5e-2})), {-0.8507436404845026, -0.5403625190833256, -0.8507436404845026});
    const ParzenEstimator n({log_kernel}, {logs({1e-3, 1e-2})}, {1, 1}, normalized());
    check_all(log_pdf(n, logs({2e-4, 3e-3, 5e-2})), {-2.2249676385237116, -1.679282829544558, -2.224967638523712});
}

TEST_CASE("tpe density: a log integer domain widens by half a unit before the log as Optuna does") {
    // IntDistribution(1, 99, log=True) (lograndint [1, 100)): kernels on [log 0.5, log 99.5].
    const Kernel log_int{false, 0, std::log(0.5), std::log(99.5), 0.0};
    const ParzenEstimator e({log_int}, {logs({3, 10, 10})}, {1, 1, 1}, EstimatorOptions{});
    check_all(e.mus(0), {1.0986122886681096, 2.3025850929940455, 2.3025850929940455, 1.9535052318023007});
    check_all(e.sigmas(0), {1.0586609649448984, 1.0586609649448984, 1.0586609649448984, 5.293304824724492});
    check_all(log_pdf(e, logs({1, 4, 10, 99})),
              {-1.1289366764347823, -0.6946143302412733, -0.658508008930584, -1.3868115548818516});
    const ParzenEstimator n({log_int}, {logs({3, 10, 10})}, {1, 1, 1}, normalized());
    check_all(log_pdf(n, logs({1, 4, 10, 99})),
              {-2.107055285438588, -1.2876844214751624, -1.2291242307517698, -2.7766046296444795});
}

TEST_CASE("tpe density: integer and quantized domains are the mass of their cell") {
    // IntDistribution(0, 4), observations 1, 1, 3: Optuna 3.1's log_pdf.
    const ParzenEstimator ints({Kernel{false, 0, 0.0, 4.0, 1.0}}, {{1, 1, 3}}, {1, 1, 1}, EstimatorOptions{});
    check_all(ints.sigmas(0), {1, 1, 1, 5});
    const std::vector<double> int_masses = {-1.7194143238697677, -1.3003487366199757, -1.40108298680161,
                                            -1.6816616667660726, -2.154185865560259};
    check_all(log_pdf(ints, {0, 1, 2, 3, 4}), int_masses);
    // FloatDistribution(0, 1, step=0.25), observations 0.25, 0.75, 0.75: the same mixture scaled.
    const ParzenEstimator quantized({Kernel{false, 0, 0.0, 1.0, 0.25}}, {{0.25, 0.75, 0.75}}, {1, 1, 1},
                                    EstimatorOptions{});
    check_all(quantized.sigmas(0), {0.25, 0.25, 0.25, 1.25});
    check_all(log_pdf(quantized, {0, 0.25, 0.5, 0.75, 1.0}),
              {-2.154185865560259, -1.6816616667660726, -1.40108298680161, -1.3003487366199757, -1.7194143238697677});
    // The masses of every cell sum to 1.
    double total = 0.0;
    for (double lp : log_pdf(ints, {0, 1, 2, 3, 4})) total += std::exp(lp);
    CHECK(total == Approx(1.0).epsilon(1e-12));
}

TEST_CASE("tpe density: a choice is a weighted count with the prior spread evenly") {
    // CategoricalDistribution(['a', 'b', 'c']), observations 0, 2, 2.
    const Kernel three{true, 3, 0.0, 0.0, 0.0};
    const ParzenEstimator e({three}, {{0, 2, 2}}, {1, 1, 1}, EstimatorOptions{});
    check_all(log_pdf(e, {0, 1, 2}), {-1.0986122886681096, -1.6582280766035324, -0.7419373447293772});
    CHECK(e.category_probability(0, 3, 1) == Approx(1.0 / 3));     // the prior's row
    CHECK(e.category_probability(0, 0, 0) == Approx(1.25 / 1.75)); // 1/4 + 1, normalised by 3/4 + 1
    // consider_prior false, prior_weight 2.
    EstimatorOptions options;
    options.consider_prior = false;
    options.prior_weight = 2.0;
    const ParzenEstimator no_prior({three}, {{0, 2, 2}}, {1, 1, 1}, options);
    check_all(log_pdf(no_prior, {0, 1, 2}), {-1.0986122886681098, -1.5040773967762742, -0.810930216216329});
}

TEST_CASE("tpe density: consider_endpoints and no magic clip and no prior change the bandwidths as in Optuna") {
    EstimatorOptions options;
    options.consider_prior = false;
    options.prior_weight = 2.0;
    options.consider_magic_clip = false;
    options.consider_endpoints = true;
    const ParzenEstimator e({unit}, {{0.2, 0.5, 0.9}}, {1, 1, 1}, options);
    check_all(e.weights(), {1.0 / 3, 1.0 / 3, 1.0 / 3});
    check_all(e.sigmas(0), {0.3, 0.4, 0.4});
    check_all(log_pdf(e, {0.1, 0.5, 0.95}), {-1.1969844297422976, -0.8804627352240819, -1.1320181816142656});
    options.normalized_density = true;
    const ParzenEstimator n({unit}, {{0.2, 0.5, 0.9}}, {1, 1, 1}, options);
    check_all(log_pdf(n, {0.1, 0.5, 0.95}), {-0.10956983536803677, 0.11943349555400185, -0.20763678691371273});
}

TEST_CASE("tpe density: the multivariate mixture uses Scott's rule and joint components") {
    // _ParzenEstimator(multivariate=True) over a float [0, 1], an int [0, 4] and a 3-way choice.
    EstimatorOptions options;
    options.multivariate = true;
    const ParzenEstimator e({unit, Kernel{false, 0, 0.0, 4.0, 1.0}, Kernel{true, 3, 0.0, 0.0, 0.0}},
                            {{0.2, 0.5, 0.9}, {1, 1, 3}, {0, 2, 2}}, {1, 1, 1}, options);
    // 0.2 * 3^(-1/7) = 0.171 is below the magic clip 1/5.
    check_all(e.sigmas(0), {0.2, 0.2, 0.2, 1.0});
    check_all(e.sigmas(1), {1, 1, 1, 5});
    const std::vector<std::vector<double>> points = {{0.3, 0.9}, {1, 4}, {2, 1}};
    check_all(e.log_pdf(points), {-3.1815954466998617, -3.875425785561801});
    options.normalized_density = true;
    const ParzenEstimator n({unit, Kernel{false, 0, 0.0, 4.0, 1.0}, Kernel{true, 3, 0.0, 0.0, 0.0}},
                            {{0.2, 0.5, 0.9}, {1, 1, 3}, {0, 2, 2}}, {1, 1, 1}, options);
    check_all(n.log_pdf(points), {-1.9791643203156208, -3.1664689446864136});
}

TEST_CASE("tpe density: Optuna's default weights ramp and default gamma") {
    TpeOptions options;
    // optuna.samplers._tpe.sampler.default_weights(30)
    std::vector<double> expected = {0.03333333333333333, 0.275, 0.5166666666666667, 0.7583333333333333};
    expected.resize(30, 1.0);
    check_all(options.observation_weights(30), expected);
    check_all(options.observation_weights(25), std::vector<double>(25, 1.0));
    // default_gamma(n) for n in 0, 1, 9, 10, 11, 250, 251, 1000
    const std::vector<std::size_t> n = {0, 1, 9, 10, 11, 250, 251, 1000};
    const std::vector<std::size_t> below = {0, 1, 1, 1, 2, 25, 25, 25};
    for (std::size_t i = 0; i < n.size(); ++i) CHECK(options.n_below(n[i]) == below[i]);
}

TEST_CASE("tpe density: draws stay in the support and follow the truncated normal") {
    // One observation 0.9 on [0, 1] without the prior: N(0.9, 0.9) truncated to [0, 1], whose
    // mean SciPy's truncnorm.mean gives as 0.5393364421514697.
    EstimatorOptions options;
    options.consider_prior = false;
    const ParzenEstimator e({unit}, {{0.9}}, {1}, options);
    std::mt19937_64 rng(11);
    const auto draws = e.sample(rng, 40000);
    double sum = 0.0;
    for (double x : draws[0]) {
        REQUIRE(x >= 0.0);
        REQUIRE(x <= 1.0);
        sum += x;
    }
    CHECK(sum / 40000.0 == Approx(0.5393364421514697).margin(0.005));
    // Discrete draws lie on the grid, categorical ones are indices.
    const ParzenEstimator ints({Kernel{false, 0, 2.0, 8.0, 2.0}}, {{4, 4, 8}}, {1, 1, 1}, EstimatorOptions{});
    const auto int_draws = ints.sample(rng, 500);
    for (double x : int_draws[0]) {
        REQUIRE(x >= 2.0);
        REQUIRE(x <= 8.0);
        REQUIRE(std::fmod(x, 2.0) == 0.0);
    }
    const ParzenEstimator choices({Kernel{true, 4, 0, 0, 0}}, {{3, 3}}, {1, 1}, EstimatorOptions{});
    std::vector<int> counts(4, 0);
    const auto choice_draws = choices.sample(rng, 4000);
    for (double c : choice_draws[0]) counts.at(static_cast<std::size_t>(c)) += 1;
    // Category 3's share of the draws is its mass under the mixture.
    CHECK(counts[3] / 4000.0 == Approx(std::exp(choices.log_pdf({{3}})[0])).margin(0.03));
}

TEST_CASE("tpe density: the fast evaluation equals the direct sum over every component") {
    // Larger mixtures, continuous and discrete, with and without the magic clip (which allows
    // bandwidths of 1e-12 and terms of -1e23): the merged, windowed, vectorised log density
    // against log(sum_j w_j * truncated density (or cell mass) of component j), term by term.
    std::mt19937_64 rng(3);
    for (int round = 0; round < 60; ++round) {
        const std::size_t n = 1 + rng() % 300;
        const bool discrete = round % 3 == 0;
        const Kernel kernel{false, 0, -5.0, 10.0, discrete ? 0.5 : 0.0};
        std::normal_distribution<double> normal(2.0 + round % 5, 0.3 + (round % 7) * 0.5);
        const auto on_grid = [&](double x) { return discrete ? -5.0 + std::nearbyint((x + 5.0) / 0.5) * 0.5 : x; };
        std::vector<double> observations(n), weights(n, 1.0);
        for (double &x : observations) x = on_grid(std::clamp(normal(rng), -5.0, 10.0));
        for (std::size_t i = 0; i + 25 < n; ++i) weights[i] = (static_cast<double>(i) + 1.0) / static_cast<double>(n);
        EstimatorOptions options;
        options.consider_magic_clip = round % 2 == 1;
        options.consider_endpoints = round % 4 == 1;
        options.normalized_density = round % 5 < 2;
        const ParzenEstimator e({kernel}, {observations}, weights, options);
        std::vector<double> xs;
        for (int i = 0; i < 20; ++i) xs.push_back(on_grid(-5.0 + 15.0 * static_cast<double>(rng() % 10000) / 10000.0));
        const std::vector<double> fast = log_pdf(e, xs);
        const double lower = kernel.low - kernel.step / 2, upper = kernel.high + kernel.step / 2;
        for (std::size_t i = 0; i < xs.size(); ++i) {
            std::vector<double> terms;
            for (std::size_t j = 0; j < e.components(); ++j) {
                const double mu = e.mus(0)[j], sigma = e.sigmas(0)[j];
                const double normaliser = log_gauss_mass((lower - mu) / sigma, (upper - mu) / sigma);
                double term = std::log(e.weights()[j]) - normaliser;
                if (discrete) {
                    term += log_gauss_mass((std::max(xs[i] - 0.25, lower) - mu) / sigma,
                                           (std::min(xs[i] + 0.25, upper) - mu) / sigma);
                } else {
                    const double z = (xs[i] - mu) / sigma;
                    term += -0.5 * z * z - (options.normalized_density ? std::log(sigma) : 0.0) - kLogSqrt2Pi;
                }
                terms.push_back(term);
            }
            const double largest = *std::max_element(terms.begin(), terms.end());
            double sum = 0.0;
            for (double term : terms) sum += std::exp(term - largest);
            INFO("round " << round << " x " << xs[i]);
            CHECK(fast[i] == Approx(largest + std::log(sum)).epsilon(1e-13).margin(1e-13));
        }
    }
}

TEST_CASE("tpe density: the normal distribution helpers match SciPy") {
    const std::vector<double> p = {1e-300, 1e-20, 0.3, 0.5, 0.99, 1 - 1e-10};
    const std::vector<double> ndtri_expected = {-37.0470962993612,  -9.262340089798409, -0.5244005127080409, 0.0,
                                                2.3263478740408408, 6.361340889697422};
    for (std::size_t i = 0; i < p.size(); ++i) CHECK(ndtri(p[i]) == Approx(ndtri_expected[i]).epsilon(1e-13));
    const std::vector<double> z = {-40, -20.5, -3, 0, 7};
    const std::vector<double> log_ndtr_expected = {-804.6084420137539, -214.06672896326387, -6.60772622151035,
                                                   -0.6931471805599453, -1.2798125438866539e-12};
    for (std::size_t i = 0; i < z.size(); ++i) CHECK(log_ndtr(z[i]) == Approx(log_ndtr_expected[i]).epsilon(1e-13));
    const std::vector<double> y = {-1e4, -800, -50, -1, -0.1};
    const std::vector<double> ndtri_exp_expected = {-141.37983987312978, -39.88469483825668, -9.674825283612355,
                                                    -0.33747496376420244, 1.309617799458493};
    for (std::size_t i = 0; i < y.size(); ++i) CHECK(ndtri_exp(y[i]) == Approx(ndtri_exp_expected[i]).epsilon(1e-13));
    // optuna.samplers._tpe._truncnorm._log_gauss_mass, and log_interval_mass agreeing with it.
    CHECK(log_gauss_mass(-1, 2) == Approx(-0.20016629432446262).epsilon(1e-13));
    CHECK(log_gauss_mass(3, 4) == Approx(-6.631467786538224).epsilon(1e-13));
    CHECK(log_gauss_mass(-40, -38) == Approx(-726.5572160188202).epsilon(1e-13));
    CHECK(log_interval_mass(0.1, 0.2) == Approx(-3.233180851568643).epsilon(1e-13));
    CHECK(log_interval_mass(10, 10.04) == Approx(log_gauss_mass(10, 10.04)).epsilon(1e-12));
    // scipy.stats.truncnorm.ppf(q, a, b)
    CHECK(truncated_normal_quantile(0.3, -1, 2) == Approx(-0.24240381788922707).epsilon(1e-13));
    CHECK(truncated_normal_quantile(0.3, 1, 2) == Approx(1.1856325685206264).epsilon(1e-13));
    CHECK(truncated_normal_quantile(0.7, -50, -49) == Approx(-49.00727551289713).epsilon(1e-13));
    // The fast exp, against std::exp.
    for (double t = -700.0; t <= 0.0; t += 0.37) CHECK(exp_nonpositive(t) == Approx(std::exp(t)).epsilon(5e-16));
}
