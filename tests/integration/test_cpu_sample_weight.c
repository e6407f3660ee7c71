/*
 * CPU samples account for all of a thread's CPU time when it shares its
 * CPU. The kernel checks CPU-time timers on its tick while the thread runs,
 * so a thread that runs in slices between other threads gets one signal
 * for several sampling periods (timer overruns). Each cpu_sample carries
 * its weight (1 + overruns) and the model and profiles count it.
 *
 * With two busy threads per CPU plus one more running in this (untraced)
 * test process, records samples/cpu_bound (1 s of CPU at 250 Hz) and
 * checks that the main thread's samples, weighted, add up to the CPU time
 * the program measured itself (within 3 %, +30 ms of start-up and
 * calibration), and prints how many signals that took: under this load
 * 15-30 % fewer than the periods, so unweighted samples fall short.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

#define PERIOD_NS 4000000u   /* --sample-hz 250 */

static volatile int spinning = 1;

static void *spin(void *arg)
{
	(void)arg;
	volatile uint64_t x = 0;
	while (spinning)
		x++;
	return NULL;
}

struct weights {
	int32_t pid;
	uint64_t signals, periods;
};

static int on_event(const struct analyzer_event *ev, void *user)
{
	struct weights *w = user;
	uint64_t weight;
	if (ev->vpid != w->pid || ev->vtid != w->pid || strcmp(ev->name, "ctrace:cpu_sample"))
		return 0;
	w->signals++;
	w->periods += analyzer_event_uint(ev, "weight", &weight) && weight ? weight : 1;
	return 0;
}

static void test_weighted_samples_under_load(void **state)
{
	(void)state;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	size_t nbusy = 2 * (size_t)(ncpu > 0 && ncpu < 8 ? ncpu : 2) + 1;
	pthread_t busy[17];
	for (size_t i = 0; i < nbusy; i++)
		assert_int_equal(pthread_create(&busy[i], NULL, spin, NULL), 0);
	struct support_recording rec;
	char *opts[] = { "--sample-hz", "250", NULL };
	char *argv[] = { SUPPORT_SAMPLE("cpu_bound"), "-n", "10", "-a", "70", "-b", "30", NULL };
	support_recording_make_ok(&rec, opts, argv);
	spinning = 0;
	for (size_t i = 0; i < nbusy; i++)
		pthread_join(busy[i], NULL);

	uint64_t pid, a_ns, b_ns;
	assert_true(support_truth_u64(rec.run.out, "pid", 0, &pid));
	assert_true(support_truth_u64(rec.run.out, "a_ns", 0, &a_ns));
	assert_true(support_truth_u64(rec.run.out, "b_ns", 0, &b_ns));
	struct weights w = { .pid = (int32_t)pid };
	support_read_trace(rec.trace_dir, on_event, &w, NULL);
	double sampled = (double)w.periods * PERIOD_NS, measured = (double)(a_ns + b_ns);
	fprintf(stderr, "ctrace test: %zu busy threads; %llu signals stood for %llu periods: "
		"%.3f s sampled, %.3f s measured by the program\n", nbusy,
		(unsigned long long)w.signals, (unsigned long long)w.periods, sampled / 1e9,
		measured / 1e9);
	assert_true(w.signals > 0);
	assert_true(sampled >= 0.97 * measured);
	assert_true(sampled <= 1.03 * measured + 30e6);
	support_recording_free(&rec);
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_weighted_samples_under_load) };
	return cmocka_run_group_tests(tests, NULL, NULL);
}
