/*
 * Helpers of the `ctrace pprof` tests (pprof_export_test.h).
 */
#include "pprof_export_test.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model_load.h"
#include "pprof_test.h"

int pet_ctrace_pprof(const char *const args[])
{
	char *argv[40] = { CTRACE_TEST_CTRACE, "pprof" };
	size_t n = 2;
	for (size_t i = 0; args[i] && n < 39; i++)
		argv[n++] = (char *)args[i];
	argv[n] = NULL;
	struct support_run r;
	assert_int_equal(support_run(argv, SUPPORT_TIMEOUT_S, &r), 0);
	fputs(r.out, stderr);
	int status = r.status;
	support_run_free(&r);
	return status;
}

double pet_go_total(const char *tmpdir, const char *file, const char *const extra[], char **text)
{
	const char *args[40] = { "-top", "-nodefraction=0", "-unit=ns" };
	size_t n = 3;
	for (size_t i = 0; extra && extra[i] && n < 38; i++)
		args[n++] = extra[i];
	args[n++] = file;
	args[n] = NULL;
	char *out = pprof_test_go_pprof(tmpdir, args);
	const char *s = strstr(out, "Showing nodes accounting for ");
	double v = -1;
	if (s)
		v = strtod(s + strlen("Showing nodes accounting for "), NULL);
	if (v < 0)
		fprintf(stderr, "%s", out);
	assert_true(v >= 0);
	if (text)
		*text = out;
	else
		free(out);
	return v;
}

void pet_model_load(const char *trace_dir, struct model *m)
{
	struct model_load_info info;
	struct analyzer_error err;
	int rc = model_load(trace_dir, m, &info, NULL, NULL, &err);
	if (rc)
		fprintf(stderr, "model_load: %s\n", err.msg);
	assert_int_equal(rc, 0);
}

uint64_t pet_state_ns(const struct model *m, enum model_state s)
{
	uint64_t sum = 0;
	for (size_t t = 0; t < m->n_threads; t++) {
		const struct model_thread *th = &m->threads[t];
		for (size_t i = 0; i < th->niv; i++)
			if (th->iv[i].state == s)
				sum += model_interval_end(th, i) - th->iv[i].start;
	}
	return sum;
}

void pet_round_trip(const char *tmpdir, const char *file)
{
	const char *raw_args[] = { "-raw", file, NULL };
	char *raw = pprof_test_go_pprof(tmpdir, raw_args);
	size_t n;
	long long sum;
	pprof_test_raw_samples(raw, &n, &sum);
	free(raw);
	assert_true(n > 0);
	char out[4200];
	snprintf(out, sizeof out, "%s.rewritten", file);
	const char *proto_args[] = { "-proto", "-output", out, file, NULL };
	free(pprof_test_go_pprof(tmpdir, proto_args));
	const char *raw2_args[] = { "-raw", out, NULL };
	char *raw2 = pprof_test_go_pprof(tmpdir, raw2_args);
	size_t n2;
	long long sum2;
	pprof_test_raw_samples(raw2, &n2, &sum2);
	free(raw2);
	fprintf(stderr, "round trip %s: %zu samples, first value %lld; rewritten %zu, %lld\n", file,
		n, sum, n2, sum2);
	assert_true(n2 > 0);
	assert_true(sum2 == sum);
}
