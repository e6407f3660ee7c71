/*
 * The trace reader (see reader.h): builds one babeltrace2 graph
 * src.ctf.fs → flt.utils.muxer → simple sink over every CTF trace of a
 * trace directory and turns its messages into callback calls.
 *
 * Each trace gets its own src.ctf.fs (one component reads one trace).
 * The simple sink pulls one batch of messages at a time and releases each
 * message once handled, so memory stays bounded whatever the trace size;
 * the muxer orders events of all streams (UST and sched) by time.
 */
#include "reader.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <babeltrace2/babeltrace.h>

#include "analyzer_error.h"
#include "event_view.h"
#include "reader_salvage.h"
#include "trace_dirs.h"

struct reader_run {
	analyzer_event_fn fn;
	analyzer_gap_fn gap_fn;
	bool salvage;
	char *salvaged[64];         /* stand-in directories to remove */
	size_t nsalvaged;
	void *user;
	struct analyzer_read_stats *stats;
	struct event_view_cache cache;
	int stopped_with;           /* fn's non-zero return, 0 while reading */
	int64_t last_order_ns;      /* of the last event handed out */
	/* The sources' output ports, one per stream, for the muxer. */
	const bt_port_output **ports;
	size_t nports, cap_ports;
	bool direct;                /* one port: into the sink, no muxer */
};

/* babeltrace2's objects are not thread-safe (plain reference counts,
 * shared plugin handles): reads in several threads build and destroy
 * their graphs one at a time, and only run them at the same time. */
static pthread_mutex_t reader_bt_lock = PTHREAD_MUTEX_INITIALIZER;

/* Babeltrace2's own causes ("component initialization method failed",
 * with addresses) only restate that a component failed; the components'
 * causes say why. */
static bool reader_cause_is_library(const bt_error_cause *c)
{
	const char *m = bt_error_cause_get_module_name(c);
	return m && !strcmp(m, "libbabeltrace2");
}

/* Formats the causes (root cause first) into buf; library causes only when
 * there is nothing else. Returns the length written. */
static size_t reader_causes_format(const bt_error *e, char *buf, size_t size, bool library)
{
	size_t len = 0;
	uint64_t n = bt_error_get_cause_count(e);
	for (uint64_t i = 0; i < n && len + 1 < size; i++) {
		const bt_error_cause *c = bt_error_borrow_cause_by_index(e, i);
		if (reader_cause_is_library(c) != library)
			continue;
		int w = snprintf(buf + len, size - len, "%s%s", len ? "; " : ": ",
				 bt_error_cause_get_message(c));
		if (w < 0)
			break;
		len += (size_t)w;
	}
	return len < size ? len : size - 1;
}

size_t reader_take_error_causes(char *buf, size_t size)
{
	size_t len = 0;
	buf[0] = 0;
	const bt_error *e = bt_current_thread_take_error();
	if (e) {
		len = reader_causes_format(e, buf, size, false);
		if (!len)
			len = reader_causes_format(e, buf, size, true);
		bt_error_release(e);
	}
	return len;
}

/* Reports what the reader was doing with babeltrace2's error causes, then
 * clears the thread's error. */
static int reader_bt_error(struct analyzer_error *err, const char *dir, const char *what)
{
	char causes[ANALYZER_ERROR_MAX];
	size_t len = reader_take_error_causes(causes, sizeof causes);
	return analyzer_error_set(err, "%s: %s%s", dir, what,
				  len ? causes : " (babeltrace2 gave no cause)");
}

/* Beginning or end of a discarded-events message's time range, 0 when the
 * stream class has no such clock snapshots. */
static uint64_t reader_discarded_time(const bt_message *msg, bool begin)
{
	const bt_stream *st = bt_message_discarded_events_borrow_stream_const(msg);
	const bt_stream_class *sc = bt_stream_borrow_class_const(st);
	if (!bt_stream_class_discarded_events_have_default_clock_snapshots(sc))
		return 0;
	const bt_clock_snapshot *cs = begin
		? bt_message_discarded_events_borrow_beginning_default_clock_snapshot_const(msg)
		: bt_message_discarded_events_borrow_end_default_clock_snapshot_const(msg);
	return event_view_clock_ns(cs);
}

/* Where the muxer placed a discarded-events message: at its beginning, or
 * (without clock snapshots) at the last message it had returned. */
