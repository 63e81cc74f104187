#include "parzen_estimator.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "truncated_normal.hpp"
#include "tune/space/random.hpp"

namespace tune::tpe {
namespace {

constexpr double kEps = 1e-12;           // Optuna's smallest bandwidth without the magic clip
constexpr double kSigma0Magnitude = 0.2; // Optuna's multivariate bandwidth factor
constexpr double kNegligible = 40.0;     // terms this far (in log) below the largest add < 5e-18 each
constexpr double kInfinity = std::numeric_limits<double>::infinity();

// The loops below run for every candidate over every nearby component: on x86-64 they are
// compiled twice, for SSE2 and for AVX2, and the CPU picks. Both do the same IEEE operations
// lane by lane (no FMA), so the results are the same bits on every machine.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__linux__)
#define TUNE_TPE_VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define TUNE_TPE_VECTOR_CLONES
#endif

// terms[j] = constant[j] - ((x - mu[j]) * inverse_sigma[j])^2 / 2: each continuous kernel's log
// density at x.
TUNE_TPE_VECTOR_CLONES void gaussian_terms(const double *mu, const double *inverse_sigma, const double *constant,
                                           std::size_t count, double x, double *terms) {
    for (std::size_t j = 0; j < count; ++j) {
        const double z = (x - mu[j]) * inverse_sigma[j];
        terms[j] = constant[j] - 0.5 * z * z;
    }
}

// log(sum(exp(terms))), overwriting terms: the exact maximum first, then the sum in four lanes.
TUNE_TPE_VECTOR_CLONES double log_sum_exp_in_place(double *terms, std::size_t count) {
    double largest = -kInfinity;
    for (std::size_t j = 0; j < count; ++j) largest = terms[j] > largest ? terms[j] : largest;
    if (!std::isfinite(largest)) return largest;
    for (std::size_t j = 0; j < count; ++j) { // two loops, so that both vectorise
        const double shifted = terms[j] - largest;
        terms[j] = shifted < -708.0 ? -708.0 : shifted; // exp(-708) ~ 3e-308: nothing next to exp(0)
    }
    for (std::size_t j = 0; j < count; ++j) terms[j] = exp_in_range(terms[j]);
    double sums[4] = {0.0, 0.0, 0.0, 0.0};
    std::size_t j = 0;
    for (; j + 4 <= count; j += 4)
        for (std::size_t lane = 0; lane < 4; ++lane) sums[lane] += terms[j + lane];
    for (; j < count; ++j) sums[0] += terms[j];
    return largest + std::log((sums[0] + sums[1]) + (sums[2] + sums[3]));
}

} // namespace

double log_sum_exp(const std::vector<double> &values) {
    std::vector<double> terms = values;
    return log_sum_exp_in_place(terms.data(), terms.size());
}

MixtureWeights::MixtureWeights(std::vector<double> observation_weights, const EstimatorOptions &options)
    : observations_(observation_weights.size()), prior_(options.consider_prior || observation_weights.empty()),
      normalized_(std::move(observation_weights)) {
    if (prior_) normalized_.push_back(options.prior_weight);
    const double total = std::accumulate(normalized_.begin(), normalized_.end(), 0.0);
    if (!(total > 0.0)) throw std::invalid_argument("MixtureWeights: the weights must have a positive sum");
    for (double &w : normalized_) w /= total;
    log_normalized_.resize(normalized_.size());
    for (std::size_t j = 0; j < normalized_.size(); ++j)
        log_normalized_[j] =
            j > 0 && normalized_[j] == normalized_[j - 1] ? log_normalized_[j - 1] : std::log(normalized_[j]);
    cumulative_.resize(normalized_.size());
    std::partial_sum(normalized_.begin(), normalized_.end(), cumulative_.begin());
    for (double &c : cumulative_) c /= cumulative_.back();
}

ParzenEstimator::ParzenEstimator(const std::vector<Kernel> &kernels, const std::vector<std::vector<double>> &columns,
                                 const std::vector<double> &observation_weights, const EstimatorOptions &options)
    : ParzenEstimator(kernels, columns, std::make_shared<const MixtureWeights>(observation_weights, options), options) {
}

ParzenEstimator::ParzenEstimator(const std::vector<Kernel> &kernels, const std::vector<std::vector<double>> &columns,
                                 std::shared_ptr<const MixtureWeights> weights, const EstimatorOptions &options,
                                 const std::vector<std::size_t> *sorted)
    : weights_(std::move(weights)), normalized_density_(options.normalized_density) {
    if (kernels.size() != columns.size()) throw std::invalid_argument("ParzenEstimator: one column per kernel");
    for (const auto &column : columns)
        if (column.size() != weights_->observations())
            throw std::invalid_argument("ParzenEstimator: one weight per observation");
    if (sorted && (kernels.size() != 1 || sorted->size() != weights_->observations()))
        throw std::invalid_argument("ParzenEstimator: a sorted order is for one dimension's observations");
    dims_.resize(kernels.size());
    for (std::size_t d = 0; d < kernels.size(); ++d) {
        dims_[d].kernel = kernels[d];
        if (kernels[d].categorical)
            build_categorical(dims_[d], columns[d], options);
        else
            build_numeric(dims_[d], columns[d], kernels.size(), options, sorted);
    }
}

void ParzenEstimator::build_numeric(Dim &dim, const std::vector<double> &observations, std::size_t dimensions,
                                    const EstimatorOptions &options, const std::vector<std::size_t> *sorted) const {
    const Kernel &k = dim.kernel;
    const bool prior = weights_->prior();
    const std::vector<double> &weights = weights_->normalized();
    dim.lower = k.low - 0.5 * k.step;
    dim.upper = k.high + 0.5 * k.step;
    const double range = dim.upper - dim.lower;
    const std::size_t n = observations.size();
    dim.mu = observations;
    if (prior) dim.mu.push_back(0.5 * (k.low + k.high));
    const std::size_t m = dim.mu.size();
    dim.sigma.assign(m, 0.0);

    // The components in the order of their means, ties in component order (the prior last):
    // for the neighbour bandwidths, and to merge equal components below.
    std::vector<std::size_t> order;
    if (!options.multivariate || dimensions == 1) {
        if (sorted) {
            order = *sorted;
        } else {
            std::vector<std::pair<double, std::size_t>> by_mean(n);
            for (std::size_t j = 0; j < n; ++j) by_mean[j] = {dim.mu[j], j};
            std::sort(by_mean.begin(), by_mean.end());
            order.resize(n);
            for (std::size_t i = 0; i < n; ++i) order[i] = by_mean[i].second;
        }
        if (prior) {
            const double mean = dim.mu[n];
            const auto at = std::upper_bound(order.begin(), order.end(), mean,
                                             [&](double value, std::size_t j) { return value < dim.mu[j]; });
            order.insert(at, n);
        }
    }

    if (options.multivariate) {
        // Scott's rule, as the BOHB paper and Optuna's multivariate TPE use it.
        const double count = static_cast<double>(std::max<std::size_t>(n, 1));
        const double sigma0 = kSigma0Magnitude * std::pow(count, -1.0 / (static_cast<double>(dimensions) + 4.0));
        std::fill(dim.sigma.begin(), dim.sigma.end(), sigma0 * range);
    } else {
        // Each kernel as wide as the larger gap to its neighbours, the support's ends included;
        // without consider_endpoints, the outermost ones as wide as the gap to their only neighbour.
        const auto point = [&](std::size_t i) { // the means in order, between the support's ends
            return i == 0 ? dim.lower : i == m + 1 ? dim.upper : dim.mu[order[i - 1]];
        };
        for (std::size_t i = 0; i < m; ++i)
            dim.sigma[order[i]] = std::max(point(i + 1) - point(i), point(i + 2) - point(i + 1));
        if (!options.consider_endpoints && m >= 2) {
            dim.sigma[order[0]] = point(2) - point(1);
            dim.sigma[order[m - 1]] = point(m) - point(m - 1);
        }
    }
    const double max_sigma = range;
    const double min_sigma = options.consider_magic_clip ? range / std::min(100.0, 1.0 + static_cast<double>(m)) : kEps;
    for (double &s : dim.sigma) s = std::clamp(s, min_sigma, max_sigma);
    if (prior) dim.sigma.back() = range;

    dim.log_mass.resize(m);
    for (std::size_t j = 0; j < m; ++j) {
        const double a = (dim.lower - dim.mu[j]) / dim.sigma[j], b = (dim.upper - dim.mu[j]) / dim.sigma[j];
        // A tail beyond 9 sigma holds less than 2e-19: its part of the log mass is 0 to rounding.
        if (a < -9.0)
            dim.log_mass[j] = b > 9.0 ? 0.0 : log_ndtr(b);
        else
            dim.log_mass[j] = b > 9.0 ? log_ndtr(-a) : log_gauss_mass(a, b);
    }

    if (dimensions != 1) return;
    // One dimension: components with the same mean and bandwidth (repeated observations of a
    // discrete value) merge into one with their summed weight. They are adjacent in `order`.
    const bool continuous = k.step == 0.0;
    double last_sigma = -1.0, last_log_sigma = 0.0; // bandwidths repeat (the magic clip): one log each
    const auto constant_of = [&](std::size_t j, double log_weight) {
        const double constant = log_weight - dim.log_mass[j];
        if (!continuous) return constant;
        if (!options.normalized_density) return constant - kLogSqrt2Pi;
        if (dim.sigma[j] != last_sigma) {
            last_sigma = dim.sigma[j];
            last_log_sigma = std::log(last_sigma);
        }
        return constant - last_log_sigma - kLogSqrt2Pi;
    };
    std::vector<double> merged_sigma(m);
    dim.merged_mu.resize(m);
    dim.merged_inverse_sigma.resize(m);
    dim.merged_constant.resize(m);
    dim.max_constant = -kInfinity;
    std::size_t merged = 0;
    for (std::size_t i = 0; i < m;) {
        const std::size_t j = order[i];
        if (prior && j == n) { // the prior stays apart: its bandwidth is the widest
            dim.has_prior = true;
            dim.prior_mu = dim.mu[j];
            dim.prior_inverse_sigma = 1.0 / dim.sigma[j];
            dim.prior_constant = constant_of(j, weights_->log_normalized()[j]);
            ++i;
            continue;
        }
        double weight = 0.0;
        std::size_t end = i;
        while (end < m && !(prior && order[end] == n) && dim.mu[order[end]] == dim.mu[j] &&
               dim.sigma[order[end]] == dim.sigma[j])
            weight += weights[order[end++]];
        const double log_weight = end == i + 1 ? weights_->log_normalized()[j] : std::log(weight);
        i = end;
        dim.merged_mu[merged] = dim.mu[j];
        merged_sigma[merged] = dim.sigma[j];
        dim.merged_inverse_sigma[merged] = 1.0 / dim.sigma[j];
        dim.merged_constant[merged] = constant_of(j, log_weight);
        dim.max_constant = std::max(dim.max_constant, dim.merged_constant[merged]);
        ++merged;
    }
    merged_sigma.resize(merged);
    dim.merged_mu.resize(merged);
    dim.merged_inverse_sigma.resize(merged);
    dim.merged_constant.resize(merged);
    dim.left_max_sigma.resize(merged);
    dim.right_max_sigma.resize(merged);
    for (std::size_t i = 0; i < merged; ++i)
        dim.left_max_sigma[i] = std::max(merged_sigma[i], i > 0 ? dim.left_max_sigma[i - 1] : 0.0);
    for (std::size_t i = merged; i-- > 0;)
        dim.right_max_sigma[i] = std::max(merged_sigma[i], i + 1 < merged ? dim.right_max_sigma[i + 1] : 0.0);
}

void ParzenEstimator::build_categorical(Dim &dim, const std::vector<double> &observations,
                                        const EstimatorOptions &options) const {
    const bool prior = weights_->prior();
    const std::vector<double> &weights = weights_->normalized();
    const std::size_t categories = dim.kernel.categories;
    const std::size_t n = observations.size();
    dim.base = options.prior_weight / static_cast<double>(n + (prior ? 1 : 0));
    dim.observed.resize(n + (prior ? 1 : 0), -1);
    for (std::size_t i = 0; i < n; ++i) {
        const double c = observations[i];
        if (!(c >= 0.0 && c < static_cast<double>(categories)))
            throw std::invalid_argument("ParzenEstimator: a category index out of range");
        dim.observed[i] = static_cast<std::int64_t>(c);
    }
    if (dims_.size() != 1) return;
    // One dimension: the mixture's mass of every category, once.
    const double k = static_cast<double>(categories);
    std::vector<double> mass(categories, 0.0);
    double observed_weight = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        mass[static_cast<std::size_t>(dim.observed[i])] += weights[i];
        observed_weight += weights[i];
    }
    const double row_sum = k * dim.base + 1.0;
    const double everywhere = dim.base * observed_weight / row_sum + (prior ? weights.back() / k : 0.0);
    dim.category_log_probability.resize(categories);
    for (std::size_t c = 0; c < categories; ++c)
        dim.category_log_probability[c] = std::log(everywhere + mass[c] / row_sum);
}

