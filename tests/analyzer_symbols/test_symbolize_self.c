/*
 * The symbolizer on the test's own process, no trace needed: the modules
 * are announced the way LTTng's statedump would (dl_iterate_phdr: path,
 * first PT_LOAD address, span, GNU build-id), then addresses whose answer
 * the test knows are looked up:
 * - a pc inside an always-inlined function gives two frames, the inlined
 *   function then its caller, with the lines the compiler saw (__LINE__);
 * - a return address resolves to the calling line (looked up at addr - 1);
 * - libc (separate debug info from libc6-dbg, found by build-id) gives a
 *   source file; a library without debug info still gives .dynsym names;
 * - data addresses and addresses outside every module give module+offset
 *   and "[unknown 0x...]"; a missing file or a build-id mismatch gives
 *   module+offset, never a name; a missing file whose debug file exists
 *   gives names;
 * - modules replacing each other at one address are told apart by time;
 * - repeated lookups hit the cache.
 * Built -O2 -g (see CMakeLists.txt) so inlining happens as in real code.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "self_maps.h"
#include "symbolize.h"

struct pc_line {
	uint64_t pc;
	int line;      /* line of pc */
	int call_line; /* line of the inlined call, in the caller */
};

static int inner_decl_line = __LINE__ + 2; /* inner_pc's declaration line */
static inline __attribute__((always_inline)) struct pc_line
inner_pc(void)
{
	struct pc_line r;
	__asm__ volatile("1: lea 1b(%%rip), %0" : "=r"(r.pc)); r.line = __LINE__;
	return r;
}

__attribute__((noinline)) static struct pc_line outer_pc(void)
{
	struct pc_line r = inner_pc(); r.call_line = __LINE__;
	return r;
}

__attribute__((noinline)) static uint64_t return_address(void)
{
	return (uint64_t)__builtin_return_address(0);
}

static char data_byte[64];

static struct self_maps maps;
static struct analyzer_symbolizer *sym;
/* The executable's and libc's entries in maps. */
static const struct self_module *exe, *libc;

static int setup(void **state)
{
	(void)state;
	struct analyzer_error err;
	sym = analyzer_symbolizer_create(&err);
	assert_non_null(sym);
	self_maps_read(&maps);
	assert_true(maps.exe >= 0 && maps.libc >= 0);
	exe = &maps.m[maps.exe];
	libc = &maps.m[maps.libc];
	assert_int_equal(exe->build_id_len, 20);
	if (self_maps_announce(&maps, sym, getpid(), 1000, &err) != 0)
		fail_msg("%s", err.msg);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	analyzer_symbolizer_destroy(sym);
	return 0;
}

static void add(int32_t pid, uint64_t ts, const char *path, uint64_t baddr, uint64_t memsz,
		const uint8_t *bid, size_t bid_len)
{
	struct analyzer_module_seen m = { .pid = pid, .ts = ts, .path = path, .baddr = baddr,
					  .memsz = memsz, .build_id = bid, .build_id_len = bid_len };
	struct analyzer_error err;
	if (analyzer_symbolizer_add_module(sym, &m, &err) != 0)
		fail_msg("%s", err.msg);
}

static const uint8_t bogus_build_id[20] = { 0xde, 0xad, 0xbe, 0xef };

/* Modules of made-up processes, added before the first lookup freezes
 * the maps. */
static int setup_more(void **state)
{
	setup(state);
	/* A library whose file is gone. */
	add(900, 0, "/nonexistent/libgone.so", 0x7000000000, 0x10000, bogus_build_id, 20);
	/* The test's own executable, but the trace saw another build. */
	add(901, 0, exe->path, exe->baddr, exe->memsz, bogus_build_id, 20);
	/* libc under a path that does not exist: its debug file, found by
	 * build-id, still names it. */
	add(902, 0, "/nonexistent/libc.so.6", libc->baddr, libc->memsz, libc->build_id,
	    libc->build_id_len);
	/* Two files one after the other at one address. */
	add(903, 100, exe->path, exe->baddr, exe->memsz, exe->build_id, exe->build_id_len);
	add(903, 200, "/nonexistent/libgone.so", exe->baddr, exe->memsz, bogus_build_id, 20);
	return 0;
}

static struct analyzer_location look(int32_t pid, uint64_t ts, uint64_t addr, bool ret)
{
	struct analyzer_location loc;
	assert_int_equal(analyzer_symbolizer_lookup(sym, pid, ts, addr, ret, &loc), 0);
	assert_true(loc.nframes >= 1 && loc.frames[0].function);
	for (uint32_t i = 0; i < loc.nframes; i++)
		fprintf(stderr, "  0x%llx #%u %s (%s) %s:%u start %u\n", (unsigned long long)addr, i,
			loc.frames[i].function, loc.frames[i].system_name,
			loc.frames[i].file ? loc.frames[i].file : "-", loc.frames[i].line,
			loc.frames[i].start_line);
	return loc;
}

