/*
 * Cost and size of writing a pprof profile with analyzer/pprof: 1M samples
 * over 5k distinct stacks (depth 10-30, shared prefixes as real call trees
 * have) of 8k locations in 2k functions (a tenth with an inlined frame),
 * labelled region and tid, built one sample at a time as `ctrace pprof`
 * would, then written. Two profiles:
 *   merged:   labels repeat, so samples merge (the common case);
 *   distinct: every sample also has a unique numeric label (seq), so
 *             nothing merges (the worst case for time and size).
 * For each it prints the best time of 3 runs (target <= 2 s) and the file
 * size next to what `go tool pprof -proto` writes for the same profile
 * (target <= 1.5x), with go's own time to read and rewrite it as a peer.
 *
 * Usage: bench_pprof_export [samples]   (go from PATH, skipped if absent)
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "pprof_builder.h"

#define FUNCTIONS 2000
#define LOCS_PER_FUNCTION 4
#define LOCATIONS (FUNCTIONS * LOCS_PER_FUNCTION)
#define MAPPINGS 4
#define STACKS 5000
#define MIN_DEPTH 10
#define MAX_DEPTH 30
#define REGIONS 16
#define THREADS 8
#define REPS 3

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* xorshift64*: the same workload on every run. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static unsigned rng_below(unsigned n)
{
	return (unsigned)(rng() % n);
}

/* Call stacks, root first while generating; each new stack shares a
 * prefix with an earlier one, as the paths of a call tree do. */
struct stacks {
	uint32_t frame[STACKS][MAX_DEPTH];   /* location index, root first */
	uint8_t depth[STACKS];
};

static void stacks_make(struct stacks *st)
{
	for (unsigned s = 0; s < STACKS; s++) {
		unsigned d = MIN_DEPTH + rng_below(MAX_DEPTH - MIN_DEPTH + 1), keep = 0;
		if (s > 0) {
			unsigned p = rng_below(s);
			keep = 1 + rng_below(st->depth[p] < d ? st->depth[p] : d);
			memcpy(st->frame[s], st->frame[p], keep * sizeof st->frame[s][0]);
		} else {
			st->frame[0][0] = 0;   /* main */
			keep = 1;
		}
		for (unsigned i = keep; i < d; i++)
			st->frame[s][i] = rng_below(LOCATIONS);
		st->depth[s] = (uint8_t)d;
	}
}

/* Functions, mappings and locations: what a caller adds once per symbol. */
static void symbols_add(struct pprof_builder *b, uint64_t *loc_ids)
{
	uint64_t maps[MAPPINGS];
	for (unsigned m = 0; m < MAPPINGS; m++) {
		char file[64], build_id[64];
		snprintf(file, sizeof file, m ? "/usr/lib/x86_64-linux-gnu/libwork%u.so.1" : "/usr/bin/server", m);
		snprintf(build_id, sizeof build_id, "%016llx%08x", (unsigned long long)rng(), m);
		maps[m] = pprof_mapping_add(b, &(struct pprof_mapping){
			.start = 0x400000ull + ((uint64_t)m << 32), .limit = 0x800000ull + ((uint64_t)m << 32),
			.file = file, .build_id = build_id, .has_functions = true, .has_filenames = true,
			.has_line_numbers = true, .has_inline_frames = true });
	}
	uint64_t fn[FUNCTIONS];
	for (unsigned f = 0; f < FUNCTIONS; f++) {
		char name[96], file[64];
		snprintf(name, sizeof name, "%s_module%u_handle_request_step%u",
			 f % 3 ? "server" : "worker", f / 50, f);
		snprintf(file, sizeof file, "src/module%u/part%u.c", f / 50, f % 7);
		fn[f] = pprof_function_add(b, &(struct pprof_function){ name, name, file, 10 + (f % 400) * 3 });
	}
	for (unsigned l = 0; l < LOCATIONS; l++) {
		unsigned f = l / LOCS_PER_FUNCTION;
		struct pprof_line lines[2] = { { fn[rng_below(FUNCTIONS)], 5 }, { fn[f], 12 + l % 97 } };
		bool inlined = rng_below(10) == 0;
		unsigned m = f % MAPPINGS;
		loc_ids[l] = pprof_location_add(b, maps[m], 0x400000ull + ((uint64_t)m << 32) + 16ull * l,
						inlined ? lines : lines + 1, inlined ? 2 : 1);
	}
}

struct result {
	size_t distinct;
	double build_s, write_s;
	long long size;
};

static long long file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (long long)st.st_size : -1;
}

