/* The synthetic profile and reader helpers of the pprof tests (pprof_test.h). */
#include "pprof_test.h"

#include <stdarg.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <zlib.h>

#include "support.h"

struct pprof_test_kind {
	unsigned count;
	uint64_t locs[2];
	struct pprof_label labels[3];
	size_t n_labels;
};

struct pprof_builder *pprof_test_profile(void)
{
	const struct pprof_value_type types[] = {
		{ "samples", "count" },
		{ "cpu", "nanoseconds" },
	};
	struct pprof_error err;
	struct pprof_builder *b = pprof_builder_create(types, 2, &err);
	assert_non_null(b);
	assert_int_equal(pprof_builder_set_period(b, types[1], PPROF_TEST_PERIOD_NS), 0);
	pprof_builder_set_time(b, 1700000000LL * 1000000000LL, 10LL * 1000000000LL);
	assert_int_equal(pprof_builder_add_comment(b, "ctrace test profile"), 0);
	assert_int_equal(pprof_builder_set_default_sample_type(b, "samples"), 0);

	uint64_t map = pprof_mapping_add(b, &(struct pprof_mapping){
		.start = 0x400000, .limit = 0x500000, .file = "/usr/bin/ctrace-test-prog",
		.build_id = "0123abcd", .has_functions = true, .has_filenames = true,
		.has_line_numbers = true, .has_inline_frames = true });
	uint64_t f_main = pprof_function_add(b, &(struct pprof_function){ "main", "main", "main.c", 1 });
	uint64_t f_a = pprof_function_add(b, &(struct pprof_function){ "work_a", "work_a", "work.c", 10 });
	uint64_t f_helper = pprof_function_add(b, &(struct pprof_function){ "helper", "helper", "work.c", 40 });
	uint64_t f_b = pprof_function_add(b, &(struct pprof_function){ "work_b", "work_b", "work.c", 60 });
	assert_true(map && f_main && f_a && f_helper && f_b);
	const struct pprof_line inlined[] = { { f_helper, 42 }, { f_a, 15 } };
	uint64_t l_a = pprof_location_add(b, map, 0x401010, inlined, 2);
	uint64_t l_b = pprof_location_add(b, map, 0x402020, &(struct pprof_line){ f_b, 61 }, 1);
	uint64_t l_main = pprof_location_add(b, 0, 0, &(struct pprof_line){ f_main, 5 }, 1);
	assert_true(l_a && l_b && l_main);

	int64_t region = pprof_string_intern(b, "region"), tid = pprof_string_intern(b, "tid");
	int64_t a = pprof_string_intern(b, "a"), bb = pprof_string_intern(b, "b");
	int64_t t1 = pprof_string_intern(b, "1"), t2 = pprof_string_intern(b, "2");
	int64_t alloc = pprof_string_intern(b, "alloc"), bytes = pprof_string_intern(b, "bytes");
	/* Labels in varying orders: the set is what identifies a sample. */
	const struct pprof_test_kind kinds[] = {
		{ 500, { l_a, l_main }, { pprof_label_str(region, a), pprof_label_str(tid, t1) }, 2 },
		{ 200, { l_a, l_main }, { pprof_label_str(tid, t2), pprof_label_str(region, bb) }, 2 },
		{ 100, { l_b, l_main }, { pprof_label_num(alloc, 4096, bytes), pprof_label_str(region, a),
					  pprof_label_str(tid, t2) }, 3 },
		{ 200, { l_b, l_main }, { pprof_label_str(region, bb), pprof_label_str(tid, t1) }, 2 },
	};
	const int64_t values[2] = { 1, PPROF_TEST_PERIOD_NS };
	unsigned left[4];
	for (size_t k = 0; k < 4; k++)
		left[k] = kinds[k].count;
	for (bool more = true; more;) {
		more = false;
		for (size_t k = 0; k < 4; k++) {
			if (!left[k])
				continue;
			left[k]--;
			more = true;
			/* main's location added per event, as a caller walking
			 * stacks would: it must come back with the same id. */
			uint64_t lm = pprof_location_add(b, 0, 0, &(struct pprof_line){ f_main, 5 }, 1);
			assert_int_equal(lm, l_main);
			assert_int_equal(pprof_sample_add(b, kinds[k].locs, 2, values, kinds[k].labels,
							  kinds[k].n_labels), 0);
		}
	}
	assert_null(pprof_builder_error(b));
	assert_int_equal(pprof_builder_sample_count(b), PPROF_TEST_DISTINCT_SAMPLES);
	return b;
}

static char *pprof_test_run(char *const argv[])
{
	struct support_run r;
	if (support_run(argv, SUPPORT_TIMEOUT_S, &r) < 0 || r.status != 0) {
		fprintf(stderr, "pprof test: %s %s ... exited %d; output:\n%s\n", argv[0], argv[1],
			r.status, r.out ? r.out : "");
		support_run_free(&r);
		fail();
	}
	return r.out;
}

