/*
 * The tracer side of the flight recorder (tracer/common/spike_rules.c):
 * parsing CTRACE_SPIKES, the per-process rate limit and its suppressed
 * count, the open-task table (task spikes end on any thread), and the
 * datagram announcing a spike to ctrace record.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "region_stack.h"
#include "spike_rules.h"

static void test_parse(void **state)
{
	(void)state;
	/* Malformed entries are skipped; names may hold '=' and ':'. */
	uint32_t n = spike_rules_load("20000000:iteration\n5:a=b:c\nbad\n:x\n7:\n12x:y", 1000, NULL);
	assert_int_equal(n, 2);
	assert_int_equal(spike_rules_count, 2);
	const struct spike_rule *r = spike_rules_find(region_name_hash("iteration"));
	assert_non_null(r);
	assert_int_equal(r->threshold_ns, 20000000);
	assert_string_equal(r->name, "iteration");
	r = spike_rules_find(region_name_hash("a=b:c"));
	assert_non_null(r);
	assert_int_equal(r->threshold_ns, 5);
	assert_null(spike_rules_find(region_name_hash("x")));
	assert_int_equal(spike_rules_load("", 1000, NULL), 0);
	assert_int_equal(spike_rules_count, 0);
}

static void test_rate_limit(void **state)
{
	(void)state;
	spike_rules_load("1:r", 1000, NULL);
	uint32_t suppressed = 99;
	/* Far from any earlier admission (the limiter is process-wide). */
	uint64_t t = 1ull << 50;
	assert_true(spike_rate_admit(t, &suppressed));
	suppressed = 99;
	assert_false(spike_rate_admit(t + 500, &suppressed));
	assert_false(spike_rate_admit(t + 999, &suppressed));
	assert_int_equal(suppressed, 99);   /* untouched when refused */
	assert_true(spike_rate_admit(t + 1000, &suppressed));
	assert_int_equal(suppressed, 2);
	assert_true(spike_rate_admit(t + 5000, &suppressed));
	assert_int_equal(suppressed, 0);
}

static void test_tasks(void **state)
{
	(void)state;
	spike_rules_load("100:job", 1000, NULL);
	const struct spike_rule *r = spike_rules_find(region_name_hash("job"));
	assert_non_null(r);
	spike_task_begin(42, r, 1000);
	assert_int_equal(spike_tasks_open, 1);
	uint64_t begin = 0;
	const struct spike_rule *got = NULL;
	assert_false(spike_task_end(43, &begin, &got));
	assert_true(spike_task_end(42, &begin, &got));
	assert_int_equal(begin, 1000);
	assert_ptr_equal(got, r);
	assert_false(spike_task_end(42, &begin, &got));   /* ended twice */
	assert_int_equal(spike_tasks_open, 0);
	/* A full table drops the extra task instead of blocking. */
	for (uint64_t id = 1; id <= SPIKE_TASKS_MAX + 1; id++)
		spike_task_begin(id << 32 | id, r, id);
	assert_int_equal(spike_tasks_open, SPIKE_TASKS_MAX);
	for (uint64_t id = 1; id <= SPIKE_TASKS_MAX; id++) {
		assert_true(spike_task_end(id << 32 | id, &begin, &got));
		assert_int_equal(begin, id);
	}
	uint64_t last = (uint64_t)(SPIKE_TASKS_MAX + 1) << 32 | (SPIKE_TASKS_MAX + 1);
	assert_false(spike_task_end(last, &begin, &got));
	assert_int_equal(spike_tasks_open, 0);
}

static void test_announce(void **state)
{
	(void)state;
	char path[64];
	snprintf(path, sizeof path, "/tmp/ctrace-spike-test-%d.sock", (int)getpid());
	unlink(path);
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	assert_true(fd >= 0);
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	snprintf(a.sun_path, sizeof a.sun_path, "%s", path);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	spike_rules_load("1:r", 1000, path);
	spike_announce(SPIKE_KIND_TASK, "job\tx", 30, 20, 12345, 3);
	char msg[256];
	ssize_t n = recv(fd, msg, sizeof msg - 1, MSG_DONTWAIT);
	assert_true(n > 0);
	msg[n] = '\0';
	assert_string_equal(msg, "1\t30\t20\t12345\t3\tjob\tx");
	/* No listener: the program never waits or fails. */
	close(fd);
	unlink(path);
	spike_announce(SPIKE_KIND_API, "gone", 0, 0, 1, 0);
	spike_rules_load("", 1000, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_rate_limit),
		cmocka_unit_test(test_tasks),
		cmocka_unit_test(test_announce),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