static int64_t reader_discarded_order(const struct reader_run *run, const bt_message *msg)
{
	const bt_stream *st = bt_message_discarded_events_borrow_stream_const(msg);
	int64_t ns;
	if (!bt_stream_class_discarded_events_have_default_clock_snapshots(bt_stream_borrow_class_const(st)) ||
	    bt_clock_snapshot_get_ns_from_origin(
		    bt_message_discarded_events_borrow_beginning_default_clock_snapshot_const(msg), &ns) !=
		    BT_CLOCK_SNAPSHOT_GET_NS_FROM_ORIGIN_STATUS_OK)
		return run->last_order_ns;
	return ns;
}

static void reader_handle_message(struct reader_run *run, const bt_message *msg)
{
	switch (bt_message_get_type(msg)) {
	case BT_MESSAGE_TYPE_EVENT: {
		struct analyzer_event view;
		event_view_fill(&run->cache, msg, &view);
		run->last_order_ns = view.order_ns;
		run->stats->events++;
		run->stopped_with = run->fn(&view, run->user);
		break;
	}
	case BT_MESSAGE_TYPE_DISCARDED_EVENTS: {
		uint64_t n = 0;
		run->stats->discarded_event_messages++;
		if (bt_message_discarded_events_get_count(msg, &n) == BT_PROPERTY_AVAILABILITY_AVAILABLE)
			run->stats->discarded_events += (int64_t)n;
		if (run->gap_fn)
			run->stopped_with = run->gap_fn(&(struct analyzer_gap){
				.count = (int64_t)n,
				.begin_ns = reader_discarded_time(msg, true),
				.end_ns = reader_discarded_time(msg, false),
				.order_ns = reader_discarded_order(run, msg),
				.stream = bt_message_discarded_events_borrow_stream_const(msg),
			}, run->user);
		break;
	}
	case BT_MESSAGE_TYPE_DISCARDED_PACKETS: {
		uint64_t n = 0;
		if (bt_message_discarded_packets_get_count(msg, &n) == BT_PROPERTY_AVAILABILITY_AVAILABLE)
			run->stats->discarded_packets += n;
		break;
	}
	default:
		break;
	}
}

static bt_graph_simple_sink_component_consume_func_status
reader_consume(bt_message_iterator *it, void *data)
{
	struct reader_run *run = data;
	bt_message_array_const msgs;
	uint64_t count;
	switch (bt_message_iterator_next(it, &msgs, &count)) {
	case BT_MESSAGE_ITERATOR_NEXT_STATUS_OK:
		break;
	case BT_MESSAGE_ITERATOR_NEXT_STATUS_END:
		return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_END;
	case BT_MESSAGE_ITERATOR_NEXT_STATUS_AGAIN:
		return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_AGAIN;
	case BT_MESSAGE_ITERATOR_NEXT_STATUS_MEMORY_ERROR:
		return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_MEMORY_ERROR;
	default:
		return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_ERROR;
	}
	for (uint64_t i = 0; i < count; i++) {
		if (!run->stopped_with)
			reader_handle_message(run, msgs[i]);
		bt_message_put_ref(msgs[i]);
	}
	return run->stopped_with ? BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_END
				 : BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_OK;
}

/* Loads one component class of a system plugin, e.g. ("ctf", "fs"). */
static const bt_plugin *reader_plugin(const char *name, const char *dir,
				      struct analyzer_error *err)
{
	const bt_plugin *p = NULL;
	if (bt_plugin_find(name, BT_TRUE, BT_TRUE, BT_TRUE, BT_TRUE, BT_FALSE, &p) !=
	    BT_PLUGIN_FIND_STATUS_OK) {
		bt_current_thread_clear_error();
		analyzer_error_set(err, "%s: babeltrace2 plugin '%s' not found (apt-get install babeltrace2)",
				   dir, name);
		return NULL;
	}
	return p;
}

bool analyzer_is_live_url(const char *input)
{
	return !strncmp(input, "net://", 6) || !strncmp(input, "net4://", 7);
}

/* inputs=[trace_dir]; for a live URL also session-not-found-action=end,
 * so the read ends when the session does instead of waiting for another
 * (and fails right away when it does not exist yet). */
