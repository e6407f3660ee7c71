/* The run-info file (see record_run_info.h). */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "record_child.h"
#include "record_fs.h"
#include "record_run_info.h"

static void json_string(struct record_buf *b, const char *s)
{
	record_buf_append(b, "\"", 1);
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		if (*p == '"' || *p == '\\')
			record_buf_printf(b, "\\%c", *p);
		else if (*p < 0x20)
			record_buf_printf(b, "\\u%04x", *p);
		else
			record_buf_append(b, p, 1);
	}
	record_buf_append(b, "\"", 1);
}

void record_run_info_json_string(struct record_buf *b, const char *s)
{
	json_string(b, s);
}

static void json_time(struct record_buf *b, uint64_t real_ns, uint64_t mono_ns)
{
	if (!real_ns) {
		record_buf_printf(b, "null");
		return;
	}
	time_t sec = (time_t)(real_ns / 1000000000u);
	struct tm tm;
	gmtime_r(&sec, &tm);
	char utc[64];
	strftime(utc, sizeof utc, "%Y-%m-%dT%H:%M:%S", &tm);
	record_buf_printf(b, "{ \"utc\": \"%s.%09" PRIu64 "Z\", \"monotonic_ns\": %" PRIu64 " }",
			  utc, real_ns % 1000000000u, mono_ns);
}

static const char *json_bool(bool v)
{
	return v ? "true" : "false";
}

int record_run_info_write(const char *trace_dir, const struct record_run_info *ri,
			  struct record_err *e)
{
	const struct record_options *o = ri->opts;
	struct record_buf b = { 0 };
	record_buf_printf(&b, "{\n  \"format\": 1,\n  \"state\": ");
	json_string(&b, ri->state);
	record_buf_printf(&b, ",\n  \"command\": [");
	for (int i = 0; i < o->prog_argc; i++) {
		record_buf_printf(&b, i ? ", " : "");
		json_string(&b, o->prog_argv[i]);
	}
	record_buf_printf(&b, "],\n  \"program\": ");
	json_string(&b, ri->program);
	char cwd[PATH_MAX];
	record_buf_printf(&b, ",\n  \"cwd\": ");
	json_string(&b, getcwd(cwd, sizeof cwd) ? cwd : "");
	record_buf_printf(&b, ",\n  \"pid\": %d,\n  \"start\": ", (int)ri->pid);
	json_time(&b, ri->start_real_ns, ri->start_mono_ns);
	record_buf_printf(&b, ",\n  \"end\": ");
	json_time(&b, ri->end_real_ns, ri->end_mono_ns);
	if (!ri->ended)
		record_buf_printf(&b, ",\n  \"exit\": null");
	else if (WIFSIGNALED(ri->wait_status))
		record_buf_printf(&b, ",\n  \"exit\": { \"code\": %d, \"signal\": %d }",
				  record_child_exit_code(ri->wait_status), WTERMSIG(ri->wait_status));
	else
		record_buf_printf(&b, ",\n  \"exit\": { \"code\": %d, \"signal\": null }",
				  record_child_exit_code(ri->wait_status));
	record_buf_printf(&b, ",\n  \"instrumented\": %s,\n  \"instrumentation_note\": ",
			  json_bool(ri->instrumented));
	json_string(&b, ri->instrumentation_note);
	record_buf_printf(&b, ",\n  \"daemon\": ");
	json_string(&b, ri->daemon);
	record_buf_printf(&b, ",\n  \"scheduling\": { \"captured\": %s, \"note\": ",
			  json_bool(ri->sched_captured));
	json_string(&b, ri->sched_note);
	record_buf_printf(&b, ", \"events\": %" PRIu64 ", \"discarded\": %" PRIu64
			  ", \"reordered\": %" PRIu64 ", \"reader_cpu_ns\": %" PRIu64 " }",
			  ri->sched_events, ri->sched_discarded, ri->sched_reordered, ri->reader_cpu_ns);
	record_buf_printf(&b, ",\n  \"ust\": { \"discarded_events\": %" PRId64 ", \"note\": ", ri->ust_discarded);
	json_string(&b, ri->ust_note);
	record_buf_printf(&b, " }");
	record_buf_printf(&b, ",\n  \"discarded_events\": %" PRId64,
			  ri->ust_discarded + (int64_t)ri->sched_discarded);
	record_buf_printf(&b, ",\n  \"recorder_cpu_ns\": %" PRIu64, ri->recorder_cpu_ns);
	record_buf_printf(&b,
		",\n  \"settings\": { \"lossless\": %s, \"buffer_bytes_per_cpu\": %" PRIu64
		", \"subbuffers\": %u, \"sample_hz\": %" PRIu32
		", \"lock_threshold_ns\": %" PRIu64 ", \"syscall_threshold_ns\": %" PRIu64
		", \"alloc_sample_bytes\": %" PRIu64 ", \"sched\": %s }",
		json_bool(!o->discard), o->buffer_bytes, RECORD_SUBBUF_COUNT, o->sample_hz,
		o->lock_threshold_ns, o->syscall_threshold_ns, o->alloc_sample_bytes,
		json_bool(o->sched));
	record_buf_printf(&b, ",\n  \"errors\": ");
	json_string(&b, ri->errors);
	if (ri->flight_json)
		record_buf_printf(&b, ",\n  \"flight\": %s", ri->flight_json);
	record_buf_printf(&b, "\n}\n");

	char path[PATH_MAX + 64];
	snprintf(path, sizeof path, "%s/" RECORD_RUN_INFO, trace_dir);
	int rc = record_file_replace(path, b.data, b.len);
	int err = errno;
	record_buf_free(&b);
	if (rc < 0)
		return record_err_set(e, "writing %s: %s", path, strerror(err));
	return 0;
}
