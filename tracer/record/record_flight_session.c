/*
 * The flight recorder's LTTng side (see record_flight.h): the snapshot
 * session with its two overwrite channels, the trigger that snapshots it on
 * ctrace:spike, and snapshots taken on demand. Also the parsing of the
 * flight options, which needs to know what the session can do.
 */
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "record_flight.h"
#include "record_flight_internal.h"

#define LTTNG(s, out, e, ...)                                                  \
	record_session_lttng((s), (out), (e), (const char *const[]){ __VA_ARGS__ }, \
			     sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *))

/* Events written once that every snapshot needs: the meta channel's.
 * Every other ctrace event goes to the hot channel, enabled by first-letter
 * wildcards (hot_events) rather than `ctrace:* --exclude ...`: with an
 * exclusion, `lttng list SESSION` crashes lttng-sessiond 2.13.9 (measured). */
#define META_CTRACE_EVENTS                                                      \
	"ctrace:process_start,ctrace:process_exit,ctrace:thread_create,"          \
	"ctrace:thread_start,ctrace:thread_name,ctrace:thread_exit"

int record_flight_parse_spike(const char *arg, char name[128], uint64_t *threshold_ns,
			      struct record_err *e)
{
	const char *eq = strrchr(arg, '=');
	if (!eq || eq == arg)
		return record_err_set(e, "--spike '%s': expected NAME=DURATION, e.g. request=20ms", arg);
	size_t len = (size_t)(eq - arg);
	if (len >= 128 || memchr(arg, '\n', len))
		return record_err_set(e, "--spike '%s': the name must be 1 to 127 bytes on one line", arg);
	if (record_parse_duration(eq + 1, threshold_ns) < 0)
		return record_err_set(e, "--spike '%s': expected a duration after '=' such as 20ms", arg);
	memcpy(name, arg, len);
	name[len] = '\0';
	return 0;
}

int record_flight_parse_signal(const char *arg, int *sig, struct record_err *e)
{
	static const struct { const char *name; int sig; } names[] = {
		{ "USR1", SIGUSR1 }, { "USR2", SIGUSR2 }, { "WINCH", SIGWINCH },
		{ "URG", SIGURG }, { "PWR", SIGPWR }, { "ALRM", SIGALRM },
		{ "INT", SIGINT }, { "TERM", SIGTERM }, { "HUP", SIGHUP }, { "QUIT", SIGQUIT },
	};
	const char *n = strncmp(arg, "SIG", 3) == 0 ? arg + 3 : arg;
	int s = 0;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(n, names[i].name) == 0)
			s = names[i].sig;
	if (!s) {
		char *end;
		long v = strtol(arg, &end, 10);
		if (*arg && !*end && v > 0 && v < NSIG)
			s = (int)v;
	}
	if (!s)
		return record_err_set(e, "--spike-on-signal '%s': expected a signal such as USR1 or a number", arg);
	if (s == SIGINT || s == SIGTERM || s == SIGHUP || s == SIGQUIT || s == SIGKILL ||
	    s == SIGSTOP || s == SIGCHLD)
		return record_err_set(e, "--spike-on-signal '%s': ctrace record needs that signal itself; use USR1 or USR2", arg);
	*sig = s;
	return 0;
}

static int enable_channel(const struct record_session *s, const char *name, uint64_t bytes,
			  struct record_err *e)
{
	char subbuf[64], nsub[32];
	snprintf(subbuf, sizeof subbuf, "--subbuf-size=%" PRIu64, bytes / FLIGHT_SUBBUF_COUNT);
	snprintf(nsub, sizeof nsub, "--num-subbuf=%u", FLIGHT_SUBBUF_COUNT);
	if (LTTNG(s, NULL, e, "enable-channel", "--userspace", "--session", s->name,
		  "--buffers-uid", "--overwrite", subbuf, nsub, name) < 0)
		return -1;
	return LTTNG(s, NULL, e, "add-context", "--userspace", "--session", s->name,
		     "--channel", name, "--type=vpid", "--type=vtid");
}

/* "ctrace:a*,...": every letter but p and t (process_*, thread_* are
 * meta), then the p/t events that are not. */
static void hot_events(char *out, size_t len)
{
	size_t n = 0;
	for (char c = 'a'; c <= 'z'; c++)
		if (c != 'p' && c != 't')
			n += (size_t)snprintf(out + n, len - n, "ctrace:%c*,", c);
	snprintf(out + n, len - n, "ctrace:task_*,ctrace:thread_join");
}

int record_flight_session_start(struct record_session *s, const struct record_daemon *d,
				const char *trace_dir, const struct record_options *o,
				struct record_err *e)
{
	*s = (struct record_session){ .daemon = d };
	snprintf(s->name, sizeof s->name, "ctrace-flight-%d-%" PRIu64, (int)getpid(),
		 record_clock_ns(CLOCK_MONOTONIC));
	char output[PATH_MAX + 16];
	snprintf(output, sizeof output, "--output=%s", trace_dir);
	if (LTTNG(s, NULL, e, "create", s->name, "--snapshot", output) < 0)
		return -1;
	s->created = true;
	/* Sub-buffers must be powers of two of at least a page. */
	uint64_t hot = o->buffer_bytes < FLIGHT_SUBBUF_COUNT * 4096u ? FLIGHT_SUBBUF_COUNT * 4096u
								       : o->buffer_bytes;
	char hot_list[512];
	hot_events(hot_list, sizeof hot_list);
	if (enable_channel(s, FLIGHT_HOT_CHANNEL, hot, e) < 0 ||
	    enable_channel(s, FLIGHT_META_CHANNEL, FLIGHT_META_BUFFER, e) < 0 ||
	    LTTNG(s, NULL, e, "enable-event", "--userspace", "--session", s->name,
		  "--channel", FLIGHT_HOT_CHANNEL, hot_list) < 0 ||
	    LTTNG(s, NULL, e, "enable-event", "--userspace", "--session", s->name,
		  "--channel", FLIGHT_META_CHANNEL,
		  META_CTRACE_EVENTS ",lttng_ust_statedump:*,lttng_ust_dl:*") < 0 ||
	    LTTNG(s, NULL, e, "start", s->name) < 0) {
		struct record_err ignored;
		record_session_destroy(s, &ignored);
		return -1;
	}
	return 0;
}

int flight_trigger_add(const struct record_session *s, const char *trigger,
		       struct record_err *e)
{
	char name[160];
	snprintf(name, sizeof name, "--name=%s", trigger);
	return LTTNG(s, NULL, e, "add-trigger", name, "--condition", "event-rule-matches",
		     "--type=user", "--name=ctrace:spike", "--action", "snapshot-session", s->name);
}

int flight_trigger_remove(const struct record_session *s, const char *trigger,
			  struct record_err *e)
{
	return LTTNG(s, NULL, e, "remove-trigger", trigger);
}

int flight_snapshot_take(const struct record_session *s, struct record_err *e)
{
	char session[160];
	snprintf(session, sizeof session, "--session=%s", s->name);
	return LTTNG(s, NULL, e, "snapshot", "record", session);
}