double ParzenEstimator::category_probability(std::size_t d, std::size_t j, std::size_t c) const {
    const Dim &dim = dims_.at(d);
    const double row_sum =
        static_cast<double>(dim.kernel.categories) * dim.base + (dim.observed.at(j) >= 0 ? 1.0 : 0.0);
    return (dim.base + (dim.observed[j] == static_cast<std::int64_t>(c) ? 1.0 : 0.0)) / row_sum;
}

std::vector<std::vector<double>> ParzenEstimator::sample(std::mt19937_64 &rng, std::size_t count) const {
    const std::vector<double> &cumulative = weights_->cumulative();
    std::vector<std::size_t> active(count);
    for (std::size_t i = 0; i < count; ++i) {
        const double u = space::uniform01(rng);
        const auto found = std::upper_bound(cumulative.begin(), cumulative.end(), u) - cumulative.begin();
        active[i] = std::min(static_cast<std::size_t>(found), cumulative.size() - 1);
    }
    std::vector<std::vector<double>> points(dims_.size(), std::vector<double>(count));
    for (std::size_t d = 0; d < dims_.size(); ++d) {
        const Dim &dim = dims_[d];
        const Kernel &k = dim.kernel;
        for (std::size_t i = 0; i < count; ++i) {
            const double u = space::uniform01(rng);
            const std::size_t j = active[i];
            if (k.categorical) {
                // The first category whose cumulative probability reaches u.
                std::size_t c = 0;
                double reached = 0.0;
                for (; c + 1 < k.categories; ++c) {
                    reached += category_probability(d, j, c);
                    if (!(reached < u)) break;
                }
                points[d][i] = static_cast<double>(c);
                continue;
            }
            const double mu = dim.mu[j], sigma = dim.sigma[j];
            const double z = truncated_normal_quantile(u, (dim.lower - mu) / sigma, (dim.upper - mu) / sigma);
            double x = std::clamp(mu + sigma * z, dim.lower, dim.upper);
            if (k.step > 0.0) x = std::clamp(k.low + std::nearbyint((x - k.low) / k.step) * k.step, k.low, k.high);
            points[d][i] = x;
        }
    }
    return points;
}

