/* Signal handling of `ctrace record` (see record_signals.h). */
#include <errno.h>
#include <signal.h>
#include <stddef.h>

#include "record_signals.h"

static const int handled[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
#define NHANDLED (sizeof handled / sizeof handled[0])

static struct sigaction original[NHANDLED];
static bool installed[NHANDLED];
static volatile sig_atomic_t forward_pid;
static volatile sig_atomic_t last_signal;

static void on_signal(int sig)
{
	int saved = errno;
	last_signal = sig;
	pid_t pid = (pid_t)forward_pid;
	if (pid > 0 && (sig == SIGTERM || sig == SIGHUP))
		kill(pid, sig);
	errno = saved;
}

void record_signals_install(void)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < NHANDLED; i++) {
		sigaction(handled[i], NULL, &original[i]);
		if (original[i].sa_handler == SIG_IGN)
			continue;
		sigaction(handled[i], &sa, NULL);
		installed[i] = true;
	}
}

void record_signals_forward_to(pid_t pid)
{
	forward_pid = pid;
}

int record_signals_received(void)
{
	return last_signal;
}

void record_signals_restore(void)
{
	for (size_t i = 0; i < NHANDLED; i++)
		if (installed[i])
			sigaction(handled[i], &original[i], NULL);
}
