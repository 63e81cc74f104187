#include "truncated_normal.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace tune::tpe {
namespace {

constexpr double kSqrt1_2 = 0.70710678118654752440084436210485;
constexpr double kSqrt2Pi = 2.5066282746310005024157652848110;

// log(exp(p) - exp(q)) for q <= p.
double log_diff(double log_p, double log_q) { return log_p + std::log1p(-std::exp(log_q - log_p)); }

// log(exp(p) + exp(q)).
double log_sum(double log_p, double log_q) {
    if (log_p == -std::numeric_limits<double>::infinity()) return log_q;
    if (log_q == -std::numeric_limits<double>::infinity()) return log_p;
    const double larger = std::max(log_p, log_q);
    return larger + std::log1p(std::exp(-std::abs(log_p - log_q)));
}

} // namespace

double ndtr(double z) {
    const double x = z * kSqrt1_2;
    if (x < -kSqrt1_2) return 0.5 * std::erfc(-x);
    if (x < kSqrt1_2) return 0.5 + 0.5 * std::erf(x);
    return 1.0 - 0.5 * std::erfc(x);
}

double log_ndtr(double z) {
    if (z > 6.0) return std::log1p(-ndtr(-z));
    if (z > -20.0) return std::log(ndtr(z));
    // The asymptotic series of log Phi in the far left tail, summed until it stops changing.
    const double log_lhs = -0.5 * z * z - std::log(-z) - kLogSqrt2Pi;
    double last_total = 0.0, right_hand_side = 1.0, numerator = 1.0, denominator_factor = 1.0;
    const double denominator_constant = 1.0 / (z * z);
    double sign = 1.0;
    for (int i = 1; std::abs(last_total - right_hand_side) > std::numeric_limits<double>::epsilon() && i < 100; ++i) {
        last_total = right_hand_side;
        sign = -sign;
        denominator_factor *= denominator_constant;
        numerator *= 2.0 * i - 1.0;
        right_hand_side += sign * numerator * denominator_factor;
    }
    return log_lhs + std::log(right_hand_side);
}

double log_gauss_mass(double a, double b) {
    // The right tail is inaccurate: by symmetry, work in the left one.
    if (b <= 0.0) return log_diff(log_ndtr(b), log_ndtr(a));
    if (a > 0.0) return log_diff(log_ndtr(-a), log_ndtr(-b));
    // Straddling 0: the mass is at least Phi(b) - 1/2; 1 minus both tails keeps its precision.
    return std::log1p(-ndtr(a) - ndtr(-b));
}

double ndtri(double p) {
    if (!(p > 0.0)) return -std::numeric_limits<double>::infinity();
    if (!(p < 1.0)) return std::numeric_limits<double>::infinity();
    // Acklam's approximation (relative error below 1.2e-9).
    static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                                   1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
    static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                                   6.680131188771972e+01, -1.328068155288572e+01};
    static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                                   -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
    static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                   3.754408661907416e+00};
    constexpr double p_low = 0.02425;
    double x;
    if (p < p_low) {
        const double q = std::sqrt(-2.0 * std::log(p));
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
    } else if (p <= 1.0 - p_low) {
        const double q = p - 0.5, r = q * q;
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
            (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
    } else {
        const double q = std::sqrt(-2.0 * std::log1p(-p));
        x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
    }
    // One Halley step on Phi(x) - p brings it to full double precision.
    // Phi(x) - p, from the tail on x's side: 1 - p is exact for p > 1/2.
    const double error = p <= 0.5 ? 0.5 * std::erfc(-x * kSqrt1_2) - p : (1.0 - p) - 0.5 * std::erfc(x * kSqrt1_2);
    const double u = error * kSqrt2Pi * std::exp(0.5 * x * x);
    return x - u / (1.0 + 0.5 * x * u);
}

double ndtri_exp(double y) {
    if (y >= 0.0) return std::numeric_limits<double>::infinity();
    if (y > -0.6931471805599453) return -ndtri(-std::expm1(y)); // p > 1/2: through 1 - p, which keeps its digits
    if (y > -700.0) return ndtri(std::exp(y));
    // exp(y) underflows: Newton's method on log Phi(x) = y from the asymptote x = -sqrt(-2y).
    double x = -std::sqrt(-2.0 * y);
    for (int i = 0; i < 50; ++i) {
        const double log_phi = log_ndtr(x);
        const double slope = std::exp(-0.5 * x * x - kLogSqrt2Pi - log_phi); // d/dx log Phi(x)
        const double next = x - (log_phi - y) / slope;
        if (std::abs(next - x) <= 1e-15 * std::abs(x)) return next;
        x = next;
    }
    return x;
}

double truncated_normal_quantile(double u, double a, double b) {
    if (!(a < b)) return a;
    if (u <= 0.0) return a;
    if (u >= 1.0) return b;
    double x;
    if (a < 0.0) {
        x = ndtri_exp(log_sum(log_ndtr(a), std::log(u) + log_gauss_mass(a, b)));
    } else {
        x = -ndtri_exp(log_sum(log_ndtr(-b), std::log1p(-u) + log_gauss_mass(a, b)));
    }
    return std::clamp(x, a, b);
}

double log_interval_mass(double a, double b) {
    const double width = b - a;
    const double nearest = a > 0.0 ? a : (b < 0.0 ? -b : 0.0); // |z| closest to 0 in [a, b]
    if (!(width <= 1.0 && width * nearest <= 0.5)) return log_gauss_mass(a, b);
    // phi(z) = phi(nearest) * exp(-(z^2 - nearest^2) / 2), whose exponent varies by at most
    // 1 over [a, b]: 8 Gauss-Legendre nodes integrate it to rounding.
    static constexpr double nodes[] = {0.18343464249564978, 0.525532409916329, 0.7966664774136267, 0.9602898564975362};
    static constexpr double weights[] = {0.36268378337836177, 0.31370664587788705, 0.22238103445337434,
                                         0.10122853629037669};
    const double middle = 0.5 * (a + b), half = 0.5 * width, floor = nearest * nearest;
    double sum = 0.0;
    for (int i = 0; i < 4; ++i) {
        const double left = middle - half * nodes[i], right = middle + half * nodes[i];
        sum += weights[i] *
               (exp_nonpositive(-0.5 * (left * left - floor)) + exp_nonpositive(-0.5 * (right * right - floor)));
    }
    return std::log(half * sum) - 0.5 * floor - kLogSqrt2Pi;
}

} // namespace tune::tpe
