/*
 * Which module an address of a process is in, over time (see symbolize.h
 * for the two passes).
 *
 * Pass 1 keeps every module announcement (statedump bin_info, dlopen, each
 * with its build_id event) and every ctrace:process_start as they come.
 * Freezing then cuts each pid's life into address spaces, one per process
 * start (fork child, exec), and gives each announcement to a space. This is
 * done after the whole trace was seen because of how LTTng orders things: a
 * new image's statedump usually comes *before* its process_start (lttng-ust
 * registers in its constructor, before ctrace's preload runs), but may also
 * come after the program's first events when the session daemon is slow.
 * So an announcement goes to the space whose start precedes it, unless that
 * space had no ctrace event after the announcement and a next space exists:
 * then the old image was already gone (exec) and the announcement is the
 * new image's.
 *
 * Inside a space, modules can follow each other at the same addresses
 * (dlopen, dlclose, dlopen of another library). An address at time ts is
 * in the covering module announced last before ts, else (code running
 * before its announcement: constructors, a late statedump) the covering
 * module announced first. dlclose events are not used: LTTng emits one for
 * every dlclose() call, also those that only drop a reference, so they do
 * not say a library left; and an unloaded library's addresses are not
 * executed until something else is loaded there, which is announced.
 * Announcing the module that is already the latest at its address again
 * (every statedump re-lists libraries, dlopen loops reload at the same
 * address) adds nothing.
 */
#include "symbolize_internal.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer_error.h"

/* An unknown size for a pseudo-file such as the vDSO (two pages on x86-64). */
#define SYMBOLIZE_VDSO_SPAN 8192
/* Announcements a build_id event looks back through for its bin_info. */
#define SYMBOLIZE_BUILD_ID_LOOKBACK 64

#define SYMBOLIZE_GROW(arr, n, cap)                                                   \
	((n) < (cap) || symbolize_grow((void **)&(arr), &(cap), sizeof *(arr)) == 0)

static int symbolize_grow(void **arr, size_t *cap, size_t elem)
{
	size_t ncap = *cap ? *cap * 2 : 64;
	void *p = realloc(*arr, ncap * elem);
	if (!p)
		return -1;
	*arr = p;
	*cap = ncap;
	return 0;
}

/* ---- pass 1 -------------------------------------------------------------- */

static int symbolize_frozen_error(struct analyzer_error *err)
{
	return analyzer_error_set(err, "symbolizer: maps are frozen once lookups began; "
				       "note every event before the first lookup");
}

int analyzer_symbolizer_add_module(struct analyzer_symbolizer *s,
				   const struct analyzer_module_seen *m,
				   struct analyzer_error *err)
{
	if (s->frozen)
		return symbolize_frozen_error(err);
	if (!m->path || !m->path[0])
		return analyzer_error_set(err, "symbolizer: module at 0x%llx has no path",
					  (unsigned long long)m->baddr);
	if (!SYMBOLIZE_GROW(s->seen, s->nseen, s->cap_seen))
		return analyzer_error_set(err, "symbolizer: out of memory");
	struct symbolize_seen *r = &s->seen[s->nseen];
	*r = (struct symbolize_seen){
		.pid = m->pid,
		.ts = m->ts,
		.path = symbolize_intern(&s->strings, m->path),
		.baddr = m->baddr,
		.memsz = m->memsz,
		.not_pic = m->not_pic,
		.seq = (uint32_t)s->nseen,
	};
	if (!r->path)
		return analyzer_error_set(err, "symbolizer: out of memory");
	if (m->build_id && m->build_id_len) {
		r->build_id = symbolize_arena_alloc(&s->arena, m->build_id_len);
		if (!r->build_id)
			return analyzer_error_set(err, "symbolizer: out of memory");
		memcpy(r->build_id, m->build_id, m->build_id_len);
		r->build_id_len = m->build_id_len;
	}
	s->nseen++;
	return 0;
}