static bool ends_with(const char *s, const char *tail)
{
	size_t a = s ? strlen(s) : 0, b = strlen(tail);
	return a >= b && !strcmp(s + a - b, tail);
}

static void test_inlined_frames(void **state)
{
	(void)state;
	struct pc_line r = outer_pc();
	struct analyzer_location loc = look(getpid(), 2000, r.pc, false);
	assert_int_equal(loc.status, ANALYZER_SYM_OK);
	assert_non_null(loc.module);
	assert_string_equal(loc.module->path, exe->path);
	assert_true(loc.module->has_symbols && loc.module->has_lines);
	assert_int_equal(loc.offset, r.pc - exe->baddr);
	assert_int_equal(loc.nframes, 2);
	assert_string_equal(loc.frames[0].function, "inner_pc");
	assert_true(ends_with(loc.frames[0].file, "test_symbolize_self.c"));
	assert_int_equal(loc.frames[0].line, r.line);
	assert_int_equal(loc.frames[0].start_line, inner_decl_line);
	assert_true(ends_with(loc.frames[0].function_file, "test_symbolize_self.c"));
	assert_string_equal(loc.frames[1].function, "outer_pc");
	assert_true(ends_with(loc.frames[1].file, "test_symbolize_self.c"));
	assert_int_equal(loc.frames[1].line, r.call_line);
}

static void test_return_address(void **state)
{
	(void)state;
	uint64_t ra = return_address(); int call_line = __LINE__;
	struct analyzer_location loc = look(getpid(), 2000, ra, true);
	assert_int_equal(loc.status, ANALYZER_SYM_OK);
	assert_string_equal(loc.frames[loc.nframes - 1].function, "test_return_address");
	assert_int_equal(loc.frames[0].line, call_line);
	assert_int_equal(loc.offset, ra - exe->baddr);
}

/* libc's own qsort (a sanitizer's interceptor would shadow a plain
 * lookup). */
static uint64_t libc_qsort(void)
{
	void *h = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
	assert_non_null(h);
	uint64_t addr = (uint64_t)dlsym(h, "qsort");
	dlclose(h);
	assert_true(addr != 0);
	return addr;
}

static bool have_debug_file(const uint8_t *bid, size_t len)
{
	char path[256];
	int n = snprintf(path, sizeof path, "/usr/lib/debug/.build-id/%02x/", bid[0]);
	for (size_t i = 1; i < len; i++)
		n += snprintf(path + n, sizeof path - (size_t)n, "%02x", bid[i]);
	strcat(path, ".debug");
	struct stat sb;
	return stat(path, &sb) == 0;
}

static void test_libc_debug_info(void **state)
{
	(void)state;
	if (!have_debug_file(libc->build_id, libc->build_id_len))
		skip(); /* libc6-dbg not installed */
	uint64_t qsort_addr = libc_qsort();
	struct analyzer_location loc = look(getpid(), 2000, qsort_addr + 1, false);
	assert_int_equal(loc.status, ANALYZER_SYM_OK);
	assert_string_equal(loc.module->path, libc->path);
	assert_true(loc.module->has_lines);
	assert_string_equal(loc.frames[loc.nframes - 1].function, "qsort");
	assert_non_null(loc.frames[0].file);
	assert_true(loc.frames[0].line > 0);
}

static void test_dynsym_only(void **state)
{
	(void)state;
	/* libcmocka has no debug package installed: .dynsym names it. */
	uint64_t fn = (uint64_t)dlsym(RTLD_DEFAULT, "_cmocka_run_group_tests");
	assert_true(fn != 0);
	struct analyzer_location loc = look(getpid(), 2000, fn + 1, false);
	assert_int_equal(loc.status, ANALYZER_SYM_OK);
	assert_string_equal(loc.frames[0].function, "_cmocka_run_group_tests");
	assert_true(loc.module->has_symbols);
	if (!loc.module->has_lines)
		assert_null(loc.frames[0].file);
}

static void test_bogus_addresses(void **state)
{
	(void)state;
	/* Data inside the executable's mapping: no function there. */
	uint64_t data = (uint64_t)&data_byte[3];
	struct analyzer_location loc = look(getpid(), 2000, data, false);
	assert_int_equal(loc.status, ANALYZER_SYM_NO_SYMBOL);
	char want[sizeof exe->path + 32];
	snprintf(want, sizeof want, "%s+0x%llx", strrchr(exe->path, '/') + 1,
		 (unsigned long long)(data - exe->baddr));
	assert_string_equal(loc.frames[0].function, want);
	assert_int_equal(loc.nframes, 1);

	loc = look(getpid(), 2000, 0x1000, false);
	assert_int_equal(loc.status, ANALYZER_SYM_NO_MODULE);
	assert_null(loc.module);
	assert_string_equal(loc.frames[0].function, "[unknown 0x1000]");

	/* A process never announced. */
	loc = look(12345678, 2000, (uint64_t)outer_pc().pc, false);
	assert_int_equal(loc.status, ANALYZER_SYM_NO_MODULE);
}

