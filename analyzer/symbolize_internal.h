/*
 * Inside the symbolizer (see symbolize.h): the pieces each symbolize_*.c
 * file provides to the others.
 *
 *   symbolize_store.c   arena and string interning: every pointer handed
 *                       out stays valid until the symbolizer is destroyed;
 *   symbolize_maps.c    pass 1 (module announcements, process starts) and
 *                       freezing them into per-process address spaces;
 *                       address -> module;
 *   symbolize_object.c  opening one file with libdw, checking its build-id;
 *   symbolize_symtab.c  a file's function symbols, sorted;
 *   symbolize_cuindex.c a compilation unit's function DIEs by address;
 *   symbolize_frames.c  file address -> frames (DWARF inline chain, or the
 *                       symbol table);
 *   symbolize.c         the public calls and the per-address cache.
 */
#ifndef ANALYZER_SYMBOLIZE_INTERNAL_H
#define ANALYZER_SYMBOLIZE_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>

#include "symbolize.h"

/* ---- storage (symbolize_store.c) ----------------------------------------- */

/* Bump allocator over a list of blocks: nothing moves, everything is freed
 * at once. */
struct symbolize_block;
struct symbolize_arena {
	struct symbolize_block *head;
};

/* size zeroed bytes aligned for any scalar; NULL when memory runs out. */
void *symbolize_arena_alloc(struct symbolize_arena *a, size_t size);
void symbolize_arena_free(struct symbolize_arena *a);

/* Interned strings: one copy of each, so equal strings are equal pointers. */
struct symbolize_strings {
	struct symbolize_arena *arena;
	const char **slots; /* open addressing, NULL = empty */
	size_t cap, n;
};

