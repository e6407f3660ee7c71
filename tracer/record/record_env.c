/* Environments for the program and the helpers (see record_env.h). */
#include <errno.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "record_env.h"

/* LTTng-UST's own helper libraries, by runtime soname: fork keeps tracing
 * across fork/daemon, fd protects the tracer's descriptors from a program
 * that closes everything, dl reports dlopen'ed libraries for symbols. */
static const char *const ust_helper_libs = "liblttng-ust-fork.so.1:liblttng-ust-fd.so.1:liblttng-ust-dl.so.1";

static char *xstrdup(const char *s)
{
	char *p = strdup(s);
	if (!p) {
		fputs("ctrace record: out of memory\n", stderr);
		abort();
	}
	return p;
}

static size_t name_len(const char *kv)
{
	const char *eq = strchr(kv, '=');
	return eq ? (size_t)(eq - kv) : strlen(kv);
}

char **record_env_with(char *const *base, char *const *set, size_t nset)
{
	size_t n = 0;
	while (base && base[n])
		n++;
	char **env = calloc(n + nset + 1, sizeof *env);
	if (!env) {
		fputs("ctrace record: out of memory\n", stderr);
		abort();
	}
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		size_t l = name_len(base[i]);
		bool replaced = false;
		for (size_t j = 0; j < nset && !replaced; j++)
			replaced = name_len(set[j]) == l && strncmp(base[i], set[j], l) == 0;
		if (!replaced)
			env[k++] = xstrdup(base[i]);
	}
	for (size_t j = 0; j < nset; j++)
		env[k++] = xstrdup(set[j]);
	env[k] = NULL;
	return env;
}

void record_env_free(char **env)
{
	for (size_t i = 0; env && env[i]; i++)
		free(env[i]);
	free(env);
}

int record_env_preload_path(char *out, size_t len, struct record_err *e)
{
	const char *over = getenv("CTRACE_PRELOAD");
	if (over && *over) {
		snprintf(out, len, "%s", over);
	} else {
		char exe[PATH_MAX];
		ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
		if (n <= 0)
			return record_err_set(e, "cannot find the ctrace binary (/proc/self/exe): %s", strerror(errno));
		exe[n] = '\0';
		char path[PATH_MAX * 2];
		snprintf(path, sizeof path, "%s/%s/libctrace-preload.so", dirname(exe), CTRACE_PRELOAD_RELDIR);
		char *canon = realpath(path, NULL);   /* no "bin/../" in LD_PRELOAD */
		snprintf(out, len, "%s", canon ? canon : path);
		free(canon);
	}
	if (access(out, R_OK) < 0)
		return record_err_set(e, "preload library %s: %s (is ctrace installed completely?)",
				      out, strerror(errno));
	return 0;
}

char **record_env_program(char *const *base, const struct record_options *o,
			  const char *preload, const char *lttng_home)
{
	char *set[12] = { 0 };
	size_t n = 0;
	struct record_buf b[12] = { 0 };
	if (preload) {
		const char *user = getenv("LD_PRELOAD");
		record_buf_printf(&b[n], "LD_PRELOAD=%s:%s%s%s", preload, ust_helper_libs,
				  user && *user ? ":" : "", user && *user ? user : "");
		n++;
		if (!o->discard)
			record_buf_printf(&b[n++], "LTTNG_UST_ALLOW_BLOCKING=1");
		record_buf_printf(&b[n++], "CTRACE_SAMPLE_HZ=%" PRIu32, o->sample_hz);
		record_buf_printf(&b[n++], "CTRACE_LOCK_THRESHOLD_NS=%" PRIu64, o->lock_threshold_ns);
		record_buf_printf(&b[n++], "CTRACE_SYSCALL_THRESHOLD_NS=%" PRIu64, o->syscall_threshold_ns);
		record_buf_printf(&b[n++], "CTRACE_ALLOC_SAMPLE_BYTES=%" PRIu64, o->alloc_sample_bytes);
	}
	if (lttng_home)
		record_buf_printf(&b[n++], "LTTNG_HOME=%s", lttng_home);
	for (size_t i = 0; i < n; i++)
		set[i] = b[i].data;
	char **env = record_env_with(base, set, n);
	for (size_t i = 0; i < n; i++)
		record_buf_free(&b[i]);
	return env;
}
