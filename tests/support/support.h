/*
 * Support for the integration tests: temporary directories, running a
 * program with its output captured, recording it with `ctrace record`, and
 * reading the `truth:` lines the samples print about themselves.
 *
 * Functions here report failures by return value and a message on stderr;
 * the tests turn those into cmocka assertion failures.
 */
#ifndef TEST_SUPPORT_H
#define TEST_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A finished run: exit status and captured standard output. */
struct support_run {
	int status;      /* exit code, 128+N when killed by signal N, -1 when not run */
	char *out;       /* standard output, NUL-terminated (malloc'd) */
	size_t out_len;
	uint64_t wall_ns;
};

/* A fresh directory under $TMPDIR (or /tmp); malloc'd path or NULL. */
char *support_tmpdir_create(void);
/* Removes path and everything under it; 0 on success. */
int support_tree_remove(const char *path);

/* Runs argv[0] (a path) with argv, standard output captured into r and
 * standard error passed through. Kills the program after timeout_s
 * seconds. Returns 0 when it ran (whatever its status). */
int support_run(char *const argv[], unsigned timeout_s, struct support_run *r);

/* Records argv with `ctrace record --private-daemon -o trace_dir
 * [record_opts...] -- argv`; record_opts is NULL-terminated or NULL.
 * trace_dir must not exist yet. r holds the program's status and output. */
int support_record(const char *trace_dir, char *const record_opts[], char *const argv[],
		   unsigned timeout_s, struct support_run *r);

void support_run_free(struct support_run *r);

/* Seconds a recording or run may take before it is killed. */
#define SUPPORT_TIMEOUT_S 60

/* Values of `truth: key=value ...` lines. The nth (0-based) truth line
 * that has key gives the value; false when there is no such line. */
bool support_truth_u64(const char *out, const char *key, unsigned nth, uint64_t *v);
bool support_truth_double(const char *out, const char *key, unsigned nth, double *v);
bool support_truth_str(const char *out, const char *key, unsigned nth, char *buf, size_t size);

/* Paths of the built programs (set by CMake). */
#define SUPPORT_SAMPLE(name) CTRACE_TEST_SAMPLES_DIR "/" name
#define SUPPORT_PROG(name) CTRACE_TEST_PROGS_DIR "/" name

#endif

/* ---- recordings and traces (support_trace.c) ---------------------------- */

#include "reader.h"

/* A program recorded into a temporary directory. */
struct support_recording {
	char *tmpdir;            /* removed by support_recording_free */
	char trace_dir[4096];    /* tmpdir/trace */
	struct support_run run;
};

/* Records argv into a new temporary directory. Returns 0 when the
 * recording ran (check rec->run.status), -1 otherwise. */
int support_recording_make(struct support_recording *rec, char *const record_opts[],
			   char *const argv[], unsigned timeout_s);
/* support_recording_make for a program expected to succeed: echoes its
 * output to stderr and fails the running cmocka test unless it exited 0. */
void support_recording_make_ok(struct support_recording *rec, char *const record_opts[],
			       char *const argv[]);
/* Removes the temporary directory, unless CTRACE_TEST_KEEP is set in the
 * environment (then prints where it is, for a look at a failed run). */
void support_recording_free(struct support_recording *rec);

/* Reads the whole trace with analyzer_read_trace and fails the running
 * cmocka test when reading fails or any event or packet was discarded
 * (every recording of the suite must be lossless). stats may be NULL. */
void support_read_trace(const char *dir, analyzer_event_fn fn, void *user,
			struct analyzer_read_stats *stats);

/* Threads of the traced processes, from process_start, thread_start and
 * thread_exit events: one flat array, one entry per (pid, tid). */
struct support_thread {
	int32_t pid, tid;
	uint32_t starts, exits;  /* thread_start / thread_exit events seen */
	bool is_main;            /* the process's first thread (pid == tid) */
};
struct support_threads {
	struct support_thread *v;
	size_t n, cap;
};

/* Feeds one event; call it from the read callback for every event. */
void support_threads_note(struct support_threads *ts, const struct analyzer_event *ev);
/* True when tid is a thread of pid seen starting (or pid's main thread). */
bool support_threads_known(const struct support_threads *ts, int32_t pid, int32_t tid);
/* Number of threads of pid (0: all pids) that started without exiting or
 * exited without starting; prints each. */
size_t support_threads_unmatched(const struct support_threads *ts, int32_t pid);
/* Number of non-main threads of pid seen starting. */
size_t support_threads_started(const struct support_threads *ts, int32_t pid);
void support_threads_free(struct support_threads *ts);

/* True when actual is within rel_tol (a fraction) of expected, or within
 * abs_tol of it; prints the comparison either way, so a test's log shows
 * the measured numbers. */
bool support_near(const char *what, double actual, double expected, double rel_tol,
		  double abs_tol);
