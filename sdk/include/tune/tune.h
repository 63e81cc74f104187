/* tune plugin ABI: everything a plugin written in C needs. */
#ifndef TUNE_TUNE_H
#define TUNE_TUNE_H

#include "tune/types.h"
#include "tune/entry.h"
#include "tune/trainable.h"
#include "tune/searcher.h"
#include "tune/scheduler.h"

#endif /* TUNE_TUNE_H */
