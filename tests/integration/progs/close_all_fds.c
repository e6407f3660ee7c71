/*
 * Robustness program: closes every file descriptor but 0-2, as daemons and
 * test harnesses do, in the three usual ways (a close() loop up to the
 * descriptor limit, closefrom, close_range), then keeps working: starts
 * threads and times reads from a pipe that a writer feeds with delays.
 * The tracer's own descriptors (LTTng's sockets and shared memory) must
 * survive each, so the work after them still shows up in the trace.
 *
 * usage: close_all_fds
 */
#include <pthread.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

#define CHUNKS 5
#define DELAY_US 20000

static int fds[2];

static void *writer(void *arg)
{
	(void)arg;
	for (int i = 0; i < CHUNKS; i++) {
		usleep(DELAY_US);
		if (write(fds[1], "x", 1) != 1)
			return NULL;
	}
	return NULL;
}

/* Threads and pipe reads after a round of closing. */
static int work(void)
{
	if (pipe(fds) != 0)
		return -1;
	pthread_t t;
	if (pthread_create(&t, NULL, writer, NULL) != 0)
		return -1;
	char c;
	int got = 0;
	for (int i = 0; i < CHUNKS; i++)
		got += read(fds[0], &c, 1) == 1;
	pthread_join(t, NULL);
	close(fds[0]);
	close(fds[1]);
	return got;
}

int main(void)
{
	struct rlimit rl;
	long max = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 65536 ? (long)rl.rlim_cur : 65536;
	for (long fd = 3; fd < max; fd++)
		close((int)fd);
	int a = work();
	closefrom(3);
	int b = work();
	close_range(3, ~0u, 0);
	int c = work();
	printf("reads after close loop %d, closefrom %d, close_range %d\n", a, b, c);
	return a == CHUNKS && b == CHUNKS && c == CHUNKS ? 0 : 1;
}
