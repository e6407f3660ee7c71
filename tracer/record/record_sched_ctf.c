/*
 * CTF 1.8 writer for the scheduling trace (see record_sched_ctf.h).
 *
 * Every integer is byte-aligned (align = 8 bits), so a packet is a plain
 * concatenation of little fields with no padding: header, context, then
 * events of a 2-byte id, an 8-byte timestamp and the payload. A packet is
 * written when its buffer is full or at the end; packet_size equals
 * content_size (no padding is needed). Only the reader thread appends; the
 * main thread calls finish and metadata after the reader stopped.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "record_fs.h"
#include "record_sched_ctf.h"

#define CTF_MAGIC 0xC1FC1FC1u
#define PACKET_CAPACITY (64u * 1024u)

enum { EV_SWITCH = 0, EV_FORK = 1, EV_EXIT = 2, EV_COMM = 3 };

/* Byte offsets inside a packet, following the metadata's declarations. */
enum {
	OFF_MAGIC = 0, OFF_UUID = 4, OFF_STREAM_ID = 20, OFF_INSTANCE = 24,
	OFF_TS_BEGIN = 32, OFF_TS_END = 40, OFF_CONTENT = 48, OFF_PACKET = 56,
	OFF_DISCARDED = 64, OFF_CPU = 72, PACKET_HEADER_BYTES = 76,
};

struct sched_stream {
	int fd;                 /* -1 until the first packet is written */
	uint32_t cpu;
	uint8_t *buf;           /* the open packet */
	size_t len;
	uint64_t begin;         /* open packet's timestamp_begin */
	uint64_t last;          /* latest timestamp in the stream */
	uint64_t discarded;     /* perf records lost so far (cumulative) */
};

struct record_sched_ctf {
	char dir[PATH_MAX];
	uint8_t uuid[16];
	uint32_t ncpus;
	struct sched_stream *streams;
	uint64_t events;
	uint64_t clamped;       /* events stamped before their predecessor */
	int write_errno;        /* first write failure, 0 if none */
};

static void put(struct sched_stream *s, const void *p, size_t n)
{
	assert(s->len + n <= PACKET_CAPACITY);
	memcpy(s->buf + s->len, p, n);
	s->len += n;
}

static void put_at(struct sched_stream *s, size_t off, const void *p, size_t n)
{
	memcpy(s->buf + off, p, n);
}

static void packet_open(struct record_sched_ctf *w, struct sched_stream *s, uint64_t begin)
{
	uint32_t magic = CTF_MAGIC, stream_id = 0;
	uint64_t instance = s->cpu, zero = 0;
	s->len = 0;
	put(s, &magic, 4);
	put(s, w->uuid, 16);
	put(s, &stream_id, 4);
	put(s, &instance, 8);
	put(s, &begin, 8);       /* timestamp_begin */
	put(s, &zero, 8);        /* timestamp_end, set when closed */
	put(s, &zero, 8);        /* content_size */
	put(s, &zero, 8);        /* packet_size */
	put(s, &zero, 8);        /* events_discarded */
	put(s, &s->cpu, 4);
	assert(s->len == PACKET_HEADER_BYTES);
	s->begin = begin;
}

static void packet_write(struct record_sched_ctf *w, struct sched_stream *s, uint64_t end)
{
	uint64_t bits = (uint64_t)s->len * 8;
	put_at(s, OFF_TS_END, &end, 8);
	put_at(s, OFF_CONTENT, &bits, 8);
	put_at(s, OFF_PACKET, &bits, 8);
	put_at(s, OFF_DISCARDED, &s->discarded, 8);
	if (w->write_errno)
		return;
	if (s->fd < 0) {
		char path[PATH_MAX + 32];
		snprintf(path, sizeof path, "%s/cpu%" PRIu32, w->dir, s->cpu);
		s->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (s->fd < 0) {
			w->write_errno = errno;
			return;
		}
	}
	if (record_write_all(s->fd, s->buf, s->len) < 0)
		w->write_errno = errno;
}

/* Starts an event of payload bytes at ts on cpu's stream, flushing the open
 * packet if it cannot hold it. Timestamps must not go backwards inside a
 * stream; perf's per-CPU buffers are ordered, but clamp rather than write an
 * unreadable trace if they ever are not. */
static struct sched_stream *event_begin(struct record_sched_ctf *w, uint32_t cpu, uint64_t ts,
					uint16_t id, size_t payload)
{
	assert(cpu < w->ncpus);
	struct sched_stream *s = &w->streams[cpu];
	if (ts < s->last) {
		ts = s->last;
		w->clamped++;
	}
	if (s->len + 10 + payload > PACKET_CAPACITY) {
		packet_write(w, s, s->last);
		packet_open(w, s, s->last);
	}
	s->last = ts;
	put(s, &id, 2);
	put(s, &ts, 8);
	w->events++;
	return s;
}

