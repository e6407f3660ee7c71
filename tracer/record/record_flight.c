/*
 * The flight recorder's watcher (see record_flight.h): one thread waiting
 * on inotify (snapshot directories appearing and being written), the
 * tracer's spike announcements (datagrams) and a self-pipe (the snapshot
 * signal, a crash snapshot request, stop). It never polls: poll() sleeps
 * until something happens, or until a snapshot has been quiet long enough
 * to be called complete.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "record_env.h"
#include "record_flight.h"
#include "record_flight_internal.h"
#include "record_fs.h"

/* Why a snapshot was taken. Kinds 0-2 are spike_rules.h's (the tracer's
 * announcement); the recorder adds its own. */
enum flight_kind { KIND_REGION, KIND_TASK, KIND_API, KIND_SIGNAL, KIND_CRASH, KIND_UNKNOWN };
static const char *const kind_names[] = { "region", "task", "api", "signal", "crash", "unknown" };

struct flight_reason {
	enum flight_kind kind;
	char name[256];
	uint64_t duration_ns, threshold_ns, ts_ns;
	uint32_t suppressed;
	bool used;
};

struct flight_snapshot {
	char dir[NAME_MAX + 1];        /* under the trace directory */
	uint64_t seen_ns, last_write_ns;
	bool complete;
	struct flight_reason reason;
	uint64_t bytes, history_ns;
	uint64_t history_begin_ns;     /* every CPU's ring holds events from here */
	uint64_t latency_ns;           /* spike to the snapshot's last write */
};

struct flight_watch {
	int wd;
	size_t snap;                   /* index in snaps */
	char path[PATH_MAX];
};

struct record_flight {
	const struct record_session *session;
	const struct record_options *o;
	char dir[PATH_MAX];
	char trigger[128];
	bool trigger_added;
	char sock_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	int sock_fd, inotify_fd, dir_wd;
	pthread_t thread;
	bool running;
	struct record_run_info ri;     /* copy, for the snapshots' run info */

	/* Watcher-thread state; read by others only after it stopped. */
	struct flight_reason *reasons;
	size_t n_reasons, cap_reasons;
	struct flight_snapshot *snaps;
	size_t n_snaps, cap_snaps;
	struct flight_watch *watches;
	size_t n_watches, cap_watches;
	uint32_t short_history;
	struct record_buf json;
};

/* The self-pipe: written by the signal handler and the main thread. */
static int wake_pipe[2] = { -1, -1 };
enum { WAKE_SIGNAL = 'g', WAKE_CRASH = 'c', WAKE_STOP = 's' };

static void on_snapshot_signal(int sig)
{
	(void)sig;
	int saved = errno;
	char c = WAKE_SIGNAL;
	(void)!write(wake_pipe[1], &c, 1);
	errno = saved;
}

#define GROW(arr, n, cap)                                                     \
	do {                                                                  \
		if ((n) == (cap)) {                                           \
			(cap) = (cap) ? 2 * (cap) : 16;                       \
			void *p_ = realloc((arr), (cap) * sizeof *(arr));     \
			if (!p_)                                              \
				abort();   /* as record_buf: nothing sane to do */ \
			(arr) = p_;                                           \
		}                                                             \
	} while (0)


static void add_reason(struct record_flight *f, const struct flight_reason *r)
{
	GROW(f->reasons, f->n_reasons, f->cap_reasons);
	f->reasons[f->n_reasons++] = *r;
}

/* "KIND\tDURATION\tTHRESHOLD\tTS\tSUPPRESSED\tNAME" (spike_rules.h). */
static void read_announcements(struct record_flight *f)
{
	char msg[1024];
	ssize_t n;
	while ((n = recv(f->sock_fd, msg, sizeof msg - 1, MSG_DONTWAIT)) > 0) {
		msg[n] = '\0';
		struct flight_reason r = { .kind = KIND_UNKNOWN };
		int kind, off = 0;
		unsigned long long d, t, ts;
		unsigned s;
		if (sscanf(msg, "%d\t%llu\t%llu\t%llu\t%u\t%n", &kind, &d, &t, &ts, &s, &off) < 5 ||
		    off == 0 || kind < KIND_REGION || kind > KIND_API)
			continue;
		r.kind = (enum flight_kind)kind;
		r.duration_ns = d;
		r.threshold_ns = t;
		r.ts_ns = ts;
		r.suppressed = s;
		snprintf(r.name, sizeof r.name, "%s", msg + off);
		add_reason(f, &r);
	}
}