static int run(const struct stacks *st, unsigned n_samples, bool unique_label, const char *path,
	       struct result *res)
{
	double t0 = now_s();
	const struct pprof_value_type types[] = { { "samples", "count" }, { "cpu", "nanoseconds" } };
	struct pprof_error err;
	struct pprof_builder *b = pprof_builder_create(types, 2, &err);
	if (!b) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	pprof_builder_set_period(b, types[1], 4000000);
	pprof_builder_set_time(b, 1700000000LL * 1000000000LL, 60LL * 1000000000LL);
	static uint64_t loc_ids[LOCATIONS];
	symbols_add(b, loc_ids);
	int64_t region_key = pprof_string_intern(b, "region"), tid_key = pprof_string_intern(b, "tid");
	int64_t seq_key = pprof_string_intern(b, "seq");
	int64_t region[REGIONS], tid[THREADS];
	for (unsigned i = 0; i < REGIONS; i++) {
		char s[32];
		snprintf(s, sizeof s, "request/phase%u", i);
		region[i] = pprof_string_intern(b, s);
	}
	for (unsigned i = 0; i < THREADS; i++) {
		char s[32];
		snprintf(s, sizeof s, "%u", 41000 + i);
		tid[i] = pprof_string_intern(b, s);
	}

	const int64_t values[2] = { 1, 4000000 };
	for (unsigned i = 0; i < n_samples; i++) {
		/* Skewed: a few stacks are hot, most are rare. */
		double u = (double)(rng() >> 11) / 9007199254740992.0;
		unsigned s = (unsigned)(STACKS * u * u * u);
		uint64_t stack[MAX_DEPTH];
		unsigned d = st->depth[s];
		for (unsigned k = 0; k < d; k++)
			stack[k] = loc_ids[st->frame[s][d - 1 - k]];   /* leaf first */
		unsigned r = rng_below(5) ? s % REGIONS : rng_below(REGIONS);
		struct pprof_label labels[3] = {
			pprof_label_str(region_key, region[r]),
			pprof_label_str(tid_key, tid[rng_below(THREADS)]),
			pprof_label_num(seq_key, i + 1, 0),
		};
		if (pprof_sample_add(b, stack, d, values, labels, unique_label ? 3 : 2) < 0)
			break;
	}
	double t1 = now_s();
	int rc = pprof_builder_write(b, path, &err);
	double t2 = now_s();
	if (rc < 0)
		fprintf(stderr, "%s\n", err.msg);
	res->distinct = pprof_builder_sample_count(b);
	res->build_s = t1 - t0;
	res->write_s = t2 - t1;
	res->size = file_size(path);
	pprof_builder_destroy(b);
	return rc;
}

/* `go tool pprof -proto` on our file: its size and go's time, or -1. */
static long long go_rewrite(const char *dir, const char *in, double *secs)
{
	char out[4200], cmd[32768];
	snprintf(out, sizeof out, "%s/go.pb.gz", dir);
	snprintf(cmd, sizeof cmd,
		 "HOME='%s' GOCACHE='%s/gocache' PPROF_TMPDIR='%s' GOTOOLCHAIN=local GOPROXY=off GOFLAGS= "
		 "go tool pprof -proto '%s' > '%s' 2>/dev/null",
		 dir, dir, dir, in, out);
	double t0 = now_s();
	int rc = system(cmd);
	*secs = now_s() - t0;
	return rc == 0 ? file_size(out) : -1;
}

int main(int argc, char **argv)
{
	unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 1000000;
	bool have_go = system("command -v go >/dev/null 2>&1") == 0;
	const char *tmp = getenv("TMPDIR");
	char dir[4096], path[4200];
	snprintf(dir, sizeof dir, "%s/bench-pprof-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(path, sizeof path, "%s/ctrace.pb.gz", dir);
	struct stacks *st = malloc(sizeof *st);
	if (!st)
		return 1;
	stacks_make(st);

	int status = 0;
	for (int unique = 0; unique < 2; unique++) {
		/* The best of REPS runs: other load only ever slows a run down. */
		struct result r = { 0 }, best = { 0 };
		for (int rep = 0; rep < REPS && status == 0; rep++) {
			rng_state = 0x9e3779b97f4a7c15ull;   /* the same samples each time */
			if (run(st, n, unique, path, &r) < 0)
				status = 1;
			else if (rep == 0 || r.build_s + r.write_s < best.build_s + best.write_s)
				best = r;
		}
		if (status)
			break;
		r = best;
		double total = r.build_s + r.write_s;
		printf("pprof_export %-8s: %u samples -> %zu distinct; build %.3f s + write %.3f s = %.3f s"
		       " (x%.2f of the 2 s target); file %lld bytes\n",
		       unique ? "distinct" : "merged", n, r.distinct, r.build_s, r.write_s, total,
		       total / 2.0, r.size);
		if (!have_go) {
			printf("pprof_export %-8s: go not found, size comparison skipped\n",
			       unique ? "distinct" : "merged");
			continue;
		}
		double go_s;
		long long go_size = go_rewrite(dir, path, &go_s);
		if (go_size <= 0) {
			printf("pprof_export %-8s: go tool pprof -proto failed\n", unique ? "distinct" : "merged");
			status = 1;
			continue;
		}
		printf("pprof_export %-8s: go tool pprof -proto %lld bytes in %.3f s; size ctrace/go x%.3f"
		       " (target <= 1.5), time ctrace/go x%.3f\n",
		       unique ? "distinct" : "merged", go_size, go_s, (double)r.size / (double)go_size,
		       total / go_s);
	}
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "rm -rf '%.4096s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	free(st);
	return status;
}
