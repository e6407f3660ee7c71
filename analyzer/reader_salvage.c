/*
 * Reading what can be read of a damaged CTF trace (see reader_salvage.h).
 *
 * babeltrace2's src.ctf.fs indexes every stream file of a trace when it is
 * created and refuses the whole trace if one file is truncated or
 * corrupt. To keep the rest, the salvage probes each stream file alone
 * (a directory holding links to the metadata and that one file) and
 * gathers the ones that open into a directory of links the reader uses
 * instead. Nothing of the trace itself is changed. The index/ directory
 * is left out: it describes the files as they were, not as they are.
 */
#include "reader_salvage.h"

#include <dirent.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool reader_salvage_opens(const bt_component_class_source *fs, const char *dir, char *why,
			  size_t size)
{
	bt_graph *g = bt_graph_create(0);
	bt_value *params = bt_value_map_create();
	bt_value *inputs = NULL;
	bool ok = false;
	if (g && params &&
	    bt_value_map_insert_empty_array_entry(params, "inputs", &inputs) ==
		    BT_VALUE_MAP_INSERT_ENTRY_STATUS_OK &&
	    bt_value_array_append_string_element(inputs, dir) == BT_VALUE_ARRAY_APPEND_ELEMENT_STATUS_OK) {
		const bt_component_source *src;
		ok = bt_graph_add_source_component(g, fs, "probe", params, BT_LOGGING_LEVEL_NONE, &src) ==
		     BT_GRAPH_ADD_COMPONENT_STATUS_OK;
	}
	bt_value_put_ref(params);
	bt_graph_put_ref(g);
	if (!ok && why)
		reader_take_error_causes(why, size);
	bt_current_thread_clear_error();
	return ok;
}

static int link_into(const char *target_dir, const char *name, const char *dir)
{
	char target[PATH_MAX], link[PATH_MAX];
	if (snprintf(target, sizeof target, "%s/%s", target_dir, name) >= (int)sizeof target ||
	    snprintf(link, sizeof link, "%s/%s", dir, name) >= (int)sizeof link)
		return -1;
	return symlink(target, link);
}

static void unlink_from(const char *dir, const char *name)
{
	char link[PATH_MAX];
	if (snprintf(link, sizeof link, "%s/%s", dir, name) < (int)sizeof link)
		unlink(link);
}

/* The absolute form of path (links must work from the temporary dir). */
static char *absolute(const char *path)
{
	return realpath(path, NULL);
}

char *reader_stand_in_create(const char *src_dir)
{
	const char *tmp = getenv("TMPDIR");
	char base[PATH_MAX], keep[PATH_MAX + 8];
	snprintf(base, sizeof base, "%s/ctrace-salvage-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(base))
		return NULL;
	snprintf(keep, sizeof keep, "%s/trace", base);
	char *result = NULL;
	if (mkdir(keep, 0700) == 0 && link_into(src_dir, "metadata", keep) == 0 &&
	    (result = strdup(keep)))
		return result;
	reader_salvage_remove(keep);
	rmdir(base);
	return NULL;
}

int reader_stand_in_link(const char *stand_in, const char *src_dir, const char *name)
{
	return link_into(src_dir, name, stand_in);
}

char *reader_salvage(const bt_component_class_source *fs, const char *trace_dir,
		     uint32_t *skipped, char *first_skipped, size_t size)
{
	char *src = absolute(trace_dir);
	DIR *d = src ? opendir(src) : NULL;
	char *keep = d ? reader_stand_in_create(src) : NULL;
	if (!keep) {
		if (d)
			closedir(d);
		free(src);
		return NULL;
	}
	/* Each file is probed alone in BASE/probe, next to BASE/trace. */
	char probe[PATH_MAX + 8];
	snprintf(probe, sizeof probe, "%.*s/probe", (int)(strlen(keep) - strlen("/trace")), keep);
	size_t kept = 0;
	if (mkdir(probe, 0700) != 0 || link_into(src, "metadata", probe) != 0)
		goto done;
	struct dirent *e;
	while ((e = readdir(d))) {
		char path[PATH_MAX];
		struct stat st;
		if (e->d_name[0] == '.' || !strcmp(e->d_name, "metadata") ||
		    snprintf(path, sizeof path, "%s/%s", src, e->d_name) >= (int)sizeof path ||
		    stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (link_into(src, e->d_name, probe) != 0)
			continue;
		bool ok = reader_salvage_opens(fs, probe, NULL, 0);
		unlink_from(probe, e->d_name);
		if (ok && link_into(src, e->d_name, keep) == 0) {
			kept++;
		} else {
			if (!*skipped && size)
				snprintf(first_skipped, size, "%s", path);
			(*skipped)++;
		}
	}
done:
	closedir(d);
	free(src);
	unlink_from(probe, "metadata");
	rmdir(probe);
	if (kept > 0 && reader_salvage_opens(fs, keep, NULL, 0))
		return keep;
	reader_salvage_remove(keep);
	free(keep);
	return NULL;
}

void reader_salvage_remove(const char *keep)
{
	if (!keep)
		return;
	DIR *d = opendir(keep);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d)))
			if (e->d_name[0] != '.')
				unlink_from(keep, e->d_name);
		closedir(d);
	}
	rmdir(keep);
	/* keep is BASE/trace: remove BASE too. */
	char base[PATH_MAX];
	snprintf(base, sizeof base, "%s", keep);
	char *slash = strrchr(base, '/');
	if (slash && !strcmp(slash, "/trace")) {
		*slash = 0;
		rmdir(base);
	}
}