static void watch_add(struct record_flight *f, const char *path, size_t snap);

/* Watches path and any directories already in it (they may have been
 * created before the watch). */
static void watch_tree(struct record_flight *f, const char *path, size_t snap)
{
	watch_add(f, path, snap);
	DIR *d = opendir(path);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || de->d_type != DT_DIR)
			continue;
		char sub[PATH_MAX];
		if (snprintf(sub, sizeof sub, "%s/%s", path, de->d_name) < (int)sizeof sub)
			watch_tree(f, sub, snap);
	}
	closedir(d);
}

static void watch_add(struct record_flight *f, const char *path, size_t snap)
{
	int wd = inotify_add_watch(f->inotify_fd, path,
				   IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE | IN_ONLYDIR);
	if (wd < 0)
		return;
	for (size_t i = 0; i < f->n_watches; i++)
		if (f->watches[i].wd == wd)
			return;
	GROW(f->watches, f->n_watches, f->cap_watches);
	struct flight_watch *w = &f->watches[f->n_watches++];
	w->wd = wd;
	w->snap = snap;
	snprintf(w->path, sizeof w->path, "%s", path);
}

/* Past --max-snapshots: no trigger, no more snapshots. */
static void snapshots_cap(struct record_flight *f)
{
	if (f->n_snaps < f->o->max_snapshots || !f->trigger_added)
		return;
	struct record_err e;
	if (flight_trigger_remove(f->session, f->trigger, &e) < 0)
		record_say("%s", e.msg);
	f->trigger_added = false;
	record_say("flight recorder: %zu snapshots written, no more are taken (--max-snapshots)",
	    f->n_snaps);
}

static void new_snapshot(struct record_flight *f, const char *name, uint64_t now)
{
	GROW(f->snaps, f->n_snaps, f->cap_snaps);
	struct flight_snapshot *s = &f->snaps[f->n_snaps];
	*s = (struct flight_snapshot){ .seen_ns = now, .last_write_ns = now };
	snprintf(s->dir, sizeof s->dir, "%s", name);
	size_t idx = f->n_snaps++;
	char path[PATH_MAX];
	if (snprintf(path, sizeof path, "%s/%s", f->dir, name) < (int)sizeof path)
		watch_tree(f, path, idx);
	snapshots_cap(f);
}

static void read_inotify(struct record_flight *f)
{
	char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t n;
	uint64_t now = record_clock_ns(CLOCK_MONOTONIC);
	while ((n = read(f->inotify_fd, buf, sizeof buf)) > 0) {
		for (char *p = buf; p < buf + n; ) {
			struct inotify_event *ev = (struct inotify_event *)p;
			p += sizeof *ev + ev->len;
			if (ev->wd == f->dir_wd) {
				if ((ev->mask & IN_CREATE) && (ev->mask & IN_ISDIR) && ev->len &&
				    strncmp(ev->name, "snapshot-", 9) == 0)
					new_snapshot(f, ev->name, now);
				continue;
			}
			for (size_t i = 0; i < f->n_watches; i++) {
				struct flight_watch *w = &f->watches[i];
				if (w->wd != ev->wd)
					continue;
				f->snaps[w->snap].last_write_ns = now;
				if ((ev->mask & IN_CREATE) && (ev->mask & IN_ISDIR) && ev->len) {
					char sub[PATH_MAX];
					size_t snap = w->snap;   /* watch_tree may move f->watches */
					if (snprintf(sub, sizeof sub, "%s/%s", w->path, ev->name) < (int)sizeof sub)
						watch_tree(f, sub, snap);
				}
				break;
			}
		}
	}
}

