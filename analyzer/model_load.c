/*
 * model_load: trace directory → model (model_load.h).
 */
#include "model_load.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "analyzer_error.h"
#include "model_cache.h"
#include "model_load_internal.h"
#include "model_run_info.h"

#define LOAD_PROGRESS_EVERY 65536

int load_feed_event(struct load_run *run, const struct model_event *me)
{
	if (model_builder_feed(run->b, me) != 0) {
		run->oom = true;
		return -1;
	}
	if (me->ts > run->last_ts)
		run->last_ts = me->ts;
	if (++run->events % LOAD_PROGRESS_EVERY == 0 && run->progress)
		run->progress(run->events, run->progress_user);
	return 0;
}

int load_feed_gap(struct load_run *run, int64_t count, uint64_t begin_ns, uint64_t end_ns)
{
	struct model_event me = { .type = MEV_GAP, .cpu = -1 };
	/* The gap is known from where the stream resumes; the builder marks
	 * states unknown from the latest instant it has seen. */
	me.ts = begin_ns > run->last_ts ? begin_ns : run->last_ts;
	me.u.gap.count = count;
	me.u.gap.begin_ns = begin_ns;
	me.u.gap.end_ns = end_ns;
	if (model_builder_feed(run->b, &me) != 0) {
		run->oom = true;
		return -1;
	}
	return 0;
}

static int load_event(const struct analyzer_event *ev, void *user)
{
	struct load_run *run = user;
	struct model_event me;
	if (model_decode(&run->dec, ev, &me) != 0) {
		run->oom = true;
		return 1;
	}
	return load_feed_event(run, &me) != 0;
}

static int load_gap(const struct analyzer_gap *gap, void *user)
{
	return load_feed_gap(user, gap->count, gap->begin_ns, gap->end_ns) != 0;
}

static int load_sink_event(void *user, const struct model_event *me)
{
	return load_feed_event(user, me);
}

static int load_sink_gap(void *user, int64_t count, uint64_t begin_ns, uint64_t end_ns)
{
	return load_feed_gap(user, count, begin_ns, end_ns);
}

static bool has_sched_trace(const char *dir)
{
	char path[4200];
	struct stat st;
	snprintf(path, sizeof path, "%s/sched/metadata", dir);
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int model_load(const char *dir, struct model *out, struct model_load_info *info,
	       model_progress_fn progress, void *progress_user, struct analyzer_error *err)
{
	struct model_load_options opt = { .progress = progress, .progress_user = progress_user };
	return model_load_opts(dir, &opt, out, info, err);
}

/* Reads the trace itself (the cache aside). */
static int load_trace(const char *dir, model_progress_fn progress, void *progress_user,
		      struct model *out, struct model_load_info *info, struct analyzer_error *err)
{
	*out = (struct model){ 0 };
	*info = (struct model_load_info){ .sched_trace = has_sched_trace(dir) };
	struct analyzer_run_info ri;   /* a flight snapshot says where its history begins */
	analyzer_run_info_read(dir, &ri);
	struct model_builder_options opt = { .sched = info->sched_trace,
					     .history_begin_ns = ri.history_begin_ns,
					     .root_pid = ri.root_pid };
	struct load_run run = { .progress = progress, .progress_user = progress_user };
	run.b = model_builder_create(&opt);
	if (!run.b)
		return analyzer_error_set(err, "%s: out of memory", dir);
	struct analyzer_error rerr = { "" };
	int rc = 1;
	unsigned threads = load_decode_threads();
	if (threads > 1 && !analyzer_is_live_url(dir)) {
		bool refeed = false;
		struct load_sink sink = { load_sink_event, load_sink_gap, &run };
		rc = load_parallel(dir, threads, &sink, &info->stats, &refeed, &run.parts);
		if (rc < 0)
			run.oom = true;
		if (rc == 1 && refeed) {
			/* A part failed after events were fed: start over. */
			model_builder_destroy(run.b);
			run = (struct load_run){ .progress = progress, .progress_user = progress_user };
			run.b = model_builder_create(&opt);
			if (!run.b)
				return analyzer_error_set(err, "%s: out of memory", dir);
		}
	}
	if (rc == 1) {
		model_decoder_init(&run.dec);
		struct analyzer_read_options ropt = { .event = load_event, .gap = load_gap, .user = &run,
						      .salvage = true };
		rc = analyzer_read_trace_opts(dir, &ropt, &info->stats, &rerr);
		model_decoder_free(&run.dec);
	}
	if (run.oom) {
		model_builder_destroy(run.b);
		return analyzer_error_set(err, "%s: out of memory while building the model", dir);
	}
	if (rc < 0) {
		if (info->stats.events == 0) {
			model_builder_destroy(run.b);
			*err = rerr;
			return -1;
		}
		info->damaged = true;
		snprintf(info->damage, sizeof info->damage, "reading stopped early: %.1000s", rerr.msg);
	}
	if (!info->damaged && (info->stats.skipped_traces || info->stats.skipped_files)) {
		info->damaged = true;
		snprintf(info->damage, sizeof info->damage, "%s", info->stats.skipped);
	}
	rc = model_builder_finish(run.b, out);
	model_builder_destroy(run.b);
	if (rc != 0)
		return analyzer_error_set(err, "%s: out of memory while building the model", dir);
	info->decode_threads = (uint8_t)(run.parts ? run.parts : 1);
	/* The reader's count is the authority (it sums every stream's). */
	out->discarded_events = info->stats.discarded_events;
	return 0;
}

int model_load_opts(const char *dir, const struct model_load_options *opt, struct model *out,
		    struct model_load_info *info, struct analyzer_error *err)
{
	uint64_t fingerprint = 0;
	bool cache = opt->cache && model_cache_fingerprint(dir, &fingerprint) == 0;
	if (cache && model_cache_read(dir, fingerprint, out, info) == 1)
		return 0;
	if (load_trace(dir, opt->progress, opt->progress_user, out, info, err) != 0)
		return -1;
	info->cache_fingerprinted = cache;
	info->cache_fingerprint = fingerprint;
	return 0;
}