void record_sched_ctf_switch(struct record_sched_ctf *w, uint32_t cpu, uint64_t ts,
			     int32_t pid, int32_t tid, bool out, bool preempted)
{
	struct sched_stream *s = event_begin(w, cpu, ts, EV_SWITCH, 14);
	uint8_t dir = out, pre = preempted;
	put(s, &tid, 4);
	put(s, &pid, 4);
	put(s, &cpu, 4);
	put(s, &dir, 1);
	put(s, &pre, 1);
}

void record_sched_ctf_task(struct record_sched_ctf *w, uint32_t cpu, uint64_t ts,
			   enum record_sched_task kind, int32_t pid, int32_t tid,
			   int32_t ppid, int32_t ptid)
{
	struct sched_stream *s = event_begin(w, cpu, ts, kind == RECORD_SCHED_FORK ? EV_FORK : EV_EXIT, 16);
	put(s, &pid, 4);
	put(s, &tid, 4);
	put(s, &ppid, 4);
	put(s, &ptid, 4);
}

void record_sched_ctf_comm(struct record_sched_ctf *w, uint32_t cpu, uint64_t ts,
			   int32_t pid, int32_t tid, const char *comm, bool exec)
{
	size_t n = strnlen(comm, 64);
	struct sched_stream *s = event_begin(w, cpu, ts, EV_COMM, 8 + n + 1 + 1);
	uint8_t e = exec, nul = 0;
	put(s, &pid, 4);
	put(s, &tid, 4);
	put(s, comm, n);
	put(s, &nul, 1);
	put(s, &e, 1);
}

void record_sched_ctf_lost(struct record_sched_ctf *w, uint32_t cpu, uint64_t count)
{
	assert(cpu < w->ncpus);
	w->streams[cpu].discarded += count;
}

struct record_sched_ctf *record_sched_ctf_open(const char *trace_dir, uint32_t ncpus,
					       uint64_t begin_ns, struct record_err *e)
{
	struct record_sched_ctf *w = calloc(1, sizeof *w);
	if (!w || !(w->streams = calloc(ncpus, sizeof *w->streams))) {
		free(w);
		record_err_set(e, "out of memory");
		return NULL;
	}
	snprintf(w->dir, sizeof w->dir, "%s/" RECORD_SCHED_DIR, trace_dir);
	if (mkdir(w->dir, 0700) < 0) {
		record_err_set(e, "cannot create %s: %s", w->dir, strerror(errno));
		free(w->streams);
		free(w);
		return NULL;
	}
	/* Its own UUID: babeltrace2 merges traces that share one. */
	record_uuid_make(w->uuid);
	w->ncpus = ncpus;
	for (uint32_t i = 0; i < ncpus; i++) {
		struct sched_stream *s = &w->streams[i];
		s->fd = -1;
		s->cpu = i;
		s->last = begin_ns;
		s->buf = malloc(PACKET_CAPACITY);
		if (!s->buf) {
			record_err_set(e, "out of memory");
			record_sched_ctf_free(w);
			return NULL;
		}
		packet_open(w, s, begin_ns);
	}
	return w;
}

int record_sched_ctf_finish(struct record_sched_ctf *w, uint64_t end_ns, struct record_err *e)
{
	for (uint32_t i = 0; i < w->ncpus; i++) {
		struct sched_stream *s = &w->streams[i];
		if (!s->buf)
			continue;
		/* Every stream gets a last packet, events or not, so each CPU's
		 * stream covers the whole recording. */
		packet_write(w, s, end_ns > s->last ? end_ns : s->last);
		free(s->buf);
		s->buf = NULL;
		if (s->fd >= 0 && close(s->fd) < 0 && !w->write_errno)
			w->write_errno = errno;
		s->fd = -1;
	}
	if (w->write_errno)
		return record_err_set(e, "writing %s: %s", w->dir, strerror(w->write_errno));
	return 0;
}