/* The oldest unused reason announced before the snapshot appeared. */
static struct flight_reason claim_reason(struct record_flight *f, uint64_t seen_ns)
{
	for (size_t i = 0; i < f->n_reasons; i++) {
		struct flight_reason *r = &f->reasons[i];
		if (!r->used && r->ts_ns <= seen_ns) {
			r->used = true;
			return *r;
		}
	}
	return (struct flight_reason){ .kind = KIND_UNKNOWN, .ts_ns = seen_ns };
}

static void snapshot_json(struct record_buf *b, const struct record_flight *f,
			  const struct flight_snapshot *s)
{
	const struct flight_reason *r = &s->reason;
	record_buf_printf(b, "{ \"dir\": ");
	record_run_info_json_string(b, s->dir);
	record_buf_printf(b, ", \"kind\": \"%s\", \"name\": ", kind_names[r->kind]);
	record_run_info_json_string(b, r->name);
	record_buf_printf(b, ", \"duration_ns\": %" PRIu64 ", \"threshold_ns\": %" PRIu64
			  ", \"spike_ns\": %" PRIu64 ", \"suppressed\": %" PRIu32
			  ", \"latency_ns\": %" PRIu64 ", \"bytes\": %" PRIu64
			  ", \"history_ns\": %" PRIu64 ", \"history_wanted_ns\": %" PRIu64
			  ", \"history_begin_ns\": %" PRIu64 " }",
			  r->duration_ns, r->threshold_ns, r->ts_ns, r->suppressed,
			  s->latency_ns, s->bytes, s->history_ns, f->o->flight_ns, s->history_begin_ns);
}

/* A snapshot stopped changing: give it its cause and run info, and check
 * that it holds the history asked for. */
static void complete_snapshot(struct record_flight *f, struct flight_snapshot *s)
{
	s->complete = true;
	s->reason = claim_reason(f, s->seen_ns);
	s->latency_ns = s->last_write_ns > s->reason.ts_ns ? s->last_write_ns - s->reason.ts_ns : 0;
	/* Done with its directories (our own run-info write is not its). */
	for (size_t i = 0; i < f->n_watches; ) {
		if (&f->snaps[f->watches[i].snap] == s) {
			inotify_rm_watch(f->inotify_fd, f->watches[i].wd);
			f->watches[i] = f->watches[--f->n_watches];
		} else {
			i++;
		}
	}
	char path[PATH_MAX];
	if (snprintf(path, sizeof path, "%s/%s", f->dir, s->dir) >= (int)sizeof path)
		return;
	uint64_t from = flight_history_start(path, FLIGHT_HOT_CHANNEL);
	s->history_begin_ns = from;
	s->history_ns = from && from < s->reason.ts_ns ? s->reason.ts_ns - from : 0;
	/* Short only if the program ran long enough to fill DURATION. */
	uint64_t ran = s->reason.ts_ns > f->ri.start_mono_ns ? s->reason.ts_ns - f->ri.start_mono_ns : 0;
	if (from && s->history_ns < f->o->flight_ns && ran > f->o->flight_ns) {
		/* The size that would have held it, a quarter spare, as LTTng
		 * wants it (a power of two). */
		double want = (double)f->o->buffer_bytes * (double)f->o->flight_ns /
			      (double)(s->history_ns ? s->history_ns : 1) * 1.25;
		uint64_t suggest = 1u << 20;
		while ((double)suggest < want && suggest < (1ull << 32))
			suggest <<= 1;
		if (f->short_history++ == 0)
			record_say("WARNING: snapshot %s covers %.2f s of history, less than --flight=%.2f s; "
			    "use --buffer-size %" PRIu64 "M (now %" PRIu64 "M per CPU)", s->dir,
			    (double)s->history_ns / 1e9, (double)f->o->flight_ns / 1e9,
			    suggest >> 20, f->o->buffer_bytes >> 20);
	}

	struct record_buf j = { 0 };
	record_buf_printf(&j, "{ \"snapshot\": ");
	snapshot_json(&j, f, s);
	record_buf_printf(&j, " }");
	struct record_run_info ri = f->ri;
	ri.state = "snapshot";
	ri.flight_json = j.data;
	struct record_err e;
	if (record_run_info_write(path, &ri, &e) < 0)
		record_say("%s", e.msg);
	record_buf_free(&j);
	s->bytes = record_fs_tree_bytes(path);
}

