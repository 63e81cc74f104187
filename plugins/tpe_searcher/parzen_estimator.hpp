// The Parzen estimator of TPE: a weighted mixture with one component per observation and one
// for the prior, each a product over the modelled dimensions of a truncated Gaussian (numeric
// dimensions, in the transformed space: log for log domains) or a categorical distribution
// (choices). As optuna/samplers/_tpe/parzen_estimator.py builds it (Optuna 3.x): bandwidths
// from the distances to the neighbouring observations (univariate) or Scott's rule
// (multivariate), the magic clip, the prior N((low + high) / 2, high - low), and discrete
// dimensions widened by half a step on each side and evaluated as the mass of their cell.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <random>
#include <vector>

namespace tune::tpe {

// One dimension as the estimators see it.
struct Kernel {
    bool categorical = false;
    std::size_t categories = 0; // categorical: the values are the indices 0 .. categories - 1
    // Numeric: the values lie in [low, high]. With step > 0 they are the grid low + k * step
    // only, and the kernels cover [low - step / 2, high + step / 2].
    double low = 0.0;
    double high = 0.0;
    double step = 0.0;
};

struct EstimatorOptions {
    bool consider_prior = true;
    double prior_weight = 1.0;
    bool consider_magic_clip = true;
    bool consider_endpoints = false;
    bool multivariate = false; // bandwidths by Scott's rule over all dimensions, as Optuna's multivariate TPE
    // Continuous kernels: false (Optuna 3.0 to 3.4) evaluates each truncated Gaussian as the
    // standard normal's log density at z = (x - mu) / sigma over its mass, leaving out the
    // -log(sigma) of a density in x (optuna/optuna#5109); true divides by sigma, as Optuna 3.5
    // and later do. Discrete and categorical dimensions are masses either way.
    bool normalized_density = false;
};

// The weights of a mixture's components: the observations' (Optuna's weights(n), oldest
// first) and the prior's, last, normalised. Shared by the estimators of one suggestion.
class MixtureWeights {
public:
    // The prior is a component when options.consider_prior is set or there is no observation.
    MixtureWeights(std::vector<double> observation_weights, const EstimatorOptions &options);

    std::size_t observations() const { return observations_; }
    bool prior() const { return prior_; }
    const std::vector<double> &normalized() const { return normalized_; }
    const std::vector<double> &log_normalized() const { return log_normalized_; }
    const std::vector<double> &cumulative() const { return cumulative_; } // for drawing components

private:
    std::size_t observations_ = 0;
    bool prior_ = true;
    std::vector<double> normalized_, log_normalized_, cumulative_;
};

class ParzenEstimator {
public:
    // columns[d][i] is observation i in dimension d (a category index for categorical ones),
    // weighted by weights (one per observation). With one dimension, sorted may list the
    // observations in the order of their values (ties by index), which saves a sort.
    ParzenEstimator(const std::vector<Kernel> &kernels, const std::vector<std::vector<double>> &columns,
                    std::shared_ptr<const MixtureWeights> weights, const EstimatorOptions &options,
                    const std::vector<std::size_t> *sorted = nullptr);
    // The same with weights(n) given directly (observation_weights: >= 0, a positive sum).
    ParzenEstimator(const std::vector<Kernel> &kernels, const std::vector<std::vector<double>> &columns,
                    const std::vector<double> &observation_weights, const EstimatorOptions &options);

    std::size_t dimensions() const { return dims_.size(); }
    std::size_t components() const { return weights_->normalized().size(); }
    // The normalised component weights; the prior's is the last one.
    const std::vector<double> &weights() const { return weights_->normalized(); }
    // Numeric dimension d: each component's mean and bandwidth, in component order.
    const std::vector<double> &mus(std::size_t d) const { return dims_.at(d).mu; }
    const std::vector<double> &sigmas(std::size_t d) const { return dims_.at(d).sigma; }
    // Categorical dimension d: the probability component j gives category c.
    double category_probability(std::size_t d, std::size_t j, std::size_t c) const;

    // count points drawn from the mixture: a component by weight, then each dimension from it
    // (values on the grid for discrete dimensions). Returns points[d][i]. Draws count uniforms
    // for the components, then count per dimension, in order.
    std::vector<std::vector<double>> sample(std::mt19937_64 &rng, std::size_t count) const;

    // The log density at each point (points[d][i], as sample returns them): log mass for
    // discrete and categorical dimensions, log density for continuous ones (see
    // EstimatorOptions::normalized_density).
    std::vector<double> log_pdf(const std::vector<std::vector<double>> &points) const;

private:
    struct Dim {
        Kernel kernel;
        double lower = 0.0, upper = 0.0;    // the kernels' support
        std::vector<double> mu, sigma;      // numeric, per component
        std::vector<double> log_mass;       // numeric: log of each kernel's mass inside the support
        std::vector<std::int64_t> observed; // categorical: each component's category, -1 for the prior
        double base = 0.0;                  // categorical: every category's share before normalisation
        // Univariate evaluation. Numeric: the observations' components sorted by mean, those
        // with the same mean and bandwidth merged (repeated values of a discrete dimension),
        // each with its constant log(weight) - log(mass) (- log sqrt(2 pi), and - log(sigma)
        // with normalized_density, for continuous ones); the largest bandwidth at or left of each, and at or right of
        // each; and the prior's component apart. Categorical: the mixture's log mass per category.
        std::vector<double> merged_mu, merged_inverse_sigma, merged_constant;
        std::vector<double> left_max_sigma, right_max_sigma;
        double max_constant = 0.0;
        bool has_prior = false;
        double prior_mu = 0.0, prior_inverse_sigma = 0.0, prior_constant = 0.0;
        std::vector<double> category_log_probability;
    };

    void build_numeric(Dim &dim, const std::vector<double> &observations, std::size_t dimensions,
                       const EstimatorOptions &options, const std::vector<std::size_t> *sorted) const;
    void build_categorical(Dim &dim, const std::vector<double> &observations, const EstimatorOptions &options) const;
    double component_log_pdf(const Dim &dim, std::size_t j, double x) const;
    void univariate_log_pdf(const Dim &dim, const std::vector<double> &xs, std::vector<double> &out) const;
    // The log density (continuous) or log mass of the cell [x - step/2, x + step/2] (discrete).
    double univariate_numeric_log_pdf(const Dim &dim, double x, std::vector<double> &scratch) const;

    std::vector<Dim> dims_;
    std::shared_ptr<const MixtureWeights> weights_;
    bool normalized_density_ = false;
};

// log(sum(exp(values))): exact maximum, the fast exp for the sum.
double log_sum_exp(const std::vector<double> &values);

} // namespace tune::tpe