double ParzenEstimator::component_log_pdf(const Dim &dim, std::size_t j, double x) const {
    const Kernel &k = dim.kernel;
    if (k.categorical) {
        const double row_sum = static_cast<double>(k.categories) * dim.base + (dim.observed[j] >= 0 ? 1.0 : 0.0);
        return std::log((dim.base + (dim.observed[j] == static_cast<std::int64_t>(x) ? 1.0 : 0.0)) / row_sum);
    }
    if (x < dim.lower || x > dim.upper) return -kInfinity;
    const double mu = dim.mu[j], sigma = dim.sigma[j];
    if (k.step == 0.0) {
        const double z = (x - mu) / sigma;
        return -0.5 * z * z - (normalized_density_ ? std::log(sigma) : 0.0) - kLogSqrt2Pi - dim.log_mass[j];
    }
    const double a = std::max(x - 0.5 * k.step, dim.lower), b = std::min(x + 0.5 * k.step, dim.upper);
    return log_interval_mass((a - mu) / sigma, (b - mu) / sigma) - dim.log_mass[j];
}

std::vector<double> ParzenEstimator::log_pdf(const std::vector<std::vector<double>> &points) const {
    if (points.size() != dims_.size()) throw std::invalid_argument("ParzenEstimator::log_pdf: one row per dimension");
    const std::size_t count = points.empty() ? 0 : points[0].size();
    std::vector<double> out(count);
    if (dims_.size() == 1) {
        univariate_log_pdf(dims_[0], points[0], out);
        return out;
    }
    const std::vector<double> &log_weights = weights_->log_normalized();
    std::vector<double> terms(log_weights.size());
    for (std::size_t i = 0; i < count; ++i) {
        for (std::size_t j = 0; j < log_weights.size(); ++j) {
            double term = log_weights[j];
            for (std::size_t d = 0; d < dims_.size() && term > -kInfinity; ++d)
                term += component_log_pdf(dims_[d], j, points[d][i]);
            terms[j] = term;
        }
        out[i] = log_sum_exp(terms);
    }
    return out;
}