/* A build_id event follows its bin_info/dlopen from the same process. */
static int symbolize_note_build_id(struct analyzer_symbolizer *s, const struct analyzer_event *ev,
				   struct analyzer_error *err)
{
	uint64_t baddr;
	uint8_t bits[64];
	uint64_t words[64];
	if (!analyzer_event_uint(ev, "baddr", &baddr))
		return 0;
	ssize_t n = analyzer_event_uint_seq(ev, "build_id", words, 64);
	if (n <= 0 || n > 64)
		return 0;
	for (ssize_t i = 0; i < n; i++)
		bits[i] = (uint8_t)words[i];
	size_t stop = s->nseen > SYMBOLIZE_BUILD_ID_LOOKBACK ? s->nseen - SYMBOLIZE_BUILD_ID_LOOKBACK : 0;
	for (size_t i = s->nseen; i-- > stop;) {
		struct symbolize_seen *r = &s->seen[i];
		if (r->pid != ev->vpid || r->baddr != baddr)
			continue;
		if (r->build_id)
			return 0;
		r->build_id = symbolize_arena_alloc(&s->arena, (size_t)n);
		if (!r->build_id)
			return analyzer_error_set(err, "symbolizer: out of memory");
		memcpy(r->build_id, bits, (size_t)n);
		r->build_id_len = (size_t)n;
		return 0;
	}
	return 0;
}

static int symbolize_note_module(struct analyzer_symbolizer *s, const struct analyzer_event *ev,
				 struct analyzer_error *err)
{
	struct analyzer_module_seen m = { .pid = ev->vpid, .ts = ev->ts_ns };
	uint64_t is_pic = 1;
	m.path = analyzer_event_string(ev, "path");
	if (!m.path || !analyzer_event_uint(ev, "baddr", &m.baddr))
		return 0;
	analyzer_event_uint(ev, "memsz", &m.memsz);
	/* dlopen events have no is_pic: a dlopened object is always PIC. */
	analyzer_event_uint(ev, "is_pic", &is_pic);
	m.not_pic = is_pic == 0;
	return analyzer_symbolizer_add_module(s, &m, err);
}

/* The latest start of pid in pass 1, UINT32_MAX when none. Events of one
 * process come in runs, so the last answer is kept. */
static uint32_t symbolize_latest_start(struct analyzer_symbolizer *s, int32_t pid)
{
	if (s->last_start != UINT32_MAX && s->last_pid == pid)
		return s->last_start;
	for (size_t i = s->nstarts; i-- > 0;) {
		if (s->starts[i].pid == pid) {
			s->last_pid = pid;
			s->last_start = (uint32_t)i;
			return (uint32_t)i;
		}
	}
	return UINT32_MAX;
}

static int symbolize_note_start(struct analyzer_symbolizer *s, const struct analyzer_event *ev,
				struct analyzer_error *err)
{
	if (!SYMBOLIZE_GROW(s->starts, s->nstarts, s->cap_starts))
		return analyzer_error_set(err, "symbolizer: out of memory");
	int64_t ppid = -1;
	uint64_t forked = 0;
	analyzer_event_int(ev, "ppid", &ppid);
	analyzer_event_uint(ev, "forked", &forked);
	s->starts[s->nstarts] = (struct symbolize_start){
		.pid = ev->vpid,
		.ppid = (int32_t)ppid,
		.ts = ev->ts_ns,
		.forked = forked != 0,
		.last_event_ts = ev->ts_ns,
	};
	s->last_pid = ev->vpid;
	s->last_start = (uint32_t)s->nstarts++;
	return 0;
}

int analyzer_symbolizer_note_event(struct analyzer_symbolizer *s, const struct analyzer_event *ev,
				   struct analyzer_error *err)
{
	const char *name = ev->name;
	if (!strncmp(name, "ctrace:", 7)) {
		if (strcmp(name + 7, "process_start") != 0) {
			if (s->frozen)
				return 0; /* only pass 1 cares */
			uint32_t i = symbolize_latest_start(s, ev->vpid);
			if (i != UINT32_MAX && ev->ts_ns > s->starts[i].last_event_ts)
				s->starts[i].last_event_ts = ev->ts_ns;
			return 0;
		}
		return s->frozen ? symbolize_frozen_error(err) : symbolize_note_start(s, ev, err);
	}
	if (strncmp(name, "lttng_ust_", 10) != 0)
		return 0;
	name += 10;
	bool module = !strcmp(name, "statedump:bin_info") || !strcmp(name, "dl:dlopen") ||
		      !strcmp(name, "lib:load");
	bool build_id = !strcmp(name, "statedump:build_id") || !strcmp(name, "dl:build_id") ||
			!strcmp(name, "lib:build_id");
	if (!module && !build_id)
		return 0;
	if (s->frozen)
		return symbolize_frozen_error(err);
	return module ? symbolize_note_module(s, ev, err) : symbolize_note_build_id(s, ev, err);
}

