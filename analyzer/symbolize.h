/*
 * Symbolizing code addresses of traced processes (CPU sample stacks,
 * allocation and lock-release stacks) with elfutils libdw.
 *
 * Where each binary sits in each process comes from LTTng-UST's own events:
 * the statedump (lttng_ust_statedump:bin_info + build_id) lists what was
 * mapped when the process registered with the session daemon, and
 * lttng_ust_dl:dlopen (+ build_id) announces later loads. Both carry the
 * path, the load address of the first loadable segment (`baddr`), the size
 * and the GNU build-id. The statedump is written by LTTng's listener thread
 * and may come after the program's first samples, so symbolizing takes two
 * passes over the trace:
 *
 *   1. feed every event to analyzer_symbolizer_note_event (it keeps the
 *      module announcements and the ctrace:process_start events that mark a
 *      new address space: fork, exec) — or add modules by hand with
 *      analyzer_symbolizer_add_module;
 *   2. look addresses up (analyzer_symbolizer_lookup / _stack). The first
 *      lookup freezes the maps; noting more events after it is an error.
 *
 * Each process (pid) has its own maps, and a pid that execs gets a new set
 * from its new statedump; a lookup names the pid and the time of the event
 * the address came from. A fork child without a statedump of its own is
 * looked up in its parent's maps at the fork.
 *
 * A module's file is opened once, when the maps freeze. Its build-id must
 * match the trace's: a file that is missing, unreadable or rebuilt since
 * gives "libfoo.so+0x1234" names, never wrong ones (a missing file is also
 * looked for as /usr/lib/debug/.build-id/xx/yyyy.debug). Separate debug
 * info (Debian's -dbg packages, found by build-id or .gnu_debuglink) gives
 * functions, source lines and inlined calls; without it, names come from
 * the file's own .symtab or .dynsym.
 *
 * Results are cached per (file, address): a repeated lookup costs a few
 * hash probes. Everything returned (modules, frames, strings) is owned by
 * the symbolizer and valid until analyzer_symbolizer_destroy. Not
 * thread-safe.
 */
#ifndef ANALYZER_SYMBOLIZE_H
#define ANALYZER_SYMBOLIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "reader.h"

struct analyzer_symbolizer;

/* A binary or library mapped in one process over some time: what a pprof
 * mapping needs. */
struct analyzer_module {
	uint32_t id;           /* 1..analyzer_symbolizer_module_count(), stable */
	int32_t pid;
	const char *path;      /* as the trace names it */
	const char *build_id;  /* lowercase hex, "" when the trace has none */
	uint64_t start, limit; /* [start, limit) mapped in the process */
	uint64_t file_offset;  /* file offset mapped at start (0 when unknown) */
	uint64_t load_ts;      /* first announcement (ns, trace clock) */
	/* The file was read and matches the trace: its names can be trusted.
	 * has_lines: it also has DWARF line info (own or separate). */
	bool has_symbols, has_lines;
};

/* One function of a location; several per address when calls were
 * inlined, innermost first. */
struct analyzer_frame {
	/* Never NULL: the function's name, else "libfoo.so+0x1234" (module
	 * known, function not) or "[unknown 0x7f00dead]" (no module). */
	const char *function;
	/* The linker's name (ELF symbol or DW_AT_linkage_name) when it
	 * differs from function (e.g. "hot.constprop.0"), else function. */
	const char *system_name;
	const char *file;          /* source file of `line`, NULL when unknown */
	const char *function_file; /* file declaring the function, NULL when unknown */
	uint32_t line;             /* line executing in this function, 0 when unknown */
	uint32_t start_line;       /* the function's declaration line, 0 when unknown */
};

enum analyzer_sym_status {
	ANALYZER_SYM_OK,        /* frames name functions */
	ANALYZER_SYM_NO_SYMBOL, /* module file read, but no function covers it */
	ANALYZER_SYM_NO_FILE,   /* module file missing, unreadable or another build */
	ANALYZER_SYM_NO_MODULE, /* no module of the process covers the address */
};

/* What an address is. */
struct analyzer_location {
	const struct analyzer_module *module; /* NULL for ANALYZER_SYM_NO_MODULE */
	/* The address in the module's file (ELF virtual address, what
	 * addr2line -e FILE takes); the address itself without a module. */
	uint64_t offset;
	enum analyzer_sym_status status;
	uint32_t nframes;                     /* >= 1 */
	const struct analyzer_frame *frames;  /* innermost first */
};