static bt_value *reader_source_params(const char *trace_dir)
{
	bt_value *params = bt_value_map_create();
	bt_value *inputs = NULL;
	if (!params ||
	    bt_value_map_insert_empty_array_entry(params, "inputs", &inputs) !=
		    BT_VALUE_MAP_INSERT_ENTRY_STATUS_OK ||
	    bt_value_array_append_string_element(inputs, trace_dir) !=
		    BT_VALUE_ARRAY_APPEND_ELEMENT_STATUS_OK ||
	    (analyzer_is_live_url(trace_dir) &&
	     bt_value_map_insert_string_entry(params, "session-not-found-action", "end") !=
		     BT_VALUE_MAP_INSERT_ENTRY_STATUS_OK)) {
		bt_value_put_ref(params);
		return NULL;
	}
	return params;
}

/* Adds one src.ctf.fs for trace_dir and its output ports to run->ports. */
static int reader_add_source(bt_graph *g, const bt_component_class_source *fs,
			     const char *trace_dir, size_t index, const char *dir,
			     struct reader_run *run, struct analyzer_error *err);

/* After trace_dir failed to open (err says why): adds its readable stream
 * files instead, or leaves the whole trace out. Either way the read goes
 * on (returns 0) and stats count what was left out; err keeps the first
 * problem. */
static int reader_add_salvaged(bt_graph *g, const bt_component_class_source *fs,
			       const char *trace_dir, size_t index, struct reader_run *run,
			       struct analyzer_error *err)
{
	struct analyzer_read_stats *st = run->stats;
	uint32_t before = st->skipped_files;
	char file[400] = "";
	char *stand_in = run->nsalvaged < sizeof run->salvaged / sizeof run->salvaged[0]
		? reader_salvage(fs, trace_dir, &st->skipped_files, file, sizeof file) : NULL;
	if (stand_in) {
		run->salvaged[run->nsalvaged++] = stand_in;
		if (!st->skipped[0])
			snprintf(st->skipped, sizeof st->skipped, "%u unreadable stream file%s left out (%s)",
				 st->skipped_files - before, st->skipped_files - before == 1 ? "" : "s", file);
		/* reader_salvage checked that the stand-in opens. */
		run->salvage = false;
		int rc = reader_add_source(g, fs, stand_in, index, trace_dir, run, err);
		run->salvage = true;
		return rc;
	}
	st->skipped_traces++;
	if (!st->skipped[0])
		snprintf(st->skipped, sizeof st->skipped, "%.500s", err->msg);
	bt_current_thread_clear_error();
	return 0;
}

static int reader_add_source(bt_graph *g, const bt_component_class_source *fs,
			     const char *trace_dir, size_t index, const char *dir,
			     struct reader_run *run, struct analyzer_error *err)
{
	char why[ANALYZER_ERROR_MAX];
	if (run->salvage && !reader_salvage_opens(fs, trace_dir, why, sizeof why)) {
		analyzer_error_set(err, "%s: cannot open the CTF trace in %s%s", dir, trace_dir, why);
		return reader_add_salvaged(g, fs, trace_dir, index, run, err);
	}
	bt_value *params = reader_source_params(trace_dir);
	if (!params)
		return analyzer_error_set(err, "%s: out of memory", dir);
	char name[32];
	snprintf(name, sizeof name, "source-%zu", index);
	const bt_component_source *src;
	bt_graph_add_component_status st =
		bt_graph_add_source_component(g, fs, name, params, BT_LOGGING_LEVEL_NONE, &src);
	bt_value_put_ref(params);
	if (st != BT_GRAPH_ADD_COMPONENT_STATUS_OK) {
		char what[4200];
		snprintf(what, sizeof what, "cannot open the CTF trace%s%s",
			 strcmp(trace_dir, dir) ? " in " : "", strcmp(trace_dir, dir) ? trace_dir : "");
		return reader_bt_error(err, dir, what);
	}
	uint64_t nports = bt_component_source_get_output_port_count(src);
	for (uint64_t i = 0; i < nports; i++) {
		if (run->nports == run->cap_ports) {
			size_t cap = run->cap_ports ? 2 * run->cap_ports : 16;
			const bt_port_output **grown = realloc(run->ports, cap * sizeof *grown);
			if (!grown)
				return analyzer_error_set(err, "%s: out of memory", dir);
			run->ports = grown;
			run->cap_ports = cap;
		}
		run->ports[run->nports++] = bt_component_source_borrow_output_port_by_index_const(src, i);
	}
	return 0;
}

