/* FROZEN: the tune plugin ABI 1.0 headers exactly as 1.0 plugins were compiled against them
 * (enums included). Never edit: tests/abi_compat builds a 1.0 plugin against these to prove
 * that newer hosts keep loading it. */
/* tune plugin ABI: everything a plugin written in C needs. */
#ifndef TUNE_TUNE_H
#define TUNE_TUNE_H

#include "tune/types.h"
#include "tune/entry.h"
#include "tune/trainable.h"
#include "tune/searcher.h"
#include "tune/scheduler.h"

#endif /* TUNE_TUNE_H */
