/*
 * Session daemon discovery, private start and stop (see record_daemon.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "record_daemon.h"
#include "record_env.h"
#include "record_fs.h"
#include "record_proc.h"
#include "record_program.h"

extern char **environ;

#define LTTNG_GLOBAL_RUNDIR "/var/run/lttng"
#define LTTNG_CLIENT_SOCK "client-lttng-sessiond"

/* The home LTTng uses for a non-root user: $LTTNG_HOME, $HOME, passwd. */
static const char *user_lttng_home(void)
{
	const char *h = getenv("LTTNG_HOME");
	if (h && *h)
		return h;
	h = getenv("HOME");
	if (h && *h)
		return h;
	struct passwd *pw = getpwuid(getuid());
	return pw ? pw->pw_dir : NULL;
}

/* A daemon is running if its client socket accepts a connection. */
static bool daemon_answers(const char *rundir)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if (snprintf(sa.sun_path, sizeof sa.sun_path, "%s/" LTTNG_CLIENT_SOCK, rundir) >=
	    (int)sizeof sa.sun_path)
		return false;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	bool ok = connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
	close(fd);
	return ok;
}

static int make_scratch(struct record_daemon *d, struct record_err *e)
{
	/* Socket paths live under it for a non-root private daemon: keep it
	 * short (sun_path is 108 bytes). */
	const char *tmp = getenv("TMPDIR");
	if (!tmp || !*tmp || strlen(tmp) > 48)
		tmp = "/tmp";
	snprintf(d->scratch, sizeof d->scratch, "%s/ctrace-record-XXXXXX", tmp);
	if (!mkdtemp(d->scratch)) {
		int err = errno;
		d->scratch[0] = '\0';
		return record_err_set(e, "cannot create a temporary directory in %s: %s", tmp, strerror(err));
	}
	return 0;
}