/* An empty symbolizer; NULL with err filled on failure. Free with
 * analyzer_symbolizer_destroy. */
struct analyzer_symbolizer *analyzer_symbolizer_create(struct analyzer_error *err);
void analyzer_symbolizer_destroy(struct analyzer_symbolizer *s);

/* Pass 1: call for every event of the trace, in the reader's order. Keeps
 * the module announcements and process starts, and notes when each process
 * last emitted a ctrace event (that tells a late statedump of a process
 * from the statedump of the program it exec'd next, so skipping ctrace
 * events is not safe); ignores the rest. Cost: a name compare, plus a pid
 * lookup for ctrace events. 0, or -1 with err filled (out of memory, or a
 * map event after the first lookup). */
int analyzer_symbolizer_note_event(struct analyzer_symbolizer *s, const struct analyzer_event *ev,
				   struct analyzer_error *err);

/* A module seen loaded, for callers that know maps without a trace. */
struct analyzer_module_seen {
	int32_t pid;
	uint64_t ts;             /* when it was seen loaded */
	const char *path;
	uint64_t baddr;          /* where its first PT_LOAD segment is mapped */
	uint64_t memsz;          /* bytes its PT_LOAD segments span; 0: read the file */
	const uint8_t *build_id; /* NULL when unknown: then the file is trusted */
	size_t build_id_len;
	bool not_pic;            /* a non-PIE executable (statedump's is_pic = 0) */
};

/* Pass 1 by hand: adds m (strings copied). 0, or -1 with err filled. */
int analyzer_symbolizer_add_module(struct analyzer_symbolizer *s,
				   const struct analyzer_module_seen *m,
				   struct analyzer_error *err);

/* Pass 2: what addr is in process pid at time ts (the timestamp of the
 * event that carried it). return_address: addr is a return address (every
 * stack frame after the first), looked up at addr - 1 so a call that ends
 * its function is not taken for the next function; offsets and labels
 * still show addr. Fills *out; 0, or -1 when memory ran out (then *out
 * says [unknown]). */
int analyzer_symbolizer_lookup(struct analyzer_symbolizer *s, int32_t pid, uint64_t ts,
			       uint64_t addr, bool return_address, struct analyzer_location *out);

/* What frame 0 of a ctrace `stack` field holds (tracer/provider/ctrace_tp.h).
 * Only a CPU sample interrupts code mid-instruction; the preload captures
 * event stacks (lock waits, syscalls, joins, unlocks, allocations) from
 * inside its own call, so their frame 0 is a return address too, and
 * looking it up exactly would name the statement after the call. */
enum analyzer_stack_kind {
	ANALYZER_STACK_SAMPLE, /* frame 0 the interrupted IP, the rest return addresses */
	ANALYZER_STACK_CALLS,  /* every frame a return address (event stacks) */
};

/* A whole stack, innermost first (a ctrace `stack` field): out[i] for
 * addrs[i], frame 0 looked up as kind says, later frames as return
 * addresses. 0 or -1 as above. */
int analyzer_symbolizer_stack(struct analyzer_symbolizer *s, int32_t pid, uint64_t ts,
			      const uint64_t *addrs, size_t n, enum analyzer_stack_kind kind,
			      struct analyzer_location *out);

/* Modules by id (1..count), e.g. to write pprof mappings. Freezes the maps
 * like a lookup. NULL for an id out of range. */
size_t analyzer_symbolizer_module_count(struct analyzer_symbolizer *s);
const struct analyzer_module *analyzer_symbolizer_module(struct analyzer_symbolizer *s, uint32_t id);

/* Counters, for reports and benchmarks. */
struct analyzer_symbolizer_stats {
	uint64_t lookups;       /* addresses looked up */
	uint64_t cache_misses;  /* of which symbolized afresh */
	uint32_t modules;       /* modules after freezing */
	uint32_t files;         /* distinct files (path + build-id) */
	uint32_t files_unusable;/* missing, unreadable or another build */
};
void analyzer_symbolizer_stats(const struct analyzer_symbolizer *s,
			       struct analyzer_symbolizer_stats *out);

#endif
