// numpy.nanpercentile(values, percent) with the default "linear" method, which Ray's ASHA
// uses for a rung's cutoff.
#pragma once

#include <vector>

namespace tune::asha {

// The percent-th percentile (0..100) of values, ignoring NaN, interpolating linearly between
// the two nearest ranks exactly as numpy does. NaN if values holds no number other than NaN.
double nan_percentile(std::vector<double> values, double percent);

} // namespace tune::asha
