// numpy.mean and numpy.median on float64 values, computed as numpy computes them, so that
// running means and medians are bit-identical to those of Ray's MedianStoppingRule.
#pragma once

#include <vector>

namespace tune::median_stopping {

// numpy.mean(values): numpy's pairwise sum divided by the count. NaN for no values (numpy
// warns "Mean of empty slice" and returns nan); NaN if any value is NaN.
double numpy_mean(const std::vector<double> &values);

// numpy.median(values): the middle value, or the mean of the two middle values for an even
// count. NaN if any value is NaN or there are none.
double numpy_median(std::vector<double> values);

} // namespace tune::median_stopping