int record_sched_ctf_write_metadata(struct record_sched_ctf *w, const char *clock_block,
				    const char *clock_name, struct record_err *e)
{
	char uuid[37], host[256] = "unknown";
	record_uuid_format(w->uuid, uuid);
	gethostname(host, sizeof host - 1);
	struct record_buf m = { 0 };
	record_buf_printf(&m,
		"/* CTF 1.8 */\n\n"
		"typealias integer { size = 8; align = 8; signed = false; } := uint8_t;\n"
		"typealias integer { size = 16; align = 8; signed = false; } := uint16_t;\n"
		"typealias integer { size = 32; align = 8; signed = false; } := uint32_t;\n"
		"typealias integer { size = 64; align = 8; signed = false; } := uint64_t;\n"
		"typealias integer { size = 32; align = 8; signed = true; } := int32_t;\n\n"
		"trace {\n"
		"\tmajor = 1;\n\tminor = 8;\n"
		"\tuuid = \"%s\";\n"
		"\tbyte_order = %s;\n"
		"\tpacket.header := struct {\n"
		"\t\tuint32_t magic;\n\t\tuint8_t uuid[16];\n"
		"\t\tuint32_t stream_id;\n\t\tuint64_t stream_instance_id;\n"
		"\t};\n};\n\n"
		"env {\n"
		"\tdomain = \"sched\";\n"
		"\ttracer_name = \"ctrace-record\";\n"
		"\thostname = \"%s\";\n"
		"};\n\n",
		uuid, __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? "le" : "be", host);
	record_buf_printf(&m, "%s\n\n", clock_block);
	record_buf_printf(&m,
		"typealias integer { size = 64; align = 8; signed = false;"
		" map = clock.%s.value; } := uint64_clock_t;\n\n", clock_name);
	record_buf_printf(&m,
		"stream {\n"
		"\tid = 0;\n"
		"\tpacket.context := struct {\n"
		"\t\tuint64_clock_t timestamp_begin;\n"
		"\t\tuint64_clock_t timestamp_end;\n"
		"\t\tuint64_t content_size;\n"
		"\t\tuint64_t packet_size;\n"
		"\t\tuint64_t events_discarded;\n"
		"\t\tuint32_t cpu_id;\n"
		"\t};\n"
		"\tevent.header := struct {\n"
		"\t\tuint16_t id;\n"
		"\t\tuint64_clock_t timestamp;\n"
		"\t};\n"
		"};\n\n"
		"event {\n\tname = \"sched_switch\";\n\tid = %d;\n\tstream_id = 0;\n"
		"\tfields := struct {\n"
		"\t\tint32_t _tid;\n\t\tint32_t _pid;\n\t\tuint32_t _cpu;\n"
		"\t\tenum : uint8_t { in = 0, out = 1 } _switch;\n"
		"\t\tuint8_t _preempted;\n"
		"\t};\n};\n\n", EV_SWITCH);
	static const struct { int id; const char *name; } tasks[] = {
		{ EV_FORK, "sched_fork" }, { EV_EXIT, "sched_exit" },
	};
	for (size_t i = 0; i < sizeof tasks / sizeof tasks[0]; i++)
		record_buf_printf(&m,
			"event {\n\tname = \"%s\";\n\tid = %d;\n\tstream_id = 0;\n"
			"\tfields := struct {\n"
			"\t\tint32_t _pid;\n\t\tint32_t _tid;\n\t\tint32_t _ppid;\n\t\tint32_t _ptid;\n"
			"\t};\n};\n\n", tasks[i].name, tasks[i].id);
	record_buf_printf(&m,
		"event {\n\tname = \"sched_comm\";\n\tid = %d;\n\tstream_id = 0;\n"
		"\tfields := struct {\n"
		"\t\tint32_t _pid;\n\t\tint32_t _tid;\n\t\tstring _comm;\n\t\tuint8_t _exec;\n"
		"\t};\n};\n", EV_COMM);

	char path[PATH_MAX + 32];
	snprintf(path, sizeof path, "%s/metadata", w->dir);
	int rc = record_file_replace(path, m.data, m.len);
	int err = errno;
	record_buf_free(&m);
	if (rc < 0)
		return record_err_set(e, "writing %s: %s", path, strerror(err));
	return 0;
}

uint64_t record_sched_ctf_events(const struct record_sched_ctf *w)
{
	return w->events;
}

uint64_t record_sched_ctf_discarded(const struct record_sched_ctf *w)
{
	uint64_t n = 0;
	for (uint32_t i = 0; i < w->ncpus; i++)
		n += w->streams[i].discarded;
	return n;
}

uint64_t record_sched_ctf_reordered(const struct record_sched_ctf *w)
{
	return w->clamped;
}

void record_sched_ctf_discard(struct record_sched_ctf *w)
{
	record_fs_remove_tree(w->dir);
}

void record_sched_ctf_free(struct record_sched_ctf *w)
{
	if (!w)
		return;
	for (uint32_t i = 0; i < w->ncpus; i++) {
		if (w->streams[i].fd >= 0)
			close(w->streams[i].fd);
		free(w->streams[i].buf);
	}
	free(w->streams);
	free(w);
}