/* The sources' ports into the sink: through a muxer, which orders the
 * streams' messages by time, or straight when there is one stream and
 * the caller allows it (the muxer then only costs time). */
static int reader_connect(bt_graph *g, const bt_component_class_filter *mux,
			  const bt_component_sink *sink, struct reader_run *run, const char *dir,
			  struct analyzer_error *err)
{
	const bt_port_input *in = bt_component_sink_borrow_input_port_by_index_const(sink, 0);
	if (run->direct && run->nports == 1)
		return bt_graph_connect_ports(g, run->ports[0], in, NULL) == BT_GRAPH_CONNECT_PORTS_STATUS_OK
			? 0 : reader_bt_error(err, dir, "cannot connect the trace's stream to the reader");
	const bt_component_filter *muxer;
	if (bt_graph_add_filter_component(g, mux, "muxer", NULL, BT_LOGGING_LEVEL_NONE, &muxer) !=
	    BT_GRAPH_ADD_COMPONENT_STATUS_OK)
		return reader_bt_error(err, dir, "cannot build the babeltrace2 graph");
	/* The muxer grows a free input port each time one is connected. */
	for (size_t i = 0; i < run->nports; i++)
		if (bt_graph_connect_ports(g, run->ports[i],
					   bt_component_filter_borrow_input_port_by_index_const(muxer, i),
					   NULL) != BT_GRAPH_CONNECT_PORTS_STATUS_OK)
			return reader_bt_error(err, dir, "cannot connect the trace's streams to the muxer");
	if (bt_graph_connect_ports(g, bt_component_filter_borrow_output_port_by_index_const(muxer, 0), in,
				   NULL) != BT_GRAPH_CONNECT_PORTS_STATUS_OK)
		return reader_bt_error(err, dir, "cannot connect the muxer to the reader");
	return 0;
}

/* One src.ctf.fs per CTF trace (a component reads only one trace: the
 * UST and sched traces have different UUIDs), all into one muxer, into
 * the reader's sink. */
static int reader_build_graph(bt_graph *g, const struct analyzer_trace_dirs *dirs,
			      struct reader_run *run, const char *dir,
			      struct analyzer_error *err)
{
	const bt_plugin *ctf = reader_plugin("ctf", dir, err);
	const bt_plugin *utils = ctf ? reader_plugin("utils", dir, err) : NULL;
	int rc = -1;
	if (!utils)
		goto out;
	const char *src_name = analyzer_is_live_url(dir) ? "lttng-live" : "fs";
	const bt_component_class_source *fs =
		bt_plugin_borrow_source_component_class_by_name_const(ctf, src_name);
	const bt_component_class_filter *mux =
		bt_plugin_borrow_filter_component_class_by_name_const(utils, "muxer");
	if (!fs || !mux) {
		analyzer_error_set(err, "%s: babeltrace2 lacks src.ctf.%s or flt.utils.muxer", dir, src_name);
		goto out;
	}
	const bt_component_sink *sink;
	if (bt_graph_add_simple_sink_component(g, "reader", NULL, reader_consume, NULL, run, &sink) !=
	    BT_GRAPH_ADD_COMPONENT_STATUS_OK) {
		reader_bt_error(err, dir, "cannot build the babeltrace2 graph");
		goto out;
	}
	run->nports = 0;
	for (size_t i = 0; i < dirs->count; i++)
		if (reader_add_source(g, fs, dirs->paths[i], i, dir, run, err) != 0)
			goto out;
	if (run->stats->skipped_traces == dirs->count)
		goto out;   /* every trace was left out: err says why the last failed */
	rc = reader_connect(g, mux, sink, run, dir, err);
out:
	bt_plugin_put_ref(utils);
	bt_plugin_put_ref(ctf);
	return rc;
}

int analyzer_read_trace(const char *dir, analyzer_event_fn fn, void *user,
			struct analyzer_read_stats *stats, struct analyzer_error *err)
{
	struct analyzer_read_options opt = { .event = fn, .user = user };
	return analyzer_read_trace_opts(dir, &opt, stats, err);
}