/* Root: a mount namespace of our own where /var/run/lttng is an empty tmpfs. */
static int isolate_rundir(struct record_err *e)
{
	if (unshare(CLONE_NEWNS) < 0)
		return record_err_set(e, "cannot isolate a private LTTng session daemon: unshare(CLONE_NEWNS): %s",
				      strerror(errno));
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return record_err_set(e, "cannot isolate a private LTTng session daemon: making mounts private: %s",
				      strerror(errno));
	if (mkdir(LTTNG_GLOBAL_RUNDIR, 0755) < 0 && errno != EEXIST)
		return record_err_set(e, "cannot create %s: %s", LTTNG_GLOBAL_RUNDIR, strerror(errno));
	if (mount("tmpfs", LTTNG_GLOBAL_RUNDIR, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") < 0)
		return record_err_set(e, "cannot isolate a private LTTng session daemon: tmpfs on %s: %s",
				      LTTNG_GLOBAL_RUNDIR, strerror(errno));
	return 0;
}

static int pidfd_open_compat(pid_t pid)
{
#ifdef SYS_pidfd_open
	return (int)syscall(SYS_pidfd_open, pid, 0);
#else
	(void)pid;
	errno = ENOSYS;
	return -1;
#endif
}

/* Last non-empty line of a tool's output, for one-line errors. */
static const char *last_line(struct record_buf *b)
{
	if (!b->data)
		return "no output";
	while (b->len > 0 && (b->data[b->len - 1] == '\n' || b->data[b->len - 1] == ' '))
		b->data[--b->len] = '\0';
	char *nl = strrchr(b->data, '\n');
	return nl ? nl + 1 : b->data;
}

static int start_private(struct record_daemon *d, const char *sessiond, struct record_err *e)
{
	if (geteuid() == 0) {
		if (isolate_rundir(e) < 0)
			return -1;
	} else {
		snprintf(d->ust_home, sizeof d->ust_home, "%s", d->scratch);
	}
	char pidfile[PATH_MAX + 32];
	snprintf(pidfile, sizeof pidfile, "%s/sessiond.pid", d->scratch);
	char *argv[] = { (char *)sessiond, "--no-kernel", "--daemonize", "--pidfile", pidfile, NULL };
	/* The launcher returns once the daemon is ready to serve clients. As
	 * a subreaper meanwhile, we inherit the daemon when the launcher exits,
	 * so we can reap it at the end: no zombie for init to collect later.
	 * Only meanwhile: the program's orphans must still go to init. */
	struct record_buf out = { 0 };
	int status;
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	int rc = record_proc_run(sessiond, argv, d->client_env, &out, &status, e);
	prctl(PR_SET_CHILD_SUBREAPER, 0);
	if (rc < 0) {
		record_buf_free(&out);
		return -1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		char how[64];
		record_err_set(e, "LTTng session daemon did not start (%s): %s",
			       record_proc_describe(status, how, sizeof how), last_line(&out));
		record_buf_free(&out);
		return -1;
	}
	record_buf_free(&out);
	struct record_buf pid = { 0 };
	if (record_buf_read_file(&pid, pidfile) < 0 || !pid.data || atoi(pid.data) <= 0) {
		record_buf_free(&pid);
		return record_err_set(e, "LTTng session daemon started but wrote no pid file %s", pidfile);
	}
	d->pid = atoi(pid.data);
	record_buf_free(&pid);
	d->is_private = true;
	d->pidfd = pidfd_open_compat(d->pid);
	return 0;
}

int record_daemon_setup(struct record_daemon *d, bool force_private, struct record_err *e)
{
	*d = (struct record_daemon){ .pidfd = -1 };
	char sessiond[PATH_MAX];
	if (record_program_find("lttng", d->lttng, sizeof d->lttng) < 0 ||
	    record_program_find("lttng-sessiond", sessiond, sizeof sessiond) < 0)
		return record_err_set(e, "LTTng tools not found (lttng, lttng-sessiond in PATH): install lttng-tools");
	if (make_scratch(d, e) < 0)
		return -1;

	bool root = geteuid() == 0;
	const char *home = root ? NULL : user_lttng_home();
	char rundir[PATH_MAX];
	snprintf(rundir, sizeof rundir, "%s", root ? LTTNG_GLOBAL_RUNDIR : "");
	if (!root && home)
		snprintf(rundir, sizeof rundir, "%s/.lttng", home);
	bool use_existing = !force_private && rundir[0] && daemon_answers(rundir);

	/* The client reads and writes $LTTNG_HOME/.lttngrc: give it ours. A
	 * non-root client finds its daemon under the same home, so link the
	 * user's run directory into it when attaching to the user's daemon. */
	if (use_existing && !root) {
		char link[PATH_MAX + 16];
		snprintf(link, sizeof link, "%s/.lttng", d->scratch);
		if (symlink(rundir, link) < 0) {
			int err = errno;
			record_daemon_teardown(d, e);
			return record_err_set(e, "cannot link %s: %s", link, strerror(err));
		}
	}
	char home_kv[PATH_MAX + 16];
	snprintf(home_kv, sizeof home_kv, "LTTNG_HOME=%s", d->scratch);
	char *set[] = { home_kv };
	d->client_env = record_env_with(environ, set, 1);
	if (use_existing)
		return 0;
	if (start_private(d, sessiond, e) < 0) {
		struct record_err ignored;
		record_daemon_teardown(d, &ignored);
		return -1;
	}
	return 0;
}

/* Waits up to timeout_ms for the daemon to be gone (exited: a zombie
 * counts, it is init's to reap). */
static bool wait_gone(struct record_daemon *d, int timeout_ms)
{
	if (d->pidfd >= 0) {
		struct pollfd p = { .fd = d->pidfd, .events = POLLIN };
		int r;
		while ((r = poll(&p, 1, timeout_ms)) < 0 && errno == EINTR)
			;
		return r > 0;
	}
	for (int waited = 0; waited <= timeout_ms; waited += 5) {
		char path[64], state = 'Z';
		snprintf(path, sizeof path, "/proc/%d/stat", (int)d->pid);
		FILE *f = fopen(path, "re");
		if (!f)
			return true;
		int ok = fscanf(f, "%*d (%*[^)]) %c", &state);
		fclose(f);
		if (ok == 1 && state == 'Z')
			return true;
		usleep(5000);
	}
	return false;
}

int record_daemon_teardown(struct record_daemon *d, struct record_err *e)
{
	int rc = 0;
	if (d->is_private && d->pid > 0) {
		/* The pidfd, opened while the daemon was alive, makes sure the
		 * signal reaches our daemon even if its pid were reused. */
		int sent;
#ifdef SYS_pidfd_send_signal
		if (d->pidfd >= 0)
			sent = (int)syscall(SYS_pidfd_send_signal, d->pidfd, SIGTERM, NULL, 0);
		else
#endif
			sent = kill(d->pid, SIGTERM);
		if (sent == 0 && !wait_gone(d, 5000)) {
			kill(d->pid, SIGKILL);
			if (!wait_gone(d, 2000))
				rc = record_err_set(e, "private LTTng session daemon (pid %d) did not stop",
						    (int)d->pid);
		}
		waitpid(d->pid, NULL, WNOHANG);   /* ours since the launcher exited */
		d->is_private = false;
	}
	if (d->pidfd >= 0)
		close(d->pidfd);
	d->pidfd = -1;
	if (d->scratch[0])
		record_fs_remove_tree(d->scratch);
	d->scratch[0] = '\0';
	record_env_free(d->client_env);
	d->client_env = NULL;
	return rc;
}
