/*
 * `ctrace record`: the order of operations. Everything that can fail for a
 * reason the user can fix (arguments, program, output directory) is checked
 * before anything is started; then the daemon and session, the program's
 * process (held before exec), perf on its pid, the program runs; then the
 * recording is finished in reverse order, whatever the program did, so the
 * trace directory is always readable.
 */
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "record.h"
#include "record_args.h"
#include "record_child.h"
#include "record_daemon.h"
#include "record_env.h"
#include "record_flight.h"
#include "record_fs.h"
#include "record_perf.h"
#include "record_program.h"
#include "record_run_info.h"
#include "record_sched_ctf.h"
#include "record_session.h"
#include "record_signals.h"
#include "record_ust_meta.h"

extern char **environ;

/* Everything a recording holds, so one function can undo it. */
struct recording {
	struct record_options o;
	struct record_program prog;
	char preload[PATH_MAX];
	char dir[PATH_MAX];
	bool have_daemon;
	struct record_daemon daemon;
	struct record_session session;
	struct record_flight *flight;  /* --flight only */
	struct record_child child;
	struct record_perf *perf;
	struct record_sched_ctf *sched;
	char sched_note[1100];
	struct record_run_info info;
	struct record_buf errors;      /* problems while finishing, for run info */
};


/* Notes a problem met while finishing: told now, kept in the run info. */
static void finish_problem(struct recording *r, const struct record_err *e)
{
	record_say("%s", e->msg);
	record_buf_printf(&r->errors, "%s%s", r->errors.len ? "; " : "", e->msg);
}

static int perf_paranoid(void)
{
	int level = -99;
	FILE *f = fopen("/proc/sys/kernel/perf_event_paranoid", "re");
	if (f) {
		if (fscanf(f, "%d", &level) != 1)
			level = -99;
		fclose(f);
	}
	return level;
}

/* Attaches perf to the held child; on failure records why and goes on. */
static void sched_setup(struct recording *r)
{
	if (!r->o.sched) {
		snprintf(r->sched_note, sizeof r->sched_note, "disabled (--no-sched)");
		return;
	}
	if (r->o.flight_ns) {
		snprintf(r->sched_note, sizeof r->sched_note, "not kept by the flight recorder (--flight)");
		return;
	}
	struct record_err e;
	bool not_permitted;
	r->perf = record_perf_open(r->child.pid, &not_permitted, &e);
	if (r->perf) {
		r->sched = record_sched_ctf_open(r->dir, record_perf_cpus(r->perf),
						 record_clock_ns(CLOCK_MONOTONIC), &e);
		if (r->sched && record_perf_start(r->perf, r->sched, &e) == 0)
			return;
	}
	if (not_permitted)
		snprintf(r->sched_note, sizeof r->sched_note,
			 "perf_event_open not permitted (kernel.perf_event_paranoid = %d)", perf_paranoid());
	else
		snprintf(r->sched_note, sizeof r->sched_note, "%s", e.msg);
	record_say("recording without context switches: %s", r->sched_note);
	record_perf_close(r->perf);
	r->perf = NULL;
	if (r->sched) {
		record_sched_ctf_discard(r->sched);
		record_sched_ctf_free(r->sched);
		r->sched = NULL;
	}
}

/* Undoes a set-up that never ran the program; the empty trace goes too. */
static void abandon(struct recording *r)
{
	struct record_err ignored;
	record_child_abort(&r->child);
	record_perf_close(r->perf);
	if (r->sched)
		record_sched_ctf_discard(r->sched);
	record_sched_ctf_free(r->sched);
	record_flight_close(r->flight);
	r->flight = NULL;
	record_session_destroy(&r->session, &ignored);
	if (r->have_daemon)
		record_daemon_teardown(&r->daemon, &ignored);
	record_fs_remove_tree(r->dir);
	record_buf_free(&r->errors);
	record_signals_restore();
}

static int fail(struct recording *r, int status, const struct record_err *e)
{
	record_say("%s", e->msg);
	abandon(r);
	return status;
}

static int interrupted(struct recording *r)
{
	int sig = record_signals_received();
	record_say("interrupted by signal %d before the program started; nothing recorded", sig);
	abandon(r);
	return 128 + sig;
}

/* Daemon and session, for programs the preload can instrument. */
static int ust_setup(struct recording *r, struct record_err *e)
{
	if (!r->prog.instrumentable) {
		r->info.daemon = "none";
		if (r->o.flight_ns)
			return record_err_set(e, "--flight needs a program the preload can instrument");
		return 0;
	}
	if (record_daemon_setup(&r->daemon, r->o.private_daemon, e) < 0)
		return -1;
	r->have_daemon = true;
	r->info.daemon = r->daemon.is_private ? "private" : "user";
	if (record_signals_received())
		return 0;
	if (!r->o.flight_ns)
		return record_session_start(&r->session, &r->daemon, r->dir, &r->o, e);
	if (record_flight_session_start(&r->session, &r->daemon, r->dir, &r->o, e) < 0)
		return -1;
	r->flight = record_flight_open(&r->session, &r->daemon, r->dir, &r->o, e);
	return r->flight ? 0 : -1;
}

