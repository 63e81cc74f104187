/*
 * The command trainable's counterpart of org.tune.bench.noop (bench/noop_trainable.cpp): a
 * program that does no work and prints `results` result lines, loss = x / iteration, through
 * tune/report.h. bench/command/command_bench.py runs the two side by side.
 *
 *   tune_bench_noop_program X RESULTS
 */
#include <stdlib.h>

#include "tune/report.h"

int main(int argc, char **argv) {
    const double x = argc > 1 ? atof(argv[1]) : 1.0;
    const long results = argc > 2 ? atol(argv[2]) : 1;
    long i;
    for (i = 1; i <= results; ++i) tune_report("loss", x / (double)i);
    return 0;
}