/* The interned copy of str (NULL for NULL); NULL when memory runs out. */
const char *symbolize_intern(struct symbolize_strings *t, const char *str);
/* Formats, then interns. */
const char *symbolize_internf(struct symbolize_strings *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void symbolize_strings_free(struct symbolize_strings *t);

uint64_t symbolize_hash(const void *p, size_t n, uint64_t seed);

/* ---- files (symbolize_object.c) ----------------------------------------- */

/* A function symbol of a file (symbolize_symtab.c). */
struct symbolize_sym {
	uint64_t addr, size;
	const char *name;  /* libdw's, valid while the file's Dwfl lives */
	int rank;          /* global 2, weak 1, local 0 */
};

/* One file as the trace names it: path + build-id. Shared by every module
 * (process, load) of it, so its symbols are read once. */
struct symbolize_object {
	const char *path;          /* interned */
	const uint8_t *build_id;   /* arena copy, NULL when the trace has none */
	size_t build_id_len;
	const char *build_id_hex;  /* interned, "" when none */
	uint64_t expect_span;      /* memsz the trace gave, 0 when none */

	/* Filled by symbolize_object_open. */
	bool usable;               /* file read and matching the trace */
	bool has_lines;            /* DWARF found */
	bool have_layout;          /* first_* and span read from the file */
	uint64_t first_vaddr;      /* p_vaddr of the first PT_LOAD */
	uint64_t first_offset;     /* its p_offset */
	uint64_t span;             /* bytes the PT_LOAD segments span */
	bool from_debug_file;      /* path missing, its build-id's .debug read */
	Dwfl *dwfl;                /* one module, at its own link addresses */
	Dwfl_Module *mod;
	struct symbolize_sym *syms; /* sorted by addr, read on first use */
	size_t nsyms;
	bool syms_loaded;
	struct symbolize_cu *cus;   /* indexed units, sorted by offset */
	size_t ncus, cap_cus;
};

/* Opens o->path (or the build-id's debug file when path is missing) and
 * decides o->usable. Never fails hard: an unusable file just gives
 * module+offset names. */
void symbolize_object_open(struct symbolize_object *o);
void symbolize_object_close(struct symbolize_object *o);

/* The function symbol covering file address vaddr of a usable object,
 * NULL when none (symbolize_symtab.c). */
const char *symbolize_symtab_find(struct symbolize_object *o, uint64_t vaddr);

/* The function DIEs containing DWARF address pc in the unit cudie of o,
 * innermost first (an inline chain ending at its subprogram), at most max;
 * how many, 0 when none, -1 when memory runs out (symbolize_cuindex.c). */
struct symbolize_cu;
int symbolize_cu_chain(struct symbolize_object *o, Dwarf_Die *cudie, uint64_t pc, Dwarf_Die *chain,
		       int max);
void symbolize_cuindex_free(struct symbolize_object *o);

/* ---- frames (symbolize_frames.c) ---------------------------------------- */

#define SYMBOLIZE_MAX_FRAMES 64

/* Frames for file address vaddr of a usable object, innermost first, into
 * out[0..SYMBOLIZE_MAX_FRAMES); strings interned in t. Returns how many
 * (0: no function covers vaddr), -1 when memory runs out. */
int symbolize_frames(struct symbolize_object *o, uint64_t vaddr, struct symbolize_strings *t,
		     struct analyzer_frame *out);

/* ---- maps (symbolize_maps.c) -------------------------------------------- */

/* A module: what analyzer_module shows plus where its file is. */
struct symbolize_module {
	struct analyzer_module pub;
	uint32_t object;   /* index in objects */
	uint64_t bias;     /* run-time address - file address */
};

/* A module announcement of pass 1. */
struct symbolize_seen {
	int32_t pid;
	uint64_t ts;
	const char *path;  /* interned */
	uint64_t baddr, memsz;
	uint8_t *build_id; /* arena copy or NULL */
	size_t build_id_len;
	bool not_pic;
	uint32_t seq;      /* order of arrival, to sort stably */
};

/* A ctrace:process_start of pass 1: a new address space in pid from ts. */
struct symbolize_start {
	int32_t pid, ppid;
	uint64_t ts;
	bool forked;             /* fork child: starts as a copy of ppid's */
	uint64_t last_event_ts;  /* its last ctrace event (pass 1) */
};

/* One address space of one process: from a process start (or the trace's
 * start) to the next one. */
struct symbolize_space {
	int32_t pid, ppid;
	uint64_t start_ts;
	bool forked;
	uint32_t first_module, nmodules; /* into space_modules, sorted by start */
	uint64_t max_span;               /* widest module, to bound searches */
};

/* Process pid's spaces: spaces[first .. first + n), by start_ts. */
struct symbolize_process {
	int32_t pid;
	uint32_t first_space, nspaces;
};

struct analyzer_symbolizer {
	struct symbolize_arena arena;
	struct symbolize_strings strings;

	/* Pass 1. */
	struct symbolize_seen *seen;
	size_t nseen, cap_seen;
	struct symbolize_start *starts;
	size_t nstarts, cap_starts;
	int32_t last_pid;        /* the pid of the latest start looked up, */
	uint32_t last_start;     /* and its start (UINT32_MAX: none) */
	bool frozen;

	/* Frozen maps. */
	struct symbolize_object *objects;
	size_t nobjects;
	struct symbolize_module **modules; /* by id - 1 */
	size_t nmodules;
	struct symbolize_space *spaces;
	size_t nspaces;
	uint32_t *space_modules;           /* module indices, per space */
	struct symbolize_process *procs;   /* by pid */
	size_t nprocs;

	/* The per-address cache (symbolize.c). */
	struct symbolize_entry *entries;
	size_t nentries, cap_entries;
	uint32_t *slots;                   /* open addressing over entries */
	size_t cap_slots;

	struct analyzer_symbolizer_stats stats;
};

/* Freezes pass 1 into spaces and modules and opens their files. 0, or -1
 * with err filled when memory runs out. Idempotent. */
int symbolize_maps_freeze(struct analyzer_symbolizer *s, struct analyzer_error *err);
/* The module covering addr in pid at ts, NULL when none. Frozen maps. */
const struct symbolize_module *symbolize_maps_find(const struct analyzer_symbolizer *s, int32_t pid,
						   uint64_t ts, uint64_t addr);
void symbolize_maps_free(struct analyzer_symbolizer *s);

#endif