/* After the program ended: stop capture and LTTng, complete the sched
 * trace with LTTng's clock, write the run info. Problems are reported and
 * recorded but do not change the exit status: the program's is returned. */
static void finish(struct recording *r)
{
	struct record_err e;
	if (r->perf) {
		record_perf_stop(r->perf);
		r->info.reader_cpu_ns = record_perf_reader_cpu_ns(r->perf);
		record_perf_close(r->perf);
		r->perf = NULL;
	}
	if (r->sched && record_sched_ctf_finish(r->sched, r->info.end_mono_ns, &e) < 0)
		finish_problem(r, &e);
	if (r->flight) {
		record_flight_stop(r->flight, r->info.wait_status);
		r->info.flight_json = record_flight_json(r->flight);
	}
	if (r->session.created) {
		if (record_session_stop(&r->session, &r->info.ust_discarded, &e) < 0)
			finish_problem(r, &e);
		if (record_session_destroy(&r->session, &e) < 0)
			finish_problem(r, &e);
	}
	if (r->have_daemon && record_daemon_teardown(&r->daemon, &e) < 0)
		finish_problem(r, &e);
	r->have_daemon = false;
	char ust[PATH_MAX + 8];
	snprintf(ust, sizeof ust, "%s/" RECORD_UST_DIR, r->dir);
	if (r->prog.instrumentable && !r->flight && record_ust_meta_prune(ust) == 0)
		r->info.ust_note = "no program events: the program ended before LTTng-UST had registered it";
	if (r->sched) {
		struct record_buf clock = { 0 };
		char name[128];
		if (record_ust_meta_clock(ust, &clock, name, sizeof name) < 0)
			record_ust_meta_make_clock(&clock, name, sizeof name);
		if (record_sched_ctf_write_metadata(r->sched, clock.data, name, &e) < 0)
			finish_problem(r, &e);
		record_buf_free(&clock);
		r->info.sched_events = record_sched_ctf_events(r->sched);
		r->info.sched_discarded = record_sched_ctf_discarded(r->sched);
		r->info.sched_reordered = record_sched_ctf_reordered(r->sched);
		record_sched_ctf_free(r->sched);
		r->sched = NULL;
	}
	struct rusage ru;
	if (getrusage(RUSAGE_SELF, &ru) == 0)
		r->info.recorder_cpu_ns =
			((uint64_t)ru.ru_utime.tv_sec + (uint64_t)ru.ru_stime.tv_sec) * 1000000000u +
			((uint64_t)ru.ru_utime.tv_usec + (uint64_t)ru.ru_stime.tv_usec) * 1000u;
	r->info.state = r->errors.len ? "incomplete" : "complete";
	r->info.errors = r->errors.data;
	if (record_run_info_write(r->dir, &r->info, &e) < 0)
		record_say("%s", e.msg);
	if (r->flight) {
		record_flight_report(r->flight, stderr);
		r->info.flight_json = NULL;
		record_flight_close(r->flight);
		r->flight = NULL;
	}
}

/* The end-of-run lines on stderr. Lost events are told even with -q. */
static void summary(const struct recording *r)
{
	int64_t lost = r->info.ust_discarded + (int64_t)r->info.sched_discarded;
	if (lost != 0)
		record_say("WARNING: %" PRId64 " events were lost (program events: %" PRId64
		    ", scheduling: %" PRIu64 ")%s", lost, r->info.ust_discarded,
		    r->info.sched_discarded,
		    r->o.discard ? "; without --discard the program waits instead" : "");
	if (r->o.quiet)
		return;
	uint64_t bytes = record_fs_tree_bytes(r->dir);
	char sched[128];
	if (r->info.sched_captured)
		snprintf(sched, sizeof sched, "%" PRIu64 " scheduling events", r->info.sched_events);
	else
		snprintf(sched, sizeof sched, "no scheduling events");
	record_say("trace in %s (%.1f MiB, %s%s)", r->dir, (double)bytes / (1 << 20), sched,
	    lost ? "" : ", no events lost");
	if (r->info.ust_note)
		record_say("%s", r->info.ust_note);
}

/* What the user can get wrong, checked before anything is started.
 * Returns -1 to go on, or the exit status. */
