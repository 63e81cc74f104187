/*
 * tune/report.h: reporting results from a program that tune runs through the command
 * trainable (org.tune.command, docs/command-trainable.md). Header-only, C99 and C++; it needs
 * nothing of tune but this file. Any program that prints the lines itself works as well.
 *
 *   double loss = train_one_epoch();
 *   char dir[4096];
 *   if (tune_checkpoint_dir("epoch_7", dir, sizeof dir) == 0) save_model(dir);  // first
 *   tune_report_checkpoint("epoch_7", "loss", loss, "accuracy", acc);           // then the line
 *
 * The C calls take pairs of a key and a double (write 1.0, not 1: a variadic int is not read
 * as a double). In C++, tune::report("loss", loss, "epoch", 7) converts each value itself.
 * Every line is flushed at once: stdout is a pipe, and tune reads each result as it comes.
 */
#ifndef TUNE_REPORT_H
#define TUNE_REPORT_H

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The line's prefix: $TUNE_RESULT_PREFIX, as the experiment set it, or "tune-result". */
static inline const char *tune_result_prefix(void) {
    const char *prefix = getenv("TUNE_RESULT_PREFIX");
    return prefix && *prefix ? prefix : "tune-result";
}

/* The checkpoint this run continues from ($TUNE_RESTORE_DIR), or NULL for a fresh start. The
 * folder holds what the program wrote into the checkpoint folder it named; read it only. */
static inline const char *tune_restore_dir(void) {
    const char *dir = getenv("TUNE_RESTORE_DIR");
    return dir && *dir ? dir : NULL;
}

/* Makes the folder $TUNE_CHECKPOINT_DIR/name and writes its path to path (size bytes).
 * Returns 0, or -1 with errno set (ENOENT: not run by tune; ENAMETOOLONG: path too small). */
static inline int tune_checkpoint_dir(const char *name, char *path, size_t size) {
    const char *root = getenv("TUNE_CHECKPOINT_DIR");
    int written;
    if (!root || !*root) {
        errno = ENOENT;
        return -1;
    }
    written = snprintf(path, size, "%s/%s", root, name);
    if (written < 0 || (size_t)written >= size) {
        errno = ENAMETOOLONG;
        return -1;
    }
    if (mkdir(path, 0755) != 0 && errno != EEXIST) return -1;
    return 0;
}

/* One JSON string, escaped. */
static inline void tune_report_string_(FILE *out, const char *text) {
    fputc('"', out);
    for (; *text; ++text) {
        const unsigned char c = (unsigned char)*text;
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c < 0x20)
            fprintf(out, "\\u%04x", c);
        else
            fputc(c, out);
    }
    fputc('"', out);
}

/* A number as JSON: NaN and infinities, which JSON lacks, as null. */
static inline void tune_report_number_(FILE *out, double value) {
    if (isnan(value) || isinf(value))
        fputs("null", out);
    else
        fprintf(out, "%.17g", value);
}

/* The line: the prefix, then {"key": value, ..., "checkpoint": name, "done": true}. pairs
 * ends at a NULL key. checkpoint may be NULL; done non-zero marks the last result. */
static inline void tune_report_line_v(const char *checkpoint, int done, const char *key, va_list pairs) {
    int first = 1;
    fprintf(stdout, "%s {", tune_result_prefix());
    for (; key; key = va_arg(pairs, const char *)) {
        const double value = va_arg(pairs, double);
        if (!first) fputs(", ", stdout);
        first = 0;
        tune_report_string_(stdout, key);
        fputs(": ", stdout);
        tune_report_number_(stdout, value);
    }
    if (checkpoint) {
        fputs(first ? "" : ", ", stdout);
        fputs("\"checkpoint\": ", stdout);
        tune_report_string_(stdout, checkpoint);
        first = 0;
    }
    if (done) fputs(first ? "\"done\": true" : ", \"done\": true", stdout);
    fputs("}\n", stdout);
    fflush(stdout);
}

static inline void tune_report_pairs_(const char *checkpoint, int done, const char *key, ...) {
    va_list pairs;
    va_start(pairs, key);
    tune_report_line_v(checkpoint, done, key, pairs);
    va_end(pairs);
}

#ifdef __cplusplus
}
#endif

/* tune_report("loss", 0.31, "accuracy", 0.9): one result. */
#define tune_report(...) tune_report_pairs_(NULL, 0, __VA_ARGS__, (const char *)NULL)
/* The same, naming the checkpoint folder (made by tune_checkpoint_dir) that holds its state. */
#define tune_report_checkpoint(name, ...) tune_report_pairs_((name), 0, __VA_ARGS__, (const char *)NULL)
/* The last result: the trial ends with it. */
#define tune_report_done(...) tune_report_pairs_(NULL, 1, __VA_ARGS__, (const char *)NULL)

#ifdef __cplusplus
#include <string>
#include <type_traits>

namespace tune {

namespace report_detail {
inline void pairs(std::string &) {}
template <class V, class... Rest> void pairs(std::string &line, const char *key, V value, Rest... rest) {
    static_assert(std::is_arithmetic_v<V>, "tune::report takes a key and a number, in pairs");
    line += line.back() == '{' ? "" : ", ";
    line += "\"";
    for (const char *c = key; *c; ++c) {
        if (*c == '"' || *c == '\\') line += '\\';
        line += *c;
    }
    line += "\": ";
    const double number = static_cast<double>(value);
    if (std::isnan(number) || std::isinf(number)) {
        line += "null";
    } else {
        char text[32];
        std::snprintf(text, sizeof text, "%.17g", number);
        line += text;
    }
    pairs(line, rest...);
}
} // namespace report_detail

// tune::report("loss", 0.31, "epoch", 7): one result line, flushed.
template <class... Pairs> void report(Pairs... pairs) {
    std::string line = std::string(tune_result_prefix()) + " {";
    report_detail::pairs(line, pairs...);
    line += "}\n";
    std::fputs(line.c_str(), stdout);
    std::fflush(stdout);
}

} // namespace tune
#endif

#endif /* TUNE_REPORT_H */