static void take_snapshot(struct record_flight *f, enum flight_kind kind, const char *name)
{
	if (f->n_snaps >= f->o->max_snapshots)
		return;
	struct flight_reason r = { .kind = kind, .ts_ns = record_clock_ns(CLOCK_MONOTONIC) };
	snprintf(r.name, sizeof r.name, "%s", name);
	add_reason(f, &r);
	struct record_err e;
	if (flight_snapshot_take(f->session, &e) < 0)
		record_say("snapshot (%s) failed: %s", name, e.msg);
}

/* Milliseconds until the next incomplete snapshot counts as complete, -1
 * when none is pending; completes those already quiet. */
static int complete_quiet(struct record_flight *f)
{
	uint64_t now = record_clock_ns(CLOCK_MONOTONIC);
	uint64_t quiet = (uint64_t)FLIGHT_QUIET_MS * 1000000u;
	int timeout = -1;
	for (size_t i = 0; i < f->n_snaps; i++) {
		struct flight_snapshot *s = &f->snaps[i];
		if (s->complete)
			continue;
		if (now - s->last_write_ns >= quiet) {
			complete_snapshot(f, s);
			continue;
		}
		int ms = (int)((s->last_write_ns + quiet - now) / 1000000u) + 1;
		if (timeout < 0 || ms < timeout)
			timeout = ms;
	}
	return timeout;
}

/* Reasons announced lately with no snapshot yet: the trigger's snapshot
 * may still be on its way. */
static bool snapshot_expected(const struct record_flight *f)
{
	size_t unclaimed = 0;
	uint64_t latest = 0;
	for (size_t i = 0; i < f->n_reasons; i++)
		if (!f->reasons[i].used) {
			unclaimed++;
			if (f->reasons[i].ts_ns > latest)
				latest = f->reasons[i].ts_ns;
		}
	size_t pending = 0;
	for (size_t i = 0; i < f->n_snaps; i++)
		pending += !f->snaps[i].complete;
	return unclaimed > pending &&
	       record_clock_ns(CLOCK_MONOTONIC) - latest < 2000000000u;
}

static void *watcher_main(void *arg)
{
	struct record_flight *f = arg;
	bool stopping = false;
	for (;;) {
		int timeout = complete_quiet(f);
		if (stopping) {
			if (timeout < 0 && !snapshot_expected(f))
				break;
			if (timeout < 0)
				timeout = 50;   /* waiting for a trigger's snapshot */
		}
		struct pollfd p[3] = {
			{ .fd = f->inotify_fd, .events = POLLIN },
			{ .fd = f->sock_fd, .events = POLLIN },
			{ .fd = wake_pipe[0], .events = POLLIN },
		};
		if (poll(p, 3, timeout) < 0 && errno != EINTR)
			break;
		if (p[1].revents & POLLIN)
			read_announcements(f);
		if (p[0].revents & POLLIN)
			read_inotify(f);
		if (p[2].revents & POLLIN) {
			char c[16];
			ssize_t n = read(wake_pipe[0], c, sizeof c);
			for (ssize_t i = 0; i < n; i++) {
				if (c[i] == WAKE_SIGNAL) {
					char why[64];
					snprintf(why, sizeof why, "SIG%s", sigabbrev_np(f->o->spike_signal));
					take_snapshot(f, KIND_SIGNAL, why);
				} else if (c[i] == WAKE_CRASH) {
					take_snapshot(f, KIND_CRASH, "program crashed");
				} else if (c[i] == WAKE_STOP) {
					stopping = true;
				}
			}
		}
	}
	/* Whatever is still pending is as complete as it will get. */
	read_announcements(f);
	for (size_t i = 0; i < f->n_snaps; i++)
		if (!f->snaps[i].complete)
			complete_snapshot(f, &f->snaps[i]);
	return NULL;
}