static int check_inputs(struct recording *r, int argc, char **argv)
{
	struct record_err e;
	switch (record_args_parse(argc, argv, &r->o, &e)) {
	case RECORD_ARGS_HELP:
		record_args_usage(stdout);
		return 0;
	case RECORD_ARGS_ERROR:
		record_say("%s", e.msg);
		return RECORD_EXIT_USAGE;
	case RECORD_ARGS_RUN:
		break;
	}
	if (record_program_resolve(r->o.prog_argv[0], &r->prog, &e) < 0) {
		record_say("%s", e.msg);
		return RECORD_EXIT_USAGE;
	}
	if (r->prog.instrumentable && record_env_preload_path(r->preload, sizeof r->preload, &e) < 0) {
		record_say("%s", e.msg);
		return RECORD_EXIT_ENV;
	}
	if (!r->prog.instrumentable) {
		if (!r->o.sched) {
			record_say("%s is %s: it cannot be instrumented (LD_PRELOAD), and --no-sched leaves nothing to record",
			    r->o.prog_argv[0], r->prog.why_not);
			return RECORD_EXIT_USAGE;
		}
		record_say("%s is %s: LD_PRELOAD instrumentation is impossible; recording context switches, "
		    "thread creation and exit only (no locks, calls, allocations, samples or regions)",
		    r->o.prog_argv[0], r->prog.why_not);
	}
	return -1;
}

/* Trace directory, daemon, session, the held program, perf, first run
 * info; then lets the program exec. Returns -1 once it runs, or the exit
 * status after undoing everything. */
static int launch(struct recording *r)
{
	struct record_err e;
	bool usage_error;
	if (record_fs_make_trace_dir(r->o.output, r->o.prog_argv[0], r->o.force, r->dir,
				     &usage_error, &e) < 0) {
		record_say("%s", e.msg);
		return usage_error ? RECORD_EXIT_USAGE : RECORD_EXIT_ENV;
	}
	r->info = (struct record_run_info){
		.opts = &r->o, .state = "recording", .program = r->prog.path,
		.instrumented = r->prog.instrumentable,
		.instrumentation_note = r->prog.instrumentable ? "" : r->prog.why_not,
		.sched_note = r->sched_note,
	};
	if (ust_setup(r, &e) < 0)
		return fail(r, RECORD_EXIT_ENV, &e);
	if (record_signals_received())
		return interrupted(r);

	char **env = record_env_program(environ, &r->o, r->prog.instrumentable ? r->preload : NULL,
					r->daemon.ust_home[0] ? r->daemon.ust_home : NULL);
	if (r->flight) {
		char **flight_env = record_flight_env(r->flight, env);
		record_env_free(env);
		env = flight_env;
	}
	int rc = record_child_spawn(&r->child, r->prog.path, r->o.prog_argv, env, &e);
	record_env_free(env);
	if (rc < 0)
		return fail(r, RECORD_EXIT_ENV, &e);
	if (record_signals_received())
		return interrupted(r);
	sched_setup(r);
	r->info.sched_captured = r->sched != NULL;
	if (!r->prog.instrumentable && !r->sched) {
		record_err_set(&e, "nothing can be recorded for %s", r->o.prog_argv[0]);
		return fail(r, RECORD_EXIT_ENV, &e);
	}
	r->info.pid = r->child.pid;
	r->info.start_real_ns = record_clock_ns(CLOCK_REALTIME);
	r->info.start_mono_ns = record_clock_ns(CLOCK_MONOTONIC);
	if (record_run_info_write(r->dir, &r->info, &e) < 0)
		return fail(r, RECORD_EXIT_ENV, &e);
	if (record_signals_received())
		return interrupted(r);

	if (r->flight && record_flight_start(r->flight, &r->info, &e) < 0)
		return fail(r, RECORD_EXIT_ENV, &e);
	record_signals_forward_to(r->child.pid);
	if (record_child_release(&r->child, &e) < 0) {
		record_signals_forward_to(0);
		record_child_wait(&r->child);
		r->child.pid = -1;
		return fail(r, RECORD_EXIT_USAGE, &e);
	}
	return -1;
}

int record_main(int argc, char **argv)
{
	return record_run(argc, argv, NULL);
}

int record_run(int argc, char **argv, struct record_outcome *out)
{
	struct recording rec = { .child = { .pid = -1, .release_fd = -1, .exec_fd = -1 } };
	struct recording *r = &rec;
	if (out)
		*out = (struct record_outcome){ .traced = false };
	int status = check_inputs(r, argc, argv);
	if (status >= 0)
		return status;
	record_signals_install();
	status = launch(r);
	if (status >= 0) {
		record_signals_restore();
		return status;
	}
	r->info.wait_status = record_child_wait(&r->child);
	r->info.ended = true;
	r->info.end_real_ns = record_clock_ns(CLOCK_REALTIME);
	r->info.end_mono_ns = record_clock_ns(CLOCK_MONOTONIC);
	record_signals_forward_to(0);

	finish(r);
	summary(r);
	record_buf_free(&r->errors);
	record_signals_restore();
	if (out) {
		out->traced = true;
		_Static_assert(sizeof out->dir == sizeof r->dir, "same directory buffers");
		memcpy(out->dir, r->dir, sizeof out->dir);
	}
	return record_child_exit_code(r->info.wait_status);
}
