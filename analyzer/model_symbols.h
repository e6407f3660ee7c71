/*
 * The seam between a finished model and the symbolizer (symbolize.h): a
 * symbolizer loaded with the modules the model recorded, and the test
 * every stack printer needs for ctrace's own frames. Shared by the
 * reports' stacks and the pprof export so both name frames alike.
 */
#ifndef ANALYZER_MODEL_SYMBOLS_H
#define ANALYZER_MODEL_SYMBOLS_H

#include <stdbool.h>

#include "model.h"
#include "symbolize.h"

/* A symbolizer loaded with m's modules (a module it refuses only loses
 * its names); NULL when out of memory. Free with
 * analyzer_symbolizer_destroy. */
struct analyzer_symbolizer *model_symbolizer_create(const struct model *m);

/* loc is inside ctrace's own preload library (its wrappers, the
 * unwinder): says nothing about the program. */
bool model_symbols_is_tracer_frame(const struct analyzer_location *loc);

#endif
