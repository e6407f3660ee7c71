/* LTTng session control through the lttng client (see record_session.h). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "record_proc.h"
#include "record_session.h"

#define CHANNEL "ctrace"

/* Runs `lttng --no-sessiond ARGS...`; output in out when non-NULL. Fails
 * with the client's last message when it does not exit 0. */
static int lttng_run(const struct record_session *s, struct record_buf *out,
		     struct record_err *e, const char *const *args, size_t nargs)
{
	char *argv[16];
	size_t n = 0;
	argv[n++] = (char *)s->daemon->lttng;
	argv[n++] = "--no-sessiond";
	for (size_t i = 0; i < nargs && n < sizeof argv / sizeof argv[0] - 1; i++)
		argv[n++] = (char *)args[i];
	argv[n] = NULL;
	struct record_buf local = { 0 };
	struct record_buf *b = out ? out : &local;
	int status;
	int rc = record_proc_run(argv[0], argv, s->daemon->client_env, b, &status, e);
	if (rc == 0 && (!WIFEXITED(status) || WEXITSTATUS(status) != 0)) {
		/* The client's own message is the most useful thing to show. */
		const char *msg = "no message";
		if (b->data) {
			char *err = strstr(b->data, "Error: ");
			msg = err ? err + strlen("Error: ") : b->data;
			msg += strspn(msg, " \n");
			((char *)msg)[strcspn(msg, "\n")] = '\0';
		}
		char how[64];
		rc = record_err_set(e, "lttng %s failed (%s): %s", args[0],
				    record_proc_describe(status, how, sizeof how), msg);
	}
	record_buf_free(&local);
	return rc;
}

#define LTTNG(s, out, e, ...)                                                  \
	lttng_run((s), (out), (e), (const char *const[]){ __VA_ARGS__ },         \
		  sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *))

int record_session_start(struct record_session *s, const struct record_daemon *d,
			 const char *trace_dir, const struct record_options *o,
			 struct record_err *e)
{
	*s = (struct record_session){ .daemon = d };
	snprintf(s->name, sizeof s->name, "ctrace-record-%d-%" PRIu64, (int)getpid(),
		 record_clock_ns(CLOCK_MONOTONIC));
	char output[PATH_MAX + 16], subbuf[64], nsub[32];
	snprintf(output, sizeof output, "--output=%s", trace_dir);
	snprintf(subbuf, sizeof subbuf, "--subbuf-size=%" PRIu64, o->buffer_bytes / RECORD_SUBBUF_COUNT);
	snprintf(nsub, sizeof nsub, "--num-subbuf=%u", RECORD_SUBBUF_COUNT);

	if (LTTNG(s, NULL, e, "create", s->name, output) < 0)
		return -1;
	s->created = true;
	const char *block = o->discard ? "--blocking-timeout=0" : "--blocking-timeout=inf";
	if (LTTNG(s, NULL, e, "enable-channel", "--userspace", "--session", s->name,
		  "--buffers-uid", subbuf, nsub, block, CHANNEL) < 0 ||
	    LTTNG(s, NULL, e, "enable-event", "--userspace", "--session", s->name,
		  "--channel", CHANNEL, "ctrace:*,lttng_ust_statedump:*,lttng_ust_dl:*") < 0 ||
	    LTTNG(s, NULL, e, "add-context", "--userspace", "--session", s->name,
		  "--channel", CHANNEL, "--type=vpid", "--type=vtid") < 0 ||
	    LTTNG(s, NULL, e, "start", s->name) < 0) {
		struct record_err ignored;
		record_session_destroy(s, &ignored);
		return -1;
	}
	return 0;
}

/* Sums the "Discarded events: N" and "Lost packets: N" of `lttng list`. */
static int64_t parse_discarded(const char *text)
{
	static const char *const keys[] = { "Discarded events:", "Lost packets:" };
	int64_t sum = 0;
	for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
		for (const char *p = text; (p = strstr(p, keys[k])); ) {
			p += strlen(keys[k]);
			sum += (int64_t)strtoull(p, NULL, 10);
		}
	}
	return sum;
}

int record_session_stop(struct record_session *s, int64_t *discarded, struct record_err *e)
{
	if (LTTNG(s, NULL, e, "stop", s->name) < 0)
		return -1;
	s->stopped = true;
	struct record_buf out = { 0 };
	int rc = LTTNG(s, &out, e, "list", s->name);
	if (rc == 0 && out.data)
		*discarded += parse_discarded(out.data);
	record_buf_free(&out);
	return rc;
}

int record_session_lttng(const struct record_session *s, struct record_buf *out,
			 struct record_err *e, const char *const *args, size_t nargs)
{
	return lttng_run(s, out, e, args, nargs);
}

int record_session_destroy(struct record_session *s, struct record_err *e)
{
	if (!s->created)
		return 0;
	s->created = false;
	/* Once stopped, data is on disk already: do not wait again. */
	if (s->stopped)
		return LTTNG(s, NULL, e, "destroy", "--no-wait", s->name);
	return LTTNG(s, NULL, e, "destroy", s->name);
}