struct record_flight *record_flight_open(const struct record_session *s,
					 const struct record_daemon *d, const char *trace_dir,
					 const struct record_options *o, struct record_err *e)
{
	struct record_flight *f = calloc(1, sizeof *f);
	if (!f) {
		record_err_set(e, "out of memory");
		return NULL;
	}
	f->session = s;
	f->o = o;
	f->sock_fd = f->inotify_fd = -1;
	snprintf(f->dir, sizeof f->dir, "%s", trace_dir);
	snprintf(f->trigger, sizeof f->trigger, "%s", s->name);

	if (pipe2(wake_pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
		record_err_set(e, "pipe: %s", strerror(errno));
		goto fail;
	}
	f->inotify_fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	if (f->inotify_fd < 0 ||
	    (f->dir_wd = inotify_add_watch(f->inotify_fd, trace_dir, IN_CREATE | IN_ONLYDIR)) < 0) {
		record_err_set(e, "inotify on %s: %s", trace_dir, strerror(errno));
		goto fail;
	}
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int n = snprintf(a.sun_path, sizeof a.sun_path, "%s/flight.sock", d->scratch);
	if (n < 0 || (size_t)n >= sizeof a.sun_path) {
		record_err_set(e, "scratch directory path too long for a socket: %s", d->scratch);
		goto fail;
	}
	snprintf(f->sock_path, sizeof f->sock_path, "%s", a.sun_path);
	f->sock_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (f->sock_fd < 0 || bind(f->sock_fd, (struct sockaddr *)&a, sizeof a) < 0) {
		record_err_set(e, "socket %s: %s", a.sun_path, strerror(errno));
		f->sock_path[0] = '\0';
		goto fail;
	}
	if (flight_trigger_add(s, f->trigger, e) < 0)
		goto fail;
	f->trigger_added = true;
	if (o->spike_signal) {
		struct sigaction sa = { .sa_handler = on_snapshot_signal, .sa_flags = SA_RESTART };
		sigemptyset(&sa.sa_mask);
		sigaction(o->spike_signal, &sa, NULL);
	}
	return f;
fail:
	record_flight_close(f);
	return NULL;
}

char **record_flight_env(const struct record_flight *f, char *const *base)
{
	struct record_buf spikes = { 0 }, interval = { 0 }, sock = { 0 };
	record_buf_printf(&spikes, "CTRACE_SPIKES=");
	for (size_t i = 0; i < f->o->n_spikes; i++) {
		char name[128];
		uint64_t ns;
		struct record_err e;
		if (record_flight_parse_spike(f->o->spikes[i], name, &ns, &e) == 0)
			record_buf_printf(&spikes, "%s%" PRIu64 ":%s", i ? "\n" : "", ns, name);
	}
	record_buf_printf(&interval, "CTRACE_SPIKE_INTERVAL_NS=%" PRIu64, f->o->snapshot_interval_ns);
	record_buf_printf(&sock, "CTRACE_SPIKE_SOCK=%s", f->sock_path);
	char *set[] = { spikes.data, interval.data, sock.data };
	char **env = record_env_with(base, set, 3);
	record_buf_free(&spikes);
	record_buf_free(&interval);
	record_buf_free(&sock);
	return env;
}

int record_flight_start(struct record_flight *f, const struct record_run_info *ri,
			struct record_err *e)
{
	f->ri = *ri;
	f->ri.flight_json = NULL;
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int rc = pthread_create(&f->thread, NULL, watcher_main, f);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0)
		return record_err_set(e, "cannot start the flight recorder's thread: %s", strerror(rc));
	f->running = true;
	return 0;
}

static bool crash_signal(int sig)
{
	return sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL ||
	       sig == SIGABRT || sig == SIGTRAP || sig == SIGSYS;
}

