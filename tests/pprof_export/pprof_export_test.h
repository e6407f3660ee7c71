/*
 * Shared by the `ctrace pprof` tests: recording a sample once, running
 * `ctrace pprof` on it, reading the result with `go tool pprof` (through
 * tests/pprof's helpers) and the model's own numbers to compare with.
 */
#ifndef PPROF_EXPORT_TEST_H
#define PPROF_EXPORT_TEST_H

#include <stdint.h>

#include "model.h"
#include "support.h"

/* Runs `ctrace pprof ARGS...` (NULL-terminated, without "pprof"); returns
 * its exit status. */
int pet_ctrace_pprof(const char *const args[]);

/* `go tool pprof -top -nodefraction=0 -unit=ns [extra...] FILE` and the
 * total it says it shows ("Showing nodes accounting for N"), in the
 * sample type's unit (ns for times). Fails the test when not found.
 * extra is NULL-terminated, may be NULL. *text (optional) gets the output. */
double pet_go_total(const char *tmpdir, const char *file, const char *const extra[], char **text);

/* Loads trace_dir's model; fails the test on error. */
void pet_model_load(const char *trace_dir, struct model *m);

/* Time all threads spent in state s. */
uint64_t pet_state_ns(const struct model *m, enum model_state s);

/* `go tool pprof -raw` and `-proto` of file succeed, and the rewritten
 * profile still reads with the same sample count. */
void pet_round_trip(const char *tmpdir, const char *file);

#endif
