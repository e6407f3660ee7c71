/*
 * The model's invariants, checked: what every later stage relies on.
 * Used by the tests (the fuzz test above all) and by `ctrace analyze` in
 * debug builds.
 */
#ifndef ANALYZER_MODEL_CHECK_H
#define ANALYZER_MODEL_CHECK_H

#include <stddef.h>

#include "model.h"

/* 0 when every invariant holds; -1 with the first violation described in
 * msg (size bytes) otherwise. */
int model_check(const struct model *m, char *msg, size_t size);

#endif
