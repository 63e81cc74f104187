/*
 * tune SDK helper for C plugins: writes one JSON object of named numbers, integers, booleans
 * and strings into a tune_text_out_t, so that a step's result needs no hand-written JSON:
 *
 *     tune_result_writer_t r = tune_result_begin(result);
 *     tune_result_number(&r, "loss", loss);
 *     tune_result_bool(&r, "done", iteration == 100);
 *     tune_result_end(&r);
 *
 * Header-only C99 (static inline; also valid C++), no allocation, no state but the writer.
 * Not part of the ABI: nothing here crosses the boundary except the sink's append calls,
 * which happen during the calls above, on their thread. A writer belongs to one sink and is
 * used [calling-thread], within the step (or evaluate, ...) call that received the sink.
 *
 * Numbers are written so that they read back as the same double (the shortest of %.15g,
 * %.16g, %.17g that does), with '.' whatever the C locale. JSON has no NaN or infinity: they
 * are written as null, which the host's schedulers read as NaN (docs/schedulers.md). Keys and
 * strings are NUL-terminated UTF-8, escaped as JSON requires; a NULL string is written as null,
 * and a field with a NULL key is left out.
 */
#ifndef TUNE_RESULT_WRITER_H
#define TUNE_RESULT_WRITER_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tune/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A JSON object being written: the caller's sink (borrowed) and how many fields it has so far. */
typedef struct tune_result_writer {
    const tune_text_out_t *out;
    uint32_t fields; /* a comma goes before every field but the first */
} tune_result_writer_t;

/* Appends raw text to the writer's sink; a NULL sink or append writes nothing. */
static inline void tune_result_raw(tune_result_writer_t *writer, const char *text, size_t size) {
    if (writer && writer->out && writer->out->append) writer->out->append(writer->out->ctx, text, size);
}

/* Appends text as a JSON string literal, quotes included. */
static inline void tune_result_quoted(tune_result_writer_t *writer, const char *text) {
    static const char hex[] = "0123456789abcdef";
    const char *plain = text; /* start of the run of characters that need no escape */
    tune_result_raw(writer, "\"", 1);
    for (; *text; ++text) {
        unsigned char c = (unsigned char)*text;
        char escape[6] = {'\\', 0, '0', '0', 0, 0};
        size_t size = 2;
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        tune_result_raw(writer, plain, (size_t)(text - plain));
        plain = text + 1;
        switch (c) {
        case '"': escape[1] = '"'; break;
        case '\\': escape[1] = '\\'; break;
        case '\b': escape[1] = 'b'; break;
        case '\f': escape[1] = 'f'; break;
        case '\n': escape[1] = 'n'; break;
        case '\r': escape[1] = 'r'; break;
        case '\t': escape[1] = 't'; break;
        default: /* another control character: \u00XX */
            escape[1] = 'u';
            escape[4] = hex[c >> 4];
            escape[5] = hex[c & 0xf];
            size = 6;
        }
        tune_result_raw(writer, escape, size);
    }
    tune_result_raw(writer, plain, (size_t)(text - plain));
    tune_result_raw(writer, "\"", 1);
}

/* Starts the object on out (borrowed; it must outlive the writer's use). */
static inline tune_result_writer_t tune_result_begin(const tune_text_out_t *out) {
    tune_result_writer_t writer;
    writer.out = out;
    writer.fields = 0;
    tune_result_raw(&writer, "{", 1);
    return writer;
}

/* Writes the separator and "key": before a value; 0 (write nothing) for a NULL key. */
static inline int tune_result_key(tune_result_writer_t *writer, const char *key) {
    if (!writer || !key) return 0;
    if (writer->fields++ > 0) tune_result_raw(writer, ",", 1);
    tune_result_quoted(writer, key);
    tune_result_raw(writer, ":", 1);
    return 1;
}

/* "key": value, a number that reads back as value; null for NaN and infinities. */
static inline void tune_result_number(tune_result_writer_t *writer, const char *key, double value) {
    char text[32];
    int precision, size = 0;
    char *c;
    if (!tune_result_key(writer, key)) return;
    if (!isfinite(value)) {
        tune_result_raw(writer, "null", 4);
        return;
    }
    /* strtod reads the locale's decimal point as snprintf wrote it, so the check holds in any locale. */
    for (precision = 15; precision <= 17; ++precision) {
        size = snprintf(text, sizeof text, "%.*g", precision, value);
        if (strtod(text, NULL) == value) break;
    }
    for (c = text; *c; ++c)
        if (*c == ',') *c = '.'; /* a locale's decimal comma; JSON has only '.' */
    tune_result_raw(writer, text, (size_t)size);
}

/* "key": value, a whole number. (JSON readers such as JavaScript's keep 53 bits only.) */
static inline void tune_result_integer(tune_result_writer_t *writer, const char *key, int64_t value) {
    char text[24];
    int size;
    if (!tune_result_key(writer, key)) return;
    size = snprintf(text, sizeof text, "%lld", (long long)value);
    tune_result_raw(writer, text, (size_t)size);
}

/* "key": true for a non-zero value, false for 0. */
static inline void tune_result_bool(tune_result_writer_t *writer, const char *key, int value) {
    if (!tune_result_key(writer, key)) return;
    if (value) tune_result_raw(writer, "true", 4);
    else tune_result_raw(writer, "false", 5);
}

/* "key": "value", escaped; null for a NULL value. */
static inline void tune_result_string(tune_result_writer_t *writer, const char *key, const char *value) {
    if (!tune_result_key(writer, key)) return;
    if (value) tune_result_quoted(writer, value);
    else tune_result_raw(writer, "null", 4);
}

/* Closes the object. Write no field after it. */
static inline void tune_result_end(tune_result_writer_t *writer) { tune_result_raw(writer, "}", 1); }

#ifdef __cplusplus
}
#endif

#endif /* TUNE_RESULT_WRITER_H */