/* Reads the traces in dirs (the input named dir) into opt's callbacks. */
static int reader_read(const char *dir, const struct analyzer_trace_dirs *dirs, bool live,
		       const struct analyzer_read_options *opt, struct analyzer_read_stats *stats,
		       struct analyzer_error *err)
{
	stats->trace_dirs = (uint32_t)dirs->count;
	if (dirs->count == 0)
		return analyzer_error_set(err, "%s: no CTF trace inside (no directory holds a `metadata` file)", dir);

	struct reader_run run = { .fn = opt->event, .gap_fn = opt->gap, .user = opt->user,
				  .stats = stats, .direct = opt->unmuxed_single_stream && !live };
	event_view_cache_init(&run.cache);
	int rc = -1;
	pthread_mutex_lock(&reader_bt_lock);
	bt_graph *g = bt_graph_create(0);
	if (!g) {
		analyzer_error_set(err, "%s: out of memory", dir);
		goto out;
	}
	if (reader_build_graph(g, dirs, &run, dir, err) != 0) {
		if (!opt->salvage || live)
			goto out;
		/* A failed component leaves the graph unusable: build another,
		 * this time trying each trace alone first and salvaging what
		 * does not open. */
		bt_graph_put_ref(g);
		bt_current_thread_clear_error();
		run.salvage = true;
		g = bt_graph_create(0);
		if (!g) {
			analyzer_error_set(err, "%s: out of memory", dir);
			goto out;
		}
		if (reader_build_graph(g, dirs, &run, dir, err) != 0)
			goto out;
	}
	/* The first run configures the graph (makes its message iterators,
	 * which open the stream files): serialized like the rest of the
	 * set-up. It consumes one small batch of messages. */
	bt_graph_run_once_status first = bt_graph_run_once(g);
	pthread_mutex_unlock(&reader_bt_lock);
	bt_graph_run_status st = first == BT_GRAPH_RUN_ONCE_STATUS_END ? BT_GRAPH_RUN_STATUS_OK
		: first == BT_GRAPH_RUN_ONCE_STATUS_OK || first == BT_GRAPH_RUN_ONCE_STATUS_AGAIN
		? BT_GRAPH_RUN_STATUS_AGAIN : BT_GRAPH_RUN_STATUS_ERROR;
	/* A live source says AGAIN while the relay has nothing new: wait a
	 * little instead of spinning a core. */
	const struct timespec live_wait = { .tv_nsec = 20 * 1000 * 1000 };
	if (first == BT_GRAPH_RUN_ONCE_STATUS_OK)
		st = bt_graph_run(g);
	while (st == BT_GRAPH_RUN_STATUS_AGAIN) {
		if (live)
			nanosleep(&live_wait, NULL);
		st = bt_graph_run(g);
	}
	pthread_mutex_lock(&reader_bt_lock);
	if (st != BT_GRAPH_RUN_STATUS_OK) {
		reader_bt_error(err, dir, "reading the trace failed");
		goto out;
	}
	rc = run.stopped_with;
out:
	bt_graph_put_ref(g);
	pthread_mutex_unlock(&reader_bt_lock);
	for (size_t i = 0; i < run.nsalvaged; i++) {
		reader_salvage_remove(run.salvaged[i]);
		free(run.salvaged[i]);
	}
	free(run.ports);
	return rc;
}

int analyzer_read_trace_dirs(const char *label, const struct analyzer_trace_dirs *dirs,
			     const struct analyzer_read_options *opt,
			     struct analyzer_read_stats *stats, struct analyzer_error *err)
{
	struct analyzer_read_stats local;
	if (!stats)
		stats = &local;
	*stats = (struct analyzer_read_stats){ 0 };
	return reader_read(label, dirs, false, opt, stats, err);
}

int analyzer_read_trace_opts(const char *dir, const struct analyzer_read_options *opt,
			     struct analyzer_read_stats *stats, struct analyzer_error *err)
{
	struct analyzer_read_stats local;
	if (!stats)
		stats = &local;
	*stats = (struct analyzer_read_stats){ 0 };
	struct analyzer_trace_dirs dirs;
	bool live = analyzer_is_live_url(dir);
	int rc = -1;
	if (live ? analyzer_trace_dirs_single(dir, &dirs, err) == 0
		 : analyzer_trace_dirs_find(dir, &dirs, err) == 0)
		rc = reader_read(dir, &dirs, live, opt, stats, err);
	analyzer_trace_dirs_free(&dirs);
	return rc;
}
