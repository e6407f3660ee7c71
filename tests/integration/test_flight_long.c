/*
 * The flight recorder's memory stays flat over a long run.
 *
 * Records samples/rare_spikes for 62 s (iterations of 40 us: over 1M
 * regions; a 30 ms spike every 150000 iterations, so a handful of
 * snapshots) with --flight=2s --buffer-size=8M --spike iteration=20ms, and
 * samples the resident memory of every process involved (ctrace record,
 * the program, lttng-sessiond, lttng-consumerd and their helpers: all
 * descendants of ctrace record) at 20 s and at 58 s. Each process's RSS at
 * 58 s must be within 5% + 2 MiB of its RSS at 20 s (by then the rings
 * have wrapped many times and every page of them was touched), and the
 * total likewise. Also checks the program ran at least 1M regions and a
 * snapshot was written. Label "long" (~70 s).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "support.h"

#define MAX_PROCS 64

struct proc_mem {
	int pid;
	char comm[32];
	long rss_kb[2];
};

struct mem_sample {
	struct proc_mem p[MAX_PROCS];
	size_t n;
};

static int parent_of(int pid, char comm[32])
{
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	char *open = strchr(buf, '('), *close = strrchr(buf, ')');
	if (!open || !close)
		return -1;
	size_t len = (size_t)(close - open - 1) < 31 ? (size_t)(close - open - 1) : 31;
	memcpy(comm, open + 1, len);
	comm[len] = '\0';
	char state;
	int ppid;
	if (sscanf(close + 2, "%c %d", &state, &ppid) != 2)
		return -1;
	return ppid;
}

static long rss_kb(int pid)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", pid);
	FILE *f = fopen(path, "re");
	long kb = -1;
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* Records the RSS of root and all its descendants into slot `which`. */
static void sample_tree(int root, struct mem_sample *m, int which)
{
	int pids[4096], ppids[4096];
	char comms[4096][32];
	size_t n = 0;
	DIR *d = opendir("/proc");
	struct dirent *de;
	while (d && (de = readdir(d)) && n < 4096) {
		int pid = atoi(de->d_name);
		if (pid <= 0)
			continue;
		int ppid = parent_of(pid, comms[n]);
		if (ppid < 0)
			continue;
		pids[n] = pid;
		ppids[n++] = ppid;
	}
	if (d)
		closedir(d);
	int tree[MAX_PROCS] = { root };
	size_t nt = 1;
	for (size_t i = 0; i < nt; i++)
		for (size_t j = 0; j < n && nt < MAX_PROCS; j++)
			if (ppids[j] == tree[i])
				tree[nt++] = pids[j];
	for (size_t i = 0; i < nt; i++) {
		size_t k;
		for (k = 0; k < m->n && m->p[k].pid != tree[i]; k++)
			;
		if (k == m->n) {
			if (m->n == MAX_PROCS)
				continue;
			m->p[m->n++] = (struct proc_mem){ .pid = tree[i], .rss_kb = { -1, -1 } };
			char comm[32] = "?";
			parent_of(tree[i], comm);
			snprintf(m->p[k].comm, sizeof m->p[k].comm, "%s", comm);
		}
		m->p[k].rss_kb[which] = rss_kb(tree[i]);
	}
}

static void sleep_until(uint64_t start_ns, double s)
{
	uint64_t until = start_ns + (uint64_t)(s * 1e9);
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	uint64_t now = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	if (until > now) {
		uint64_t d = until - now;
		struct timespec t = { (time_t)(d / 1000000000u), (long)(d % 1000000000u) };
		while (nanosleep(&t, &t) != 0)
			;
	}
}

static void test_memory_flat(void **state)
{
	(void)state;
	char *tmp = support_tmpdir_create();
	assert_non_null(tmp);
	char dir[4200], out_path[4300];
	snprintf(dir, sizeof dir, "%s/trace", tmp);
	snprintf(out_path, sizeof out_path, "%s/out.txt", tmp);
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	uint64_t start = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	pid_t rec = fork();
	assert_true(rec >= 0);
	if (rec == 0) {
		int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd >= 0)
			dup2(fd, 1);
		execl(CTRACE_TEST_CTRACE, "ctrace", "record", "--private-daemon", "-o", dir,
		      "--flight=2s", "--buffer-size=8M", "--spike", "iteration=20ms", "--",
		      SUPPORT_SAMPLE("rare_spikes"), "-t", "62", "-w", "40", "-e", "150000",
		      (char *)NULL);
		_exit(127);
	}
	struct mem_sample m = { .n = 0 };
	sleep_until(start, 20);
	sample_tree(rec, &m, 0);
	sleep_until(start, 58);
	sample_tree(rec, &m, 1);
	int status;
	alarm(60);
	assert_int_equal(waitpid(rec, &status, 0), rec);
	alarm(0);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	long total[2] = { 0, 0 };
	bool ok = true;
	for (size_t i = 0; i < m.n; i++) {
		const struct proc_mem *p = &m.p[i];
		fprintf(stderr, "%-16s %6d  RSS at 20 s %7ld kB, at 58 s %7ld kB\n", p->comm, p->pid,
			p->rss_kb[0], p->rss_kb[1]);
		if (p->rss_kb[0] < 0 || p->rss_kb[1] < 0)
			continue;   /* short-lived helper (an lttng client run) */
		total[0] += p->rss_kb[0];
		total[1] += p->rss_kb[1];
		ok &= p->rss_kb[1] <= p->rss_kb[0] + p->rss_kb[0] / 20 + 2048;
	}
	fprintf(stderr, "total RSS at 20 s %ld kB, at 58 s %ld kB\n", total[0], total[1]);
	assert_true(m.n >= 4);   /* record, program, sessiond, consumerd */
	assert_true(ok);
	assert_true(total[1] <= total[0] + total[0] / 20 + 4096);

	struct support_run r = { 0 };
	char *cat[] = { "/bin/cat", out_path, NULL };
	assert_int_equal(support_run(cat, 10, &r), 0);
	uint64_t iterations, spikes;
	assert_true(support_truth_u64(r.out, "iterations", 0, &iterations));
	assert_true(support_truth_u64(r.out, "spikes", 0, &spikes));
	fprintf(stderr, "%llu regions, %llu spikes\n", (unsigned long long)iterations,
		(unsigned long long)spikes);
	assert_true(iterations >= 1000000u);
	assert_true(spikes >= 1);
	support_run_free(&r);
	DIR *d = opendir(dir);
	assert_non_null(d);
	size_t snaps = 0;
	struct dirent *de;
	while ((de = readdir(d)))
		snaps += strncmp(de->d_name, "snapshot-", 9) == 0;
	closedir(d);
	fprintf(stderr, "%zu snapshots\n", snaps);
	/* A loaded machine can make an ordinary iteration pass 20 ms too:
	 * bounded by the rate limit, not by the injected spikes. */
	assert_true(snaps >= 1 && snaps <= 63);
	if (!getenv("CTRACE_TEST_KEEP"))
		support_tree_remove(tmp);
	free(tmp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memory_flat),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
