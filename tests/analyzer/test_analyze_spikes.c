/*
 * Spikes, end to end: samples/request_loop serves 200 requests of ~1.1 ms;
 * every 50th is 20 ms slower, alternately sleeping and waiting on a lock
 * the maintenance thread holds while in its `maintenance` region.
 * - With a 10 ms threshold, the slow `request` regions are exactly the
 *   injected ones, each with its cause: syscall for a sleep (blamed on a
 *   sleep call of 15 ms or more), lock_wait for a lock (blamed on the
 *   maintenance thread, in its `maintenance` region, 15 ms or more).
 *   A request slowed by the machine itself (other programs took the CPU)
 *   may spike too, but then its cause must be runnable.
 * - With the default rule (p99 and 3x median) every `request` spike is an
 *   injected one or a runnable one, and at least two injected are found
 *   (p99 of 200 keeps only the top 2 or 3 of the 4).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze_test.h"
#include "ctrace_schema.h"

#define REQUESTS 200
#define BLAME_MIN_NS 15000000u

static struct analyze_test t;
static char spikes[256];
static uint32_t request_of[REQUESTS];   /* request index -> region instance */
static int32_t main_tid, maintenance_tid;

static int setup(void **state)
{
	(void)state;
	char *argv[] = { SUPPORT_SAMPLE("request_loop"), "-n", "200", "-s", "50", "-d", "20", NULL };
	struct analysis_options opt = analysis_default_options();
	opt.spike_threshold_ns = 10000000;
	analyze_test_record(&t, NULL, argv, &opt);
	if (!support_truth_str(t.rec.run.out, "spikes", 0, spikes, sizeof spikes))
		return -1;
	main_tid = (int32_t)analyze_test_truth(&t, "pid", 0);
	size_t n = 0;
	const struct model *m = &t.m;
	for (size_t i = 0; i < m->n_regions && n < REQUESTS; i++)
		if (m->threads[m->regions[i].thread].tid == main_tid &&
		    !strcmp(model_str(m, m->regions[i].name), "request"))
			request_of[n++] = (uint32_t)i;
	if (n != REQUESTS)
		return -1;
	for (size_t i = 0; i < m->n_regions; i++)
		if (!strcmp(model_str(m, m->regions[i].name), "maintenance"))
			maintenance_tid = m->threads[m->regions[i].thread].tid;
	return maintenance_tid ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	analyze_test_free(&t);
	return 0;
}

/* "sleep", "lock" or NULL: how request i was slowed. */
static const char *injected(size_t i)
{
	for (const char *p = spikes; *p;) {
		char *end;
		unsigned long idx = strtoul(p, &end, 10);
		const char *kind = end + 1;
		if (idx == i)
			return !strncmp(kind, "lock", 4) ? "lock" : "sleep";
		p = strchr(kind, ',') ? strchr(kind, ',') + 1 : kind + strlen(kind);
	}
	return NULL;
}

/* The request index of a region instance, or -1. */
static int request_index(uint32_t region)
{
	for (int i = 0; i < REQUESTS; i++)
		if (request_of[i] == region)
			return i;
	return -1;
}

static bool is_sleep(uint8_t sys)
{
	return sys == CTRACE_SYS_NANOSLEEP || sys == CTRACE_SYS_CLOCK_NANOSLEEP ||
	       sys == CTRACE_SYS_USLEEP || sys == CTRACE_SYS_SLEEP;
}

static void check_blame(const struct analysis_spike *sp, const char *kind)
{
	const struct model *m = &t.m;
	if (!strcmp(kind, "lock")) {
		struct analysis_blocker bl[8];
		size_t n = analysis_blame_waits(&t.a, sp->kind, sp->instance, bl, 8);
		bool found = false;
		for (size_t i = 0; i < n; i++) {
			if (bl[i].thread == MODEL_NONE || m->threads[bl[i].thread].tid != maintenance_tid ||
			    bl[i].kind != CTRACE_LOCK_MUTEX || bl[i].wait_ns < BLAME_MIN_NS)
				continue;
			assert_int_not_equal(bl[i].region, MODEL_NONE);
			assert_string_equal(model_str(m, m->regions[bl[i].region].name), "maintenance");
			found = true;
		}
		if (!found)
			fail_msg("lock spike not blamed on maintenance thread %d", maintenance_tid);
	} else {
		uint32_t sc[8];
		size_t n = analysis_blame_syscalls(&t.a, sp->kind, sp->instance, sc, 8);
		assert_true(n > 0);
		assert_true(is_sleep(m->syscalls[sc[0]].sys));
		assert_true(m->syscalls[sc[0]].end - m->syscalls[sc[0]].begin >= BLAME_MIN_NS);
	}
}

/* Checks the `request` spikes of the current analysis; returns how many
 * injected ones were found. */
static size_t check_request_spikes(bool expect_all)
{
	bool found[REQUESTS] = { false };
	size_t injected_found = 0;
	for (size_t k = 0; k < t.a.n_spikes; k++) {
		const struct analysis_spike *sp = &t.a.spikes[k];
		if (sp->kind != ANALYSIS_REGION)
			continue;
		int i = request_index(sp->instance);
		if (i < 0)
			continue;
		const char *kind = injected((size_t)i);
		fprintf(stderr, "ctrace test: request %d: %.2f ms, cause %s, injected %s\n", i,
			analyze_test_ms(sp->duration_ns), model_state_name(sp->cause), kind ? kind : "no");
		if (!kind) {
			if (sp->cause != MODEL_RUNNABLE)
				fail_msg("request %d spiked (%s) without an injected delay", i,
					 model_state_name(sp->cause));
			continue;
		}
		assert_int_equal(sp->cause, !strcmp(kind, "lock") ? MODEL_LOCK_WAIT : MODEL_SYSCALL);
		check_blame(sp, kind);
		found[i] = true;
		injected_found++;
	}
	for (size_t i = 0; expect_all && i < REQUESTS; i++)
		if (injected(i) && !found[i])
			fail_msg("injected spike %zu (%s) not found", i, injected(i));
	return injected_found;
}

static void test_threshold_finds_injected(void **state)
{
	(void)state;
	assert_int_equal(check_request_spikes(true), 4);
}

static void test_default_rule(void **state)
{
	(void)state;
	struct analysis_options opt = analysis_default_options();
	analyze_test_reanalyze(&t, &opt);
	assert_true(check_request_spikes(false) >= 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threshold_finds_injected),
		cmocka_unit_test(test_default_rule),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
