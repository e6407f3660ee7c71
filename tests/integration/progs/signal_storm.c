/*
 * Robustness program: its own signal handlers fire thousands of times
 * while its threads sit in syscalls. SIGUSR1 is sent to the reading thread
 * USR1_COUNT times (each only after the previous one was handled) and a
 * SIGALRM interval timer ticks every 500 µs, while the main thread does
 * blocking pipe reads and writes, nanosleeps and mutex operations. All
 * handlers are SA_RESTART, so the pipe reads and writes must never see
 * EINTR; a tracer whose own signals leak through would show up here.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define USR1_COUNT 5000
#define MESSAGES 20000

static volatile sig_atomic_t usr1_seen, alarms_seen;
static int pipe_fds[2];
static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void on_usr1(int sig)
{
	(void)sig;
	usr1_seen++;
}

static void on_alarm(int sig)
{
	(void)sig;
	alarms_seen++;
}

struct sender {
	pthread_t target;
	long eintr_write;
};

/* Writes MESSAGES bytes to the pipe, interleaving SIGUSR1s at the reader. */
static void *sender_main(void *arg)
{
	struct sender *s = arg;
	sigset_t block;
	sigemptyset(&block);
	sigaddset(&block, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &block, NULL);
	int sent = 0;
	for (int i = 0; i < MESSAGES; i++) {
		char c = (char)i;
		ssize_t n;
		while ((n = write(pipe_fds[1], &c, 1)) < 0 && errno == EINTR)
			s->eintr_write++;
		if (n != 1)
			abort();
		if (sent < USR1_COUNT && i % (MESSAGES / USR1_COUNT) == 0) {
			int before = usr1_seen;
			pthread_kill(s->target, SIGUSR1);
			sent++;
			while (usr1_seen == before)
				sched_yield();
		}
		pthread_mutex_lock(&counter_lock);
		counter++;
		pthread_mutex_unlock(&counter_lock);
	}
	close(pipe_fds[1]);
	return NULL;
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_flags = SA_RESTART;
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	if (pipe(pipe_fds) != 0)
		return 1;
	struct itimerval it = { { 0, 500 }, { 0, 500 } };
	setitimer(ITIMER_REAL, &it, NULL);

	struct sender s = { .target = pthread_self() };
	pthread_t sender;
	pthread_create(&sender, NULL, sender_main, &s);
	long bytes = 0, eintr_read = 0, sleeps_interrupted = 0;
	char buf[64];
	for (;;) {
		ssize_t n = read(pipe_fds[0], buf, sizeof buf);
		if (n < 0 && errno == EINTR) {
			eintr_read++;
			continue;
		}
		if (n <= 0)
			break;
		bytes += n;
		if (bytes % 1000 < (long)n) {
			/* nanosleep is never restarted: EINTR is expected here,
			 * and the remaining time is slept again. */
			struct timespec ts = { 0, 200000 };
			while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
				sleeps_interrupted++;
		}
	}
	pthread_join(sender, NULL);
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	setitimer(ITIMER_REAL, &off, NULL);
	printf("bytes %ld counter %ld\n", bytes, counter);
	printf("usr1 handled %d\n", (int)usr1_seen);
	printf("alarms at least 100: %s\n", alarms_seen >= 100 ? "yes" : "no");
	printf("EINTR on restartable calls: read %ld write %ld\n", eintr_read, s.eintr_write);
	(void)sleeps_interrupted;
	return 0;
}
