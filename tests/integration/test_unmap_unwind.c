/*
 * CPU samples stay correct when code is unloaded and other code is loaded
 * at the same address (progs/unmap_reuse: plugin A with a 16 KiB frame,
 * then plugin B with a tiny one, alternately, at one address). Every
 * sample whose interrupted address is inside `hot` must unwind through
 * `driver`, the function that called it; libunwind's trace cache, keyed
 * by address only, would apply A's frame rule to B's code and lose the
 * caller. At least 20 samples must land in each plugin's rounds, and B
 * must really have reused A's address (else the test proves nothing).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "support.h"

#define HOT_SIZE 0x100      /* `hot` is shorter than this in both builds */
#define DRIVER_SIZE 0x200   /* and `driver` too */

struct facts {
	uint64_t hot, driver;
	unsigned in_hot, through_driver;
};

static int on_event(const struct analyzer_event *ev, void *user)
{
	struct facts *f = user;
	if (strcmp(ev->name, "ctrace:cpu_sample") != 0)
		return 0;
	uint64_t frames[64];
	ssize_t n = analyzer_event_uint_seq(ev, "stack", frames, 64);
	if (n <= 0 || frames[0] < f->hot || frames[0] >= f->hot + HOT_SIZE)
		return 0;
	f->in_hot++;
	for (ssize_t i = 1; i < n && i < 64; i++)
		if (frames[i] > f->driver && frames[i] < f->driver + DRIVER_SIZE) {
			f->through_driver++;
			break;
		}
	return 0;
}

static void test_unmap_unwind(void **state)
{
	(void)state;
	struct support_recording rec;
	char *opts[] = { "--sample-hz", "250", NULL };
	char *argv[] = { SUPPORT_PROG("unmap_reuse"), CTRACE_TEST_PROGS_DIR, NULL };
	support_recording_make_ok(&rec, opts, argv);
	struct facts f = { 0 };
	uint64_t reused;
	assert_true(support_truth_u64(rec.run.out, "driver", 0, &f.driver));
	assert_true(support_truth_u64(rec.run.out, "hot", 0, &f.hot));
	assert_true(support_truth_u64(rec.run.out, "reused", 0, &reused));
	assert_int_equal(reused, 1);
	support_read_trace(rec.trace_dir, on_event, &f, NULL);
	fprintf(stderr, "ctrace test: %u samples in hot, %u of them unwound through driver\n",
		f.in_hot, f.through_driver);
	assert_true(f.in_hot >= 40);
	assert_int_equal(f.through_driver, f.in_hot);
	support_recording_free(&rec);
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_unmap_unwind) };
	return cmocka_run_group_tests(tests, NULL, NULL);
}
