// The normal distribution functions the Parzen estimators need: the CDF and its log, the log of
// the probability mass in an interval, the inverse CDF, draws from a truncated normal, and a
// fast exp for the mixtures' log-sum-exp. Mirrors optuna/samplers/_tpe/_truncnorm.py, which
// takes them from SciPy, in double precision throughout.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

namespace tune::tpe {

// log(sqrt(2 pi)).
inline constexpr double kLogSqrt2Pi = 0.91893853320467274178032973640561764;

// Phi(z), the standard normal CDF.
double ndtr(double z);

// log Phi(z), accurate far into the left tail (an asymptotic series below -20).
double log_ndtr(double z);

// log(Phi(b) - Phi(a)) for a <= b, computed in the tail where it is accurate (Optuna's
// _log_gauss_mass). -inf where a == b.
double log_gauss_mass(double a, double b);

// Phi^-1(p) for p in (0, 1): Acklam's rational approximation refined by a Halley step.
double ndtri(double p);

// The z with log Phi(z) == y, for y <= 0, also where exp(y) underflows.
double ndtri_exp(double y);

// The quantile u in [0, 1] of the standard normal truncated to [a, b] (Optuna's ppf).
double truncated_normal_quantile(double u, double a, double b);

// log of the integral of the standard normal density over [a, b], for a <= b. Exact where the
// interval is narrow (an 8-point Gauss-Legendre rule on the density, which is then smooth to
// rounding over the interval), log_gauss_mass elsewhere.
double log_interval_mass(double a, double b);

// exp(t) for t in [-708, 0], to within 2 ulp, in a form compilers vectorise (no calls, no
// branches): t = n ln 2 + r with |r| <= ln(2) / 2, Cephes' (3, 3) Pade approximant of exp(r),
// and 2^n put into the exponent bits. Outside that range the result is wrong: clamp first.
inline double exp_in_range(double t) {
    constexpr double log2e = 1.4426950408889634073599246810019;
    constexpr double ln2_hi = 0.693147180369123816490;    // high bits of ln 2, exact in n * ln2_hi
    constexpr double ln2_lo = 1.90821492927058770002e-10; // ln 2 - ln2_hi
    constexpr double shifter = 6755399441055744.0;        // 1.5 * 2^52: rounds to an integer in the low bits
    double kd = t * log2e + shifter;
    std::uint64_t ki;
    std::memcpy(&ki, &kd, sizeof ki);
    kd -= shifter;
    const double r = (t - kd * ln2_hi) - kd * ln2_lo;
    // exp(r) = 1 + 2 r P(r^2) / (Q(r^2) - r P(r^2)).
    const double rr = r * r;
    const double p =
        r * ((1.26177193074810590878e-4 * rr + 3.02994407707441961300e-2) * rr + 9.99999999999999999910e-1);
    const double q =
        ((3.00198505138664455042e-6 * rr + 2.52448340349684104192e-3) * rr + 2.27265548208155028766e-1) * rr +
        2.00000000000000000009e0;
    const double e = 1.0 + 2.0 * (p / (q - p));
    // 2^n from the low bits of ki, which hold n + 2^51: n + 1023 in the exponent field.
    const std::uint64_t scale_bits = (ki + 1023u) << 52;
    double scale;
    std::memcpy(&scale, &scale_bits, sizeof scale);
    return e * scale;
}

// exp(t) for t <= 0 (-inf included). Values below -708 give about 3e-308 instead of smaller
// ones: what log-sum-exp adds them to is at least 1.
inline double exp_nonpositive(double t) { return exp_in_range(t < -708.0 ? -708.0 : t); }

} // namespace tune::tpe
