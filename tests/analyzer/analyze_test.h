/*
 * What the analyzer's end-to-end tests share: record a program, load its
 * trace into a model, check the model's and the analysis's invariants
 * (every breakdown sums to its wall time), and find things in the result.
 * Failures fail the running cmocka test.
 */
#ifndef ANALYZE_TEST_H
#define ANALYZE_TEST_H

#include <stdbool.h>
#include <stdint.h>

#include "analysis.h"
#include "model.h"
#include "model_load.h"
#include "support.h"

#define ANALYZE_TEST_PROG(name) CTRACE_ANALYZER_TEST_PROGS_DIR "/" name

struct analyze_test {
	struct support_recording rec;
	struct model m;
	struct model_load_info info;
	struct analysis a;
	bool loaded, analyzed;
};

/* Records argv (expects exit 0 and a lossless trace), loads and analyzes
 * it with opt (NULL: defaults), checks every invariant. */
void analyze_test_record(struct analyze_test *t, char *const record_opts[], char *const argv[],
			 const struct analysis_options *opt);
/* Analyzes the loaded model again with other options. */
void analyze_test_reanalyze(struct analyze_test *t, const struct analysis_options *opt);
void analyze_test_free(struct analyze_test *t);

/* The thread with tid (fails when there is none). */
uint32_t analyze_test_thread(const struct model *m, int32_t tid);
/* Stats of a region name, NULL when none. */
const struct analysis_name_stats *analyze_test_region(const struct analysis *a, const char *name);
/* The value of integer `key` on the nth truth line having it (fails when missing). */
uint64_t analyze_test_truth(const struct analyze_test *t, const char *key, unsigned nth);
/* Nanoseconds as milliseconds, for messages. */
double analyze_test_ms(uint64_t ns);

#endif