void record_flight_stop(struct record_flight *f, int wait_status)
{
	if (!f || !f->running)
		return;
	char c[2];
	size_t n = 0;
	if (WIFSIGNALED(wait_status) && crash_signal(WTERMSIG(wait_status)))
		c[n++] = WAKE_CRASH;
	c[n++] = WAKE_STOP;
	(void)!write(wake_pipe[1], c, n);
	pthread_join(f->thread, NULL);
	f->running = false;
	struct record_err e;
	if (f->trigger_added && flight_trigger_remove(f->session, f->trigger, &e) < 0)
		record_say("%s", e.msg);
	f->trigger_added = false;
}

const char *record_flight_json(struct record_flight *f)
{
	struct record_buf *b = &f->json;
	const struct record_options *o = f->o;
	b->len = 0;
	record_buf_printf(b, "{ \"duration_ns\": %" PRIu64 ", \"buffer_bytes_per_cpu\": %" PRIu64
			  ", \"meta_buffer_bytes_per_cpu\": %llu, \"subbuffers\": %u"
			  ", \"snapshot_interval_ns\": %" PRIu64 ", \"max_snapshots\": %" PRIu32
			  ", \"signal\": %d, \"rules\": [",
			  o->flight_ns, o->buffer_bytes, (unsigned long long)FLIGHT_META_BUFFER,
			  FLIGHT_SUBBUF_COUNT, o->snapshot_interval_ns, o->max_snapshots,
			  o->spike_signal);
	for (size_t i = 0; i < o->n_spikes; i++) {
		char name[128];
		uint64_t ns;
		struct record_err e;
		if (record_flight_parse_spike(o->spikes[i], name, &ns, &e) < 0)
			continue;
		record_buf_printf(b, "%s{ \"name\": ", i ? ", " : "");
		record_run_info_json_string(b, name);
		record_buf_printf(b, ", \"threshold_ns\": %" PRIu64 " }", ns);
	}
	record_buf_printf(b, "], \"short_history\": %" PRIu32 ", \"snapshots\": [", f->short_history);
	for (size_t i = 0; i < f->n_snaps; i++) {
		record_buf_printf(b, "%s\n    ", i ? "," : "");
		snapshot_json(b, f, &f->snaps[i]);
	}
	record_buf_printf(b, "] }");
	return b->data;
}

void record_flight_report(const struct record_flight *f, FILE *out)
{
	if (f->n_snaps == 0)
		fprintf(out, "ctrace record: flight recorder: no spike, no snapshot written\n");
	for (size_t i = 0; i < f->n_snaps; i++) {
		const struct flight_snapshot *s = &f->snaps[i];
		const struct flight_reason *r = &s->reason;
		fprintf(out, "ctrace record: snapshot %s/%s (%s", f->dir, s->dir, kind_names[r->kind]);
		if (r->name[0])
			fprintf(out, " '%s'", r->name);
		if (r->duration_ns)
			fprintf(out, " %.3f ms > %.3f ms", (double)r->duration_ns / 1e6,
				(double)r->threshold_ns / 1e6);
		fprintf(out, ", %.1f MiB, %.2f s of history)\n", (double)s->bytes / (1 << 20),
			(double)s->history_ns / 1e9);
	}
}

void record_flight_close(struct record_flight *f)
{
	if (!f)
		return;
	record_flight_stop(f, 0);
	struct record_err e;
	if (f->trigger_added)
		flight_trigger_remove(f->session, f->trigger, &e);
	/* Ignored, not default: a late signal must not kill the recorder
	 * while it finishes the trace. */
	if (f->o && f->o->spike_signal)
		signal(f->o->spike_signal, SIG_IGN);
	if (f->sock_fd >= 0)
		close(f->sock_fd);
	if (f->sock_path[0])
		unlink(f->sock_path);
	if (f->inotify_fd >= 0)
		close(f->inotify_fd);
	for (int i = 0; i < 2; i++)
		if (wake_pipe[i] >= 0) {
			close(wake_pipe[i]);
			wake_pipe[i] = -1;
		}
	free(f->reasons);
	free(f->snaps);
	free(f->watches);
	record_buf_free(&f->json);
	free(f);
}