bool pprof_test_have_go(void)
{
	if (PPROF_TEST_GO[0] && access(PPROF_TEST_GO, X_OK) == 0)
		return true;
	fprintf(stderr, "pprof test: skipped: `go` not found (apt-get install golang-go, "
			"or run scripts/install-deps.sh)\n");
	return false;
}

char *pprof_test_go_pprof(const char *tmpdir, const char *const args[])
{
	/* A private cache and home, the local toolchain only, no network. */
	char home[4200], cache[4200], ptmp[4200];
	snprintf(home, sizeof home, "HOME=%s", tmpdir);
	snprintf(cache, sizeof cache, "GOCACHE=%s/gocache", tmpdir);
	snprintf(ptmp, sizeof ptmp, "PPROF_TMPDIR=%s", tmpdir);
	char *argv[40] = { "/usr/bin/env", home, cache, ptmp, "GOTOOLCHAIN=local", "GOPROXY=off",
			   "GOFLAGS=", "PPROF_BINARY_PATH=/nonexistent", PPROF_TEST_GO, "tool",
			   "pprof" };
	size_t n = 11;
	for (size_t i = 0; args[i]; i++) {
		assert_true(n < 39);
		argv[n++] = (char *)args[i];
	}
	argv[n] = NULL;
	return pprof_test_run(argv);
}

char *pprof_test_sh(const char *script)
{
	char *argv[] = { "/bin/sh", "-c", (char *)script, NULL };
	return pprof_test_run(argv);
}

size_t pprof_test_count(const char *haystack, const char *needle)
{
	/* A plain scan, not strstr in a loop: sanitizers' strstr measures the
	 * whole rest of the haystack on every call, quadratic on the large
	 * texts of test_pprof_split_encoding. */
	size_t n = 0, len = strlen(needle);
	for (const char *p = haystack; *p; p++) {
		if (*p == needle[0] && strncmp(p, needle, len) == 0) {
			n++;
			p += len - 1;
		}
	}
	return n;
}

void pprof_test_raw_samples(const char *raw, size_t *n, long long *sum)
{
	const char *p = strstr(raw, "Samples:");
	const char *end = strstr(raw, "Locations");
	assert_non_null(p);
	assert_non_null(end);
	*n = 0;
	*sum = 0;
	/* strtoll, not sscanf: glibc's sscanf measures the whole remaining
	 * string on every call. */
	for (; p && p < end; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		const char *q = p + strspn(p, " \t");
		if (*q < '0' || *q > '9')
			continue;
		/* One number per sample type, then ':'. */
		char *e;
		long long v0 = strtoll(q, &e, 10);
		for (;;) {
			const char *d = e + strspn(e, " \t");
			if (*d < '0' || *d > '9')
				break;
			strtoll(d, &e, 10);
		}
		if (*e == ':') {
			(*n)++;
			*sum += v0;
		}
	}
}

static unsigned char *pprof_test_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	long size = ftell(f);
	assert_true(size >= 0);
	rewind(f);
	unsigned char *buf = malloc((size_t)size + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	*len = (size_t)size;
	return buf;
}

void pprof_test_gunzip(const char *src, const char *dst)
{
	size_t len;
	unsigned char *in = pprof_test_slurp(src, &len);
	assert_true(len > 18 && in[0] == 0x1f && in[1] == 0x8b);
	z_stream zs = { 0 };
	assert_int_equal(inflateInit2(&zs, 15 + 16), Z_OK);
	FILE *out = fopen(dst, "wb");
	assert_non_null(out);
	zs.next_in = in;
	zs.avail_in = (uInt)len;
	unsigned char buf[1 << 16];
	int rc;
	do {
		zs.next_out = buf;
		zs.avail_out = sizeof buf;
		rc = inflate(&zs, Z_NO_FLUSH);
		assert_true(rc == Z_OK || rc == Z_STREAM_END);
		size_t got = sizeof buf - zs.avail_out;
		assert_int_equal(fwrite(buf, 1, got, out), got);
	} while (rc != Z_STREAM_END);
	/* One member: its trailer ends the file. */
	assert_int_equal(zs.avail_in, 0);
	inflateEnd(&zs);
	assert_int_equal(fclose(out), 0);
	free(in);
}

char *pprof_test_protoc_decode(const char *tmpdir, const char *path)
{
	if (!PPROF_TEST_PROTOC[0])
		fail_msg("protoc not found at configure time: apt-get install protobuf-compiler "
			 "(or run scripts/install-deps.sh)");
	char pb[4200], proto_dir[4096], cmd[9000];
	snprintf(pb, sizeof pb, "%s/decoded.pb", tmpdir);
	pprof_test_gunzip(path, pb);
	snprintf(proto_dir, sizeof proto_dir, "%s", PPROF_TEST_PROFILE_PROTO);
	*strrchr(proto_dir, '/') = '\0';
	snprintf(cmd, sizeof cmd, "'%s' --decode perftools.profiles.Profile -I '%s' profile.proto < '%s'",
		 PPROF_TEST_PROTOC, proto_dir, pb);
	return pprof_test_sh(cmd);
}
