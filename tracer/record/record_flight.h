/*
 * The flight recorder of `ctrace record --flight[=DUR] --spike NAME=DUR`.
 *
 * The program is recorded into an LTTng snapshot session: nothing reaches
 * the disk while it runs, events go round per-CPU ring buffers in
 * overwrite mode, two channels per CPU:
 *   ctrace  the hot channel, --buffer-size per CPU (default 16M, 8
 *           sub-buffers): the last DURATION or so of everything;
 *   meta    a small channel (1M per CPU) for what is written once and
 *           needed by every snapshot: process_start/exit, thread_create/
 *           start/name/exit and LTTng's statedump and dl events (binaries,
 *           build ids), so threads are named and stacks symbolized in a
 *           snapshot taken hours after the start.
 * The tracer emits ctrace:spike when a region or task named by a --spike
 * rule ends past its threshold, or when the program calls
 * ctrace_snapshot() (spike_rules.h); an LTTng trigger (event-rule-matches
 * ctrace:spike -> snapshot-session) makes the session daemon write a
 * snapshot at once: DIR/snapshot-1-DATE-TIME-N/, a self-contained trace
 * directory (ust/ and its own ctrace-run.json) that ctrace analyze, view
 * and pprof read directly. Nothing polls.
 *
 * Alongside, a watcher thread in ctrace record (inotify on DIR, a Unix
 * datagram socket the tracer announces admitted spikes on, a self-pipe):
 *  - sees each snapshot directory appear and, once it has been quiet for
 *    FLIGHT_QUIET_MS, writes its ctrace-run.json (with the spike: kind,
 *    name, duration, threshold), measures its size and the history it
 *    covers (from the hot channel's packet headers) and warns in one line
 *    when that is shorter than DURATION (then --buffer-size should grow);
 *  - takes a snapshot itself (`lttng snapshot record`) when ctrace record
 *    receives the --spike-on-signal signal (the program does not see it;
 *    `kill -USR1 <ctrace record's pid>`), and when the program dies of a
 *    crash signal (SEGV, BUS, FPE, ILL, ABRT, TRAP, SYS): per-UID buffers
 *    outlive the process.
 *
 * Rate limit: the tracer emits at most one spike event per
 * --snapshot-interval (default 1 s) per process; spikes in between are
 * counted in the next event's `suppressed` field (and the snapshot's
 * ctrace-run.json). Memory stays bounded: ring buffers are fixed, the
 * recorder keeps one small record per snapshot. Disk too: after
 * --max-snapshots (default 100) the trigger is removed and no more
 * snapshots are taken (one line says so).
 *
 * Scheduling (perf context switches) is not recorded in flight mode:
 * snapshots have no sched/ trace.
 *
 * Clean-up: the trigger belongs to the session daemon; it is removed at
 * the end (also after Ctrl-C or a crash), before the session is destroyed.
 * With the private daemon everything goes with the daemon anyway.
 *
 * DIR/ctrace-run.json's "flight" object: duration_ns, buffer sizes,
 * snapshot_interval_ns, max_snapshots, rules [{name, threshold_ns}], signal, and
 * snapshots [{dir, kind, name, duration_ns, threshold_ns, spike_ns,
 * suppressed, latency_ns, bytes, history_ns}] (spike_ns on the trace's
 * clock; latency_ns from the spike to the snapshot's last write).
 */
#ifndef RECORD_FLIGHT_H
#define RECORD_FLIGHT_H

#include <stdio.h>

#include "record_args.h"
#include "record_daemon.h"
#include "record_run_info.h"
#include "record_session.h"
#include "record_util.h"

#define FLIGHT_DEFAULT_NS 10000000000ull
#define FLIGHT_DEFAULT_BUFFER (16ull << 20)
#define FLIGHT_DEFAULT_INTERVAL_NS 1000000000ull
#define FLIGHT_DEFAULT_MAX_SNAPSHOTS 100u
#define FLIGHT_SUBBUF_COUNT 8u
#define FLIGHT_META_BUFFER (1ull << 20)
#define FLIGHT_QUIET_MS 250
#define FLIGHT_HOT_CHANNEL "ctrace"
#define FLIGHT_META_CHANNEL "meta"

struct record_flight;

/* --spike NAME=DUR: checks the form (the last '=' splits; the name is 1 to
 * 127 bytes without a newline). Fills name and *threshold_ns. */
int record_flight_parse_spike(const char *arg, char name[128], uint64_t *threshold_ns,
			      struct record_err *e);
/* --spike-on-signal SIG: USR1, SIGUSR1 or a number; not one of the signals
 * ctrace record handles itself (INT, TERM, HUP, QUIT) nor KILL/STOP. */
int record_flight_parse_signal(const char *arg, int *sig, struct record_err *e);

/* Creates, configures and starts the snapshot session (the flight
 * counterpart of record_session_start; stop and destroy are shared). */
int record_flight_session_start(struct record_session *s, const struct record_daemon *d,
				const char *trace_dir, const struct record_options *o,
				struct record_err *e);

/* Adds the trigger, binds the announcement socket (in the daemon's scratch
 * directory), watches trace_dir and installs the signal handler. The
 * session must be started. NULL with e on failure (nothing left behind). */
struct record_flight *record_flight_open(const struct record_session *s,
					 const struct record_daemon *d, const char *trace_dir,
					 const struct record_options *o, struct record_err *e);

/* base plus the tracer's CTRACE_SPIKE* variables; free with
 * record_env_free. */
char **record_flight_env(const struct record_flight *f, char *const *base);

/* Starts the watcher thread (signals blocked in it); ri is copied and used
 * for the snapshots' ctrace-run.json. */
int record_flight_start(struct record_flight *f, const struct record_run_info *ri,
			struct record_err *e);

/* After the program ended (wait_status as from waitpid): a crash snapshot
 * if it died of a crash signal, then waits for snapshots in progress,
 * stops the thread and removes the trigger. */
void record_flight_stop(struct record_flight *f, int wait_status);

/* The "flight" JSON object for DIR/ctrace-run.json (owned by f). */
const char *record_flight_json(struct record_flight *f);

/* One line per snapshot (path and cause), or that there was none. */
void record_flight_report(const struct record_flight *f, FILE *out);

/* Stops everything still running, removes the trigger, frees f (NULL ok). */
void record_flight_close(struct record_flight *f);

#endif
