// One library, two plugins: TUNE_PLUGIN_LIBRARY lists every plugin class of the library.
#include "median_stopping_scheduler.hpp"
#include "random_points_searcher.hpp"

TUNE_PLUGIN_LIBRARY(example::RandomPointsSearcher, example::MedianStoppingScheduler);