void ParzenEstimator::univariate_log_pdf(const Dim &dim, const std::vector<double> &xs,
                                         std::vector<double> &out) const {
    if (dim.kernel.categorical) {
        for (std::size_t i = 0; i < xs.size(); ++i)
            out[i] = dim.category_log_probability.at(static_cast<std::size_t>(xs[i]));
        return;
    }
    std::vector<double> scratch(dim.merged_mu.size() + 1);
    // Candidates on a grid repeat: each distinct one once.
    std::vector<std::pair<double, double>> done;
    for (std::size_t i = 0; i < xs.size(); ++i) {
        const auto found = std::find_if(done.begin(), done.end(), [&](const auto &p) { return p.first == xs[i]; });
        out[i] = found != done.end() ? found->second : univariate_numeric_log_pdf(dim, xs[i], scratch);
        if (found == done.end() && dim.kernel.step > 0.0) done.emplace_back(xs[i], out[i]);
    }
}

double ParzenEstimator::univariate_numeric_log_pdf(const Dim &dim, double x, std::vector<double> &scratch) const {
    const double step = dim.kernel.step;
    // The point, or the cell of a discrete value.
    const double a = step > 0.0 ? std::max(x - 0.5 * step, dim.lower) : x;
    const double b = step > 0.0 ? std::min(x + 0.5 * step, dim.upper) : x;
    if (x < dim.lower || x > dim.upper || (step > 0.0 && !(a < b))) return -kInfinity;
    const double *mu = dim.merged_mu.data();
    const double *inverse_sigma = dim.merged_inverse_sigma.data();
    const double *constant = dim.merged_constant.data();
    const auto term = [&](double m, double inverse, double c) {
        if (step > 0.0) return c + log_interval_mass((a - m) * inverse, (b - m) * inverse);
        const double z = (x - m) * inverse;
        return c - 0.5 * z * z;
    };

    // Only components near the point matter. A component whose mean lies at distance d from
    // [a, b] contributes at most exp(max_constant - (d / sigma)^2 / 2) (the Gaussian tail
    // bound), and sigma is at most the largest bandwidth from it outwards: components further
    // out than where that bound falls kNegligible below a term already known add nothing.
    const std::size_t m = dim.merged_mu.size();
    const std::size_t inside = static_cast<std::size_t>(std::lower_bound(mu, mu + m, a) - mu);
    const std::size_t beyond = static_cast<std::size_t>(std::upper_bound(mu, mu + m, b) - mu);
    double known = dim.has_prior ? term(dim.prior_mu, dim.prior_inverse_sigma, dim.prior_constant) : -kInfinity;
    for (const std::size_t j : {inside, beyond, inside - 1}) // the nearest components (inside - 1 may wrap)
        if (j < m) known = std::max(known, term(mu[j], inverse_sigma[j], constant[j]));
    const double threshold = known - kNegligible;
    const auto bound = [&](double distance, double sigma) {
        const double z = distance / sigma;
        return dim.max_constant - 0.5 * z * z;
    };
    const std::size_t first =
        static_cast<std::size_t>(std::partition_point(mu, mu + inside,
                                                      [&](const double &mean) {
                                                          const std::size_t j = static_cast<std::size_t>(&mean - mu);
                                                          return bound(a - mean, dim.left_max_sigma[j]) < threshold;
                                                      }) -
                                 mu);
    const std::size_t end =
        static_cast<std::size_t>(std::partition_point(mu + beyond, mu + m,
                                                      [&](const double &mean) {
                                                          const std::size_t j = static_cast<std::size_t>(&mean - mu);
                                                          return !(bound(mean - b, dim.right_max_sigma[j]) < threshold);
                                                      }) -
                                 mu);

    double *terms = scratch.data();
    std::size_t count = end - first;
    if (step > 0.0) {
        for (std::size_t j = first; j < end; ++j) terms[j - first] = term(mu[j], inverse_sigma[j], constant[j]);
    } else {
        gaussian_terms(mu + first, inverse_sigma + first, constant + first, count, x, terms);
    }
    if (dim.has_prior) terms[count++] = term(dim.prior_mu, dim.prior_inverse_sigma, dim.prior_constant);
    return log_sum_exp_in_place(terms, count);
}

} // namespace tune::tpe
