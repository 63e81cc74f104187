// The library's export: org.tune.searcher.tpe (tpe_searcher.hpp).
#include "tpe_searcher.hpp"
#include "tune/plugin.hpp"

TUNE_PLUGIN_LIBRARY(tune::tpe::TpeSearcher);
