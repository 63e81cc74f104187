/* A valid shared library that is not a tune plugin: it has no tune_plugin_entry. */
#include "tune/types.h"

TUNE_EXPORT int not_a_tune_plugin(void);
int not_a_tune_plugin(void) { return 42; }
