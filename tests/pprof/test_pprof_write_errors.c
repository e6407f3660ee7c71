/*
 * Writing fails cleanly: a path that cannot be written (no such directory,
 * a read-only directory, procfs), a write that fails half-way (file size
 * limit) and an empty profile all give an error naming the file and what
 * failed, leave no file behind (nor a temporary one) and leave an existing
 * file at the path untouched. A good write replaces it whole.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <dirent.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "pprof_test.h"
#include "support.h"

static int setup(void **state)
{
	char *dir = support_tmpdir_create();
	*state = dir;
	return dir ? 0 : -1;
}

static int teardown(void **state)
{
	support_tree_remove(*state);
	free(*state);
	return 0;
}

/* Number of entries in dir, besides . and .. */
static size_t dir_entries(const char *dir)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	size_t n = 0;
	for (struct dirent *e; (e = readdir(d));)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static void assert_says(const char *msg, const char *a, const char *b)
{
	if (!strstr(msg, a) || !strstr(msg, b))
		fail_msg("error '%s' should say '%s' and '%s'", msg, a, b);
	fprintf(stderr, "error, as expected: %s\n", msg);
}

static void missing_directory_is_an_error(void **state)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/no/such/dir/profile.pb.gz", (char *)*state);
	struct pprof_builder *b = pprof_test_profile();
	struct pprof_error err;
	assert_int_equal(pprof_builder_write(b, path, &err), -1);
	assert_says(err.msg, path, "No such file or directory");
	assert_int_equal(dir_entries(*state), 0);
	/* No err: still fails, without writing through NULL. */
	assert_int_equal(pprof_builder_write(b, path, NULL), -1);
	pprof_builder_destroy(b);
}

static void unwritable_place_is_an_error(void **state)
{
	(void)state;
	/* procfs takes no new files, even from root. */
	const char *path = "/proc/ctrace-pprof-test.pb.gz";
	struct pprof_builder *b = pprof_test_profile();
	struct pprof_error err;
	assert_int_equal(pprof_builder_write(b, path, &err), -1);
	assert_says(err.msg, path, "creating a temporary file");
	struct stat st;
	assert_int_equal(stat(path, &st), -1);
	pprof_builder_destroy(b);
}

/* Writes the test profile to path; 0 when that failed with a message
 * naming path and "Permission denied". */
static int write_denied(const char *path)
{
	struct pprof_builder *b = pprof_test_profile();
	struct pprof_error err;
	int rc = pprof_builder_write(b, path, &err);
	pprof_builder_destroy(b);
	fprintf(stderr, "error, as expected: %s\n", rc < 0 ? err.msg : "(none)");
	return rc == -1 && strstr(err.msg, path) && strstr(err.msg, "Permission denied") ? 0 : 1;
}

static void read_only_directory_is_an_error(void **state)
{
	char dir[4200], path[4300];
	snprintf(dir, sizeof dir, "%s/ro", (char *)*state);
	snprintf(path, sizeof path, "%s/profile.pb.gz", dir);
	assert_int_equal(mkdir(dir, 0555), 0);
	if (geteuid() != 0) {
		assert_int_equal(write_denied(path), 0);
	} else {
		/* Root writes anywhere: try as nobody, in a child. */
		assert_int_equal(chmod(*state, 0755), 0);
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0)
			_exit(setgid(65534) == 0 && setuid(65534) == 0 ? write_denied(path) : 2);
		int status;
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	assert_int_equal(dir_entries(dir), 0);
}

static void directory_in_the_way_is_an_error(void **state)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/taken", (char *)*state);
	assert_int_equal(mkdir(path, 0755), 0);
	struct pprof_builder *b = pprof_test_profile();
	struct pprof_error err;
	assert_int_equal(pprof_builder_write(b, path, &err), -1);
	assert_says(err.msg, path, "renaming");
	/* Only the directory: the temporary file is gone. */
	assert_int_equal(dir_entries(*state), 1);
	pprof_builder_destroy(b);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *buf = malloc(1 << 20);
	assert_non_null(buf);
	*len = fread(buf, 1, (1 << 20) - 1, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

static void failed_write_keeps_the_old_file(void **state)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/profile.pb.gz", (char *)*state);
	write_file(path, "old contents");
	struct pprof_builder *b = pprof_test_profile();
	unsigned char *gz;
	size_t gz_len;
	struct pprof_error err;
	assert_int_equal(pprof_builder_encode(b, &gz, &gz_len, &err), 0);

	/* A file size limit below the profile's size: write() fails half-way
	 * with EFBIG (SIGXFSZ ignored so the process survives it). */
	struct rlimit old;
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	struct rlimit small = { .rlim_cur = gz_len / 2, .rlim_max = old.rlim_max };
	void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
	int rc = pprof_builder_write(b, path, &err);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, old_handler);
	assert_int_equal(rc, -1);
	assert_says(err.msg, path, "writing");

	size_t len;
	char *text = read_file(path, &len);
	assert_string_equal(text, "old contents");
	free(text);
	assert_int_equal(dir_entries(*state), 1);

	/* Without the limit the new profile replaces the old file whole. */
	assert_int_equal(pprof_builder_write(b, path, &err), 0);
	text = read_file(path, &len);
	assert_int_equal(len, gz_len);
	assert_memory_equal(text, gz, gz_len);
	free(text);
	free(gz);
	assert_int_equal(dir_entries(*state), 1);
	pprof_builder_destroy(b);
}

static void empty_profile_is_refused(void **state)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/empty.pb.gz", (char *)*state);
	const struct pprof_value_type types[] = { { "samples", "count" } };
	struct pprof_error err;
	struct pprof_builder *b = pprof_builder_create(types, 1, &err);
	assert_non_null(b);
	assert_int_not_equal(pprof_function_add(b, &(struct pprof_function){ .name = "f" }), 0);
	assert_int_equal(pprof_builder_write(b, path, &err), -1);
	assert_says(err.msg, path, "no samples");
	assert_int_equal(dir_entries(*state), 0);
	pprof_builder_destroy(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(missing_directory_is_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(unwritable_place_is_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(read_only_directory_is_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(directory_in_the_way_is_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(failed_write_keeps_the_old_file, setup, teardown),
		cmocka_unit_test_setup_teardown(empty_profile_is_refused, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
