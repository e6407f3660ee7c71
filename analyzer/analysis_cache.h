/*
 * A cache of the analysis next to the trace (DIR/ctrace-analysis.cache),
 * beside the model's (model_cache.h): with both, analyzing a trace again
 * reads two files instead of recomputing every instance's breakdown and
 * every name's percentiles.
 *
 * Only the analysis with the default options is cached (whole run, the
 * default spike rule, no per-instance breakdowns kept): what analyze,
 * check, diff and view compute first. It is keyed by the model cache's
 * fingerprint of the trace, so it is used exactly when the model would be.
 * The time indexes are not stored: they are rebuilt from the model.
 */
#ifndef ANALYZER_ANALYSIS_CACHE_H
#define ANALYZER_ANALYSIS_CACHE_H

#include "analysis.h"
#include "model_load.h"

#define ANALYSIS_CACHE_FILE "ctrace-analysis.cache"

/* analysis_run(m, opt, a), through DIR's analysis cache when opt are the
 * cacheable options and info says which trace m is (it was loaded with
 * the model cache on): read when it matches, else computed and written
 * (a read-only directory just gets no cache). Returns as analysis_run. */
int analysis_run_cached(const char *dir, const struct model *m, const struct model_load_info *info,
			const struct analysis_options *opt, struct analysis *a);

#endif