/* ---- freezing ------------------------------------------------------------ */

static int symbolize_cmp_seen(const void *a, const void *b)
{
	const struct symbolize_seen *x = a, *y = b;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int symbolize_cmp_start(const void *a, const void *b)
{
	const struct symbolize_start *x = a, *y = b;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return x->ts < y->ts ? -1 : x->ts > y->ts;
}

/* The object for (path, build-id), created and opened on first sight;
 * UINT32_MAX when memory runs out. */
static uint32_t symbolize_object_for(struct analyzer_symbolizer *s, const struct symbolize_seen *r,
				     size_t *cap)
{
	for (size_t i = 0; i < s->nobjects; i++) {
		const struct symbolize_object *o = &s->objects[i];
		if (o->path == r->path && o->build_id_len == r->build_id_len &&
		    (!r->build_id_len || !memcmp(o->build_id, r->build_id, r->build_id_len)))
			return (uint32_t)i;
	}
	if (!SYMBOLIZE_GROW(s->objects, s->nobjects, *cap))
		return UINT32_MAX;
	struct symbolize_object *o = &s->objects[s->nobjects];
	*o = (struct symbolize_object){
		.path = r->path,
		.build_id = r->build_id,
		.build_id_len = r->build_id_len,
		.expect_span = r->memsz,
	};
	char hex[129] = "";
	for (size_t i = 0; i < r->build_id_len && i < 64; i++) {
		static const char digits[] = "0123456789abcdef";
		hex[2 * i] = digits[r->build_id[i] >> 4];
		hex[2 * i + 1] = digits[r->build_id[i] & 15];
		hex[2 * i + 2] = 0;
	}
	o->build_id_hex = symbolize_intern(&s->strings, hex);
	if (!o->build_id_hex)
		return UINT32_MAX;
	symbolize_object_open(o);
	s->stats.files++;
	s->stats.files_unusable += !o->usable;
	return (uint32_t)s->nobjects++;
}

/* A new module for announcement r; NULL when memory runs out. */
static struct symbolize_module *symbolize_module_new(struct analyzer_symbolizer *s,
						     const struct symbolize_seen *r,
						     uint32_t object, size_t *cap)
{
	const struct symbolize_object *o = &s->objects[object];
	struct symbolize_module *m = symbolize_arena_alloc(&s->arena, sizeof *m);
	if (!m || !SYMBOLIZE_GROW(s->modules, s->nmodules, *cap))
		return NULL;
	uint64_t span = r->memsz;
	if (!span)
		span = o->have_layout ? o->span : SYMBOLIZE_VDSO_SPAN;
	/* Without the file, assume the usual layout: a PIC file's first
	 * segment at address 0, a non-PIC one's at its load address. LTTng
	 * calls the vDSO ("[linux-vdso.so.1]") non-PIC, but offsets from its
	 * mapping are what tell its functions apart. */
	bool pseudo = o->path[0] == '[';
	uint64_t first_vaddr = o->usable ? o->first_vaddr : r->not_pic && !pseudo ? r->baddr : 0;
	m->object = object;
	m->bias = r->baddr - first_vaddr;
	m->pub = (struct analyzer_module){
		.id = (uint32_t)s->nmodules + 1,
		.pid = r->pid,
		.path = o->path,
		.build_id = o->build_id_hex,
		.start = r->baddr,
		.limit = r->baddr + span,
		.file_offset = o->usable ? o->first_offset : 0,
		.load_ts = r->ts,
		.has_symbols = o->usable,
		.has_lines = o->usable && o->has_lines,
	};
	s->modules[s->nmodules++] = m;
	return m;
}

/* Which of a pid's n spaces an announcement at ts belongs to (see the top
 * of the file). starts: the pid's starts, parallel to its spaces. */
static size_t symbolize_space_of(const struct symbolize_space *spaces,
				 const struct symbolize_start *starts, size_t n, uint64_t ts)
{
	size_t k = 0;
	while (k + 1 < n && spaces[k + 1].start_ts <= ts)
		k++;
	if (k + 1 < n && starts[k].last_event_ts < ts)
		k++;
	return k;
}

static int symbolize_cmp_module_start(const void *a, const void *b, void *ctx)
{
	struct symbolize_module **mods = ctx;
	uint64_t x = mods[*(const uint32_t *)a]->pub.start;
	uint64_t y = mods[*(const uint32_t *)b]->pub.start;
	return x < y ? -1 : x > y;
}

/* Builds pid's spaces from its starts (or one space from the trace's
 * start) and its modules from its announcements seen[lo, hi). */
static int symbolize_freeze_pid(struct analyzer_symbolizer *s, int32_t pid,
				const struct symbolize_start *starts, size_t nstarts,
				size_t lo, size_t hi, size_t *cap_spaces, size_t *cap_objects,
				size_t *cap_modules)
{
	size_t first = s->nspaces;
	size_t nsp = nstarts ? nstarts : 1;
	for (size_t i = 0; i < nsp; i++) {
		if (!SYMBOLIZE_GROW(s->spaces, s->nspaces, *cap_spaces))
			return -1;
		s->spaces[s->nspaces++] = (struct symbolize_space){
			.pid = pid,
			.ppid = nstarts ? starts[i].ppid : -1,
			.start_ts = nstarts ? starts[i].ts : 0,
			.forked = nstarts && starts[i].forked,
		};
	}
	for (size_t i = lo; i < hi; i++) {
		const struct symbolize_seen *r = &s->seen[i];
		size_t k = symbolize_space_of(s->spaces + first, starts, nsp, r->ts);
		struct symbolize_space *sp = &s->spaces[first + k];
		/* Announcements are sorted by time and the rule is monotonic,
		 * so each space's modules are contiguous. */
		assert(!sp->nmodules || sp->first_module + sp->nmodules == s->nmodules);
		if (!sp->nmodules)
			sp->first_module = (uint32_t)s->nmodules;
		uint32_t object = symbolize_object_for(s, r, cap_objects);
		if (object == UINT32_MAX)
			return -1;
		/* The latest module at this address already is this file. */
		bool again = false;
		for (size_t j = sp->first_module + sp->nmodules; j-- > sp->first_module;) {
			if (s->modules[j]->pub.start == r->baddr) {
				again = s->modules[j]->object == object;
				break;
			}
		}
		if (again)
			continue;
		if (!symbolize_module_new(s, r, object, cap_modules))
			return -1;
		sp->nmodules++;
		/* A later space's own announcements mark its start too: the
		 * image existed from its statedump on. */
		if (k > 0 && r->ts < sp->start_ts)
			sp->start_ts = r->ts;
	}
	return 0;
}

int symbolize_maps_freeze(struct analyzer_symbolizer *s, struct analyzer_error *err)
{
	if (s->frozen)
		return 0;
	s->frozen = true;
	if (s->nseen)
		qsort(s->seen, s->nseen, sizeof *s->seen, symbolize_cmp_seen);
	if (s->nstarts)
		qsort(s->starts, s->nstarts, sizeof *s->starts, symbolize_cmp_start);
	size_t cap_spaces = 0, cap_objects = 0, cap_modules = 0, cap_procs = 0;
	size_t i = 0, j = 0;
	while (i < s->nseen || j < s->nstarts) {
		int32_t pid = i < s->nseen ? s->seen[i].pid : s->starts[j].pid;
		if (j < s->nstarts && s->starts[j].pid < pid)
			pid = s->starts[j].pid;
		size_t i_end = i, j_end = j;
		while (i_end < s->nseen && s->seen[i_end].pid == pid)
			i_end++;
		while (j_end < s->nstarts && s->starts[j_end].pid == pid)
			j_end++;
		if (!SYMBOLIZE_GROW(s->procs, s->nprocs, cap_procs))
			goto oom;
		s->procs[s->nprocs++] = (struct symbolize_process){
			.pid = pid,
			.first_space = (uint32_t)s->nspaces,
			.nspaces = (uint32_t)(j_end > j ? j_end - j : 1),
		};
		if (symbolize_freeze_pid(s, pid, s->starts + j, j_end - j, i, i_end, &cap_spaces,
					 &cap_objects, &cap_modules) < 0)
			goto oom;
		i = i_end;
		j = j_end;
	}
	s->space_modules = malloc((s->nmodules ? s->nmodules : 1) * sizeof *s->space_modules);
	if (!s->space_modules)
		goto oom;
	for (size_t m = 0; m < s->nmodules; m++)
		s->space_modules[m] = (uint32_t)m;
	for (size_t k = 0; k < s->nspaces; k++) {
		struct symbolize_space *sp = &s->spaces[k];
		qsort_r(s->space_modules + sp->first_module, sp->nmodules, sizeof *s->space_modules,
			symbolize_cmp_module_start, s->modules);
		for (uint32_t m = 0; m < sp->nmodules; m++) {
			const struct analyzer_module *pub = &s->modules[sp->first_module + m]->pub;
			if (pub->limit - pub->start > sp->max_span)
				sp->max_span = pub->limit - pub->start;
		}
	}
	s->stats.modules = (uint32_t)s->nmodules;
	return 0;
oom:
	/* Half-built spaces must not be searched. */
	s->nprocs = 0;
	return analyzer_error_set(err, "symbolizer: out of memory freezing the maps");
}

/* ---- lookups ------------------------------------------------------------- */

static const struct symbolize_process *symbolize_process_find(const struct analyzer_symbolizer *s,
							      int32_t pid)
{
	size_t lo = 0, hi = s->nprocs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->procs[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->nprocs && s->procs[lo].pid == pid ? &s->procs[lo] : NULL;
}

static const struct symbolize_module *symbolize_space_find(const struct analyzer_symbolizer *s,
							   const struct symbolize_space *sp,
							   uint64_t ts, uint64_t addr)
{
	const uint32_t *idx = s->space_modules + sp->first_module;
	/* The first module starting after addr. */
	size_t lo = 0, hi = sp->nmodules;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->modules[idx[mid]]->pub.start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	const struct symbolize_module *before = NULL, *after = NULL;
	for (size_t i = lo; i-- > 0;) {
		const struct symbolize_module *m = s->modules[idx[i]];
		if (addr - m->pub.start >= sp->max_span)
			break;
		if (addr >= m->pub.limit)
			continue;
		if (m->pub.load_ts <= ts) {
			if (!before || m->pub.load_ts > before->pub.load_ts)
				before = m;
		} else if (!after || m->pub.load_ts < after->pub.load_ts) {
			after = m;
		}
	}
	return before ? before : after;
}

const struct symbolize_module *symbolize_maps_find(const struct analyzer_symbolizer *s, int32_t pid,
						   uint64_t ts, uint64_t addr)
{
	assert(s->frozen);
	/* A fork child's space starts as its parent's: follow the chain
	 * (bounded, in case of pid reuse loops). */
	for (int depth = 0; depth < 16; depth++) {
		const struct symbolize_process *p = symbolize_process_find(s, pid);
		if (!p)
			return NULL;
		const struct symbolize_space *sp = &s->spaces[p->first_space];
		for (uint32_t k = 1; k < p->nspaces && sp[1].start_ts <= ts; k++)
			sp++;
		const struct symbolize_module *m = symbolize_space_find(s, sp, ts, addr);
		if (m || !sp->forked)
			return m;
		pid = sp->ppid;
		ts = sp->start_ts;
	}
	return NULL;
}

void symbolize_maps_free(struct analyzer_symbolizer *s)
{
	for (size_t i = 0; i < s->nobjects; i++)
		symbolize_object_close(&s->objects[i]);
	free(s->objects);
	free(s->modules);
	free(s->spaces);
	free(s->space_modules);
	free(s->procs);
	free(s->seen);
	free(s->starts);
}
