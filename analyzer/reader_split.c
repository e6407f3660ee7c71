/*
 * Splitting a trace directory's stream files into parts read in parallel,
 * and the muxer's order between streams (reader_split.h).
 */
#include "reader_split.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <babeltrace2/babeltrace.h>

#include "analyzer_error.h"
#include "reader_salvage.h"

struct split_file {
	size_t trace;               /* index in the trace directory list */
	char *name;
	uint64_t bytes;
	size_t part;
};

struct split_files {
	struct split_file *v;
	size_t n;
};

static int split_cmp_bytes(const void *a, const void *b)
{
	const struct split_file *x = a, *y = b;
	if (x->bytes != y->bytes)
		return x->bytes > y->bytes ? -1 : 1;
	if (x->trace != y->trace)
		return x->trace < y->trace ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Adds the stream files of trace directory `trace` (what src.ctf.fs
 * reads: regular files but the metadata, not hidden). */
static int split_list(const char *path, size_t trace, struct split_files *files,
		      struct analyzer_error *err)
{
	DIR *d = opendir(path);
	if (!d)
		return analyzer_error_set(err, "%s: cannot open directory", path);
	int rc = 0;
	struct dirent *e;
	while (rc == 0 && (e = readdir(d))) {
		char file[PATH_MAX];
		struct stat st;
		if (e->d_name[0] == '.' || !strcmp(e->d_name, "metadata") ||
		    snprintf(file, sizeof file, "%s/%s", path, e->d_name) >= (int)sizeof file ||
		    stat(file, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		struct split_file *grown = realloc(files->v, (files->n + 1) * sizeof *grown);
		char *name = strdup(e->d_name);
		if (!grown || !name) {
			free(name);
			if (grown)
				files->v = grown;
			rc = analyzer_error_set(err, "%s: out of memory", path);
			break;
		}
		files->v = grown;
		files->v[files->n++] = (struct split_file){ .trace = trace, .name = name,
							    .bytes = (uint64_t)st.st_size };
	}
	closedir(d);
	return rc;
}

/* The stand-in of trace directory src for one part: its metadata, the
 * part's files and the trace's index/ (src.ctf.fs then indexes the files
 * as it would in place; it looks only for the indexes of files it reads). */
static int split_stand_in(const char *src, const struct split_files *files, size_t trace,
			  size_t part, struct analyzer_trace_dirs *out, struct analyzer_error *err)
{
	char *abs = realpath(src, NULL);
	char *stand_in = abs ? reader_stand_in_create(abs) : NULL;
	if (!stand_in) {
		free(abs);
		return analyzer_error_set(err, "%s: cannot make a stand-in directory to read it in parts", src);
	}
	char **grown = realloc(out->paths, (out->count + 1) * sizeof *grown);
	if (!grown) {
		reader_salvage_remove(stand_in);
		free(stand_in);
		free(abs);
		return analyzer_error_set(err, "%s: out of memory", src);
	}
	out->paths = grown;
	out->paths[out->count++] = stand_in;
	int rc = 0;
	for (size_t i = 0; i < files->n && rc == 0; i++)
		if (files->v[i].trace == trace && files->v[i].part == part &&
		    reader_stand_in_link(stand_in, abs, files->v[i].name) != 0)
			rc = analyzer_error_set(err, "%s: cannot link %s into a stand-in directory", src,
						files->v[i].name);
	char index[PATH_MAX];
	struct stat st;
	if (rc == 0 && snprintf(index, sizeof index, "%s/index", abs) < (int)sizeof index &&
	    stat(index, &st) == 0 && S_ISDIR(st.st_mode))
		reader_stand_in_link(stand_in, abs, "index");
	free(abs);
	return rc;
}

int reader_split_create(const char *dir, size_t nparts, struct reader_split *split,
			struct analyzer_error *err)
{
	*split = (struct reader_split){ 0 };
	if (nparts > READER_SPLIT_MAX)
		nparts = READER_SPLIT_MAX;
	struct analyzer_trace_dirs dirs;
	struct split_files files = { 0 };
	int rc = analyzer_trace_dirs_find(dir, &dirs, err) != 0 ? -1 : 0;
	split->trace_dirs = (uint32_t)dirs.count;
	for (size_t t = 0; t < dirs.count && rc == 0; t++)
		rc = split_list(dirs.paths[t], t, &files, err);
	if (rc == 0 && (nparts < 2 || files.n < 2))
		rc = 1;
	if (rc == 0) {
		if (nparts > files.n)
			nparts = files.n;
		/* Largest first, each into the lightest part: within 4/3 of
		 * the best balance, and the same split for the same trace. */
		qsort(files.v, files.n, sizeof *files.v, split_cmp_bytes);
		for (size_t i = 0; i < files.n; i++) {
			size_t best = 0;
			for (size_t p = 1; p < nparts; p++)
				if (split->part_bytes[p] < split->part_bytes[best])
					best = p;
			files.v[i].part = best;
			split->part_bytes[best] += files.v[i].bytes;
		}
		split->nparts = nparts;
		for (size_t p = 0; p < nparts && rc == 0; p++)
			for (size_t t = 0; t < dirs.count && rc == 0; t++) {
				bool used = false;
				for (size_t i = 0; i < files.n && !used; i++)
					used = files.v[i].trace == t && files.v[i].part == p;
				if (used)
					rc = split_stand_in(dirs.paths[t], &files, t, p, &split->parts[p], err);
			}
	}
	for (size_t i = 0; i < files.n; i++)
		free(files.v[i].name);
	free(files.v);
	analyzer_trace_dirs_free(&dirs);
	return rc;
}

void reader_split_free(struct reader_split *split)
{
	for (size_t p = 0; p < READER_SPLIT_MAX; p++) {
		for (size_t i = 0; i < split->parts[p].count; i++)
			reader_salvage_remove(split->parts[p].paths[i]);
		analyzer_trace_dirs_free(&split->parts[p]);
	}
	*split = (struct reader_split){ 0 };
}

void reader_stream_key_get(const void *stream, struct reader_stream_key *key)
{
	const bt_stream *s = stream;
	const bt_trace *t = bt_stream_borrow_trace_const(s);
	*key = (struct reader_stream_key){
		.class_id = bt_stream_class_get_id(bt_stream_borrow_class_const(s)),
		.id = bt_stream_get_id(s),
	};
	bt_uuid uuid = bt_trace_get_uuid(t);
	if (uuid) {
		key->has_uuid = true;
		memcpy(key->uuid, uuid, sizeof key->uuid);
	}
	const char *name = bt_trace_get_name(t);
	if (name) {
		key->has_name = true;
		snprintf(key->name, sizeof key->name, "%s", name);
	}
}

/* A present property goes before an absent one. */
static int key_presence(bool a, bool b)
{
	return a == b ? 0 : a ? -1 : 1;
}

int reader_stream_key_cmp(const struct reader_stream_key *a, const struct reader_stream_key *b)
{
	int c = key_presence(a->has_uuid, b->has_uuid);
	if (c || (a->has_uuid && (c = memcmp(a->uuid, b->uuid, sizeof a->uuid))))
		return c;
	/* src.ctf.fs names a trace after its path, which differs between
	 * the parts' stand-ins of one trace: with equal UUIDs (one trace read
	 * whole, where the names are equal too) the names are skipped. */
	if (!a->has_uuid) {
		c = key_presence(a->has_name, b->has_name);
		if (c || (a->has_name && (c = strcmp(a->name, b->name))))
			return c;
	}
	if (a->class_id != b->class_id)
		return a->class_id < b->class_id ? -1 : 1;
	if (a->id != b->id)
		return a->id < b->id ? -1 : 1;
	return 0;
}
