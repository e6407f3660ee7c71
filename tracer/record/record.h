/*
 * `ctrace record [-o DIR] [options] -- PROGRAM [ARGS...]`: runs a program
 * under LTTng-UST with ctrace's preload library and perf context-switch
 * capture, leaving one self-contained trace directory (mode 0700):
 *
 *   DIR/ust/uid/UID/64-bit/   LTTng's trace of the program's events
 *   DIR/sched/                context switches, forks, exits (CTF, ours)
 *   DIR/ctrace-run.json       command, pid, exit, times, losses, settings
 *
 * `babeltrace2 DIR` reads both traces merged in time order. With a shared
 * session daemon, concurrent recordings by the same user see each other's
 * programs: readers keep the process tree rooted at the run-info pid.
 *
 * The module, one concept per file: record.c (order of operations),
 * record_args (command line), record_program (PATH lookup, static or
 * dynamic), record_env (environments, preload location), record_fs (trace
 * directory), record_signals, record_child (the held program process),
 * record_proc (helper processes), record_daemon (whose session daemon),
 * record_session (lttng client), record_perf (perf reader), record_sched_ctf
 * (CTF writer), record_ust_meta (LTTng's clock, unreadable leftovers),
 * record_run_info (the JSON file), record_util (errors, buffers),
 * record_flight* (the flight recorder: snapshot session, trigger, watcher).
 */
#ifndef CTRACE_RECORD_H
#define CTRACE_RECORD_H

#include <limits.h>
#include <stdbool.h>

/* Entry point of the subcommand; argv[0] is "record". Returns the exit
 * status for the process: the program's (128+N if killed by signal N), or
 * RECORD_EXIT_USAGE (2: bad arguments, a program that cannot be run, an
 * existing output directory) or RECORD_EXIT_ENV (125: LTTng or perf missing
 * or unusable) when recording could not happen; see record_util.h. */
int record_main(int argc, char **argv);

/* What a recording left behind, for commands that compose record with
 * others (`ctrace record --check`, in tracer/cli). */
struct record_outcome {
	bool traced;                   /* the program ran: dir holds its trace */
	char dir[PATH_MAX];
};

/* record_main that also fills *out (when not NULL). */
int record_run(int argc, char **argv, struct record_outcome *out);

#endif