static void test_missing_file(void **state)
{
	(void)state;
	struct analyzer_location loc = look(900, 5, 0x7000001234, false);
	assert_int_equal(loc.status, ANALYZER_SYM_NO_FILE);
	assert_string_equal(loc.frames[0].function, "libgone.so+0x1234");
	assert_false(loc.module->has_symbols);
	assert_string_equal(loc.module->build_id, "deadbeef00000000000000000000000000000000");
	/* Return addresses show the address itself, not addr - 1. */
	loc = look(900, 5, 0x7000001234, true);
	assert_string_equal(loc.frames[0].function, "libgone.so+0x1234");
}

static void test_build_id_mismatch(void **state)
{
	(void)state;
	uint64_t pc = outer_pc().pc;
	struct analyzer_location loc = look(901, 5, pc, false);
	assert_int_equal(loc.status, ANALYZER_SYM_NO_FILE);
	assert_null(strstr(loc.frames[0].function, "pc"));
	assert_int_equal(loc.offset, pc - exe->baddr);
}

static void test_missing_file_debug_by_build_id(void **state)
{
	(void)state;
	if (!have_debug_file(libc->build_id, libc->build_id_len))
		skip();
	uint64_t qsort_addr = libc_qsort();
	struct analyzer_location loc = look(902, 5, qsort_addr + 1, false);
	assert_int_equal(loc.status, ANALYZER_SYM_OK);
	assert_string_equal(loc.frames[loc.nframes - 1].function, "qsort");
}

static void test_modules_over_time(void **state)
{
	(void)state;
	uint64_t pc = outer_pc().pc;
	/* Before either announcement: the first one. */
	struct analyzer_location loc = look(903, 50, pc, false);
	assert_int_equal(loc.nframes, 2);
	assert_string_equal(loc.frames[1].function, "outer_pc");
	loc = look(903, 150, pc, false);
	assert_int_equal(loc.nframes, 2);
	assert_string_equal(loc.frames[1].function, "outer_pc");
	loc = look(903, 250, pc, false);
	assert_int_equal(loc.status, ANALYZER_SYM_NO_FILE);
	assert_true(!strncmp(loc.frames[0].function, "libgone.so+0x", 13));
}

static void test_cache_and_modules(void **state)
{
	(void)state;
	struct pc_line r = outer_pc();
	struct analyzer_location a = look(getpid(), 2000, r.pc, false);
	struct analyzer_symbolizer_stats before, after;
	analyzer_symbolizer_stats(sym, &before);
	struct analyzer_location b = look(getpid(), 3000, r.pc, false);
	analyzer_symbolizer_stats(sym, &after);
	assert_ptr_equal(a.frames, b.frames);
	assert_int_equal(after.cache_misses, before.cache_misses);
	assert_int_equal(after.lookups, before.lookups + 1);

	size_t n = analyzer_symbolizer_module_count(sym);
	assert_true(n >= 5);
	for (uint32_t id = 1; id <= n; id++) {
		const struct analyzer_module *m = analyzer_symbolizer_module(sym, id);
		assert_int_equal(m->id, id);
		assert_true(m->limit > m->start);
	}
	assert_null(analyzer_symbolizer_module(sym, (uint32_t)n + 1));
	assert_ptr_equal(analyzer_symbolizer_module(sym, a.module->id), a.module);
	assert_int_equal(strlen(a.module->build_id), 40);

	/* Frozen: adding now is refused. */
	struct analyzer_error err;
	struct analyzer_module_seen m = { .pid = 1, .path = "/x", .baddr = 0x1000, .memsz = 1 };
	assert_int_equal(analyzer_symbolizer_add_module(sym, &m, &err), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inlined_frames),
		cmocka_unit_test(test_return_address),
		cmocka_unit_test(test_libc_debug_info),
		cmocka_unit_test(test_dynsym_only),
		cmocka_unit_test(test_bogus_addresses),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_build_id_mismatch),
		cmocka_unit_test(test_missing_file_debug_by_build_id),
		cmocka_unit_test(test_modules_over_time),
		cmocka_unit_test(test_cache_and_modules),
	};
	return cmocka_run_group_tests(tests, setup_more, teardown);
}
