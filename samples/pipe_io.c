/*
 * Sample: a program blocked on pipe I/O.
 *
 * A writer thread sleeps DELAY_MS before each of WRITES 64-byte writes to a
 * pipe; the main thread reads them one message at a time, so nearly every
 * read blocks for about DELAY_MS. The reader times its own reads; the
 * trace's read syscalls on READ_FD must show the same durations.
 *
 * usage: pipe_io [-n WRITES] [-d DELAY_MS]
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sample_util.h"

#define USAGE "[-n WRITES] [-d DELAY_MS]"
#define MESSAGE_BYTES 64

struct writer_args {
	int fd;
	uint64_t writes, delay_ns;
};

static void *writer_main(void *arg)
{
	struct writer_args *w = arg;
	char msg[MESSAGE_BYTES];
	for (uint64_t i = 0; i < w->writes; i++) {
		sample_sleep_ns(w->delay_ns);
		memset(msg, 'a' + (int)(i % 26), sizeof msg);
		if (write(w->fd, msg, sizeof msg) != (ssize_t)sizeof msg)
			abort();
	}
	close(w->fd);
	return NULL;
}

int main(int argc, char **argv)
{
	uint64_t writes = 20, delay_ms = 20;
	int opt;
	while ((opt = getopt(argc, argv, "n:d:")) != -1) {
		switch (opt) {
		case 'n': writes = sample_arg_u64(argv[0], USAGE, optarg); break;
		case 'd': delay_ms = sample_arg_u64(argv[0], USAGE, optarg); break;
		default: fprintf(stderr, "usage: %s %s\n", argv[0], USAGE); return 2;
		}
	}
	int fds[2];
	if (pipe(fds) != 0) {
		perror("pipe");
		return 1;
	}
	uint64_t *durations = calloc(writes + 1, sizeof *durations);
	if (!durations)
		return 1;
	struct writer_args w = { fds[1], writes, delay_ms * 1000000 };
	pthread_t writer;
	pthread_create(&writer, NULL, writer_main, &w);
	char buf[MESSAGE_BYTES];
	uint64_t reads = 0, bytes = 0, read_total_ns = 0;
	for (;;) {
		uint64_t t0 = sample_now_ns();
		ssize_t n = read(fds[0], buf, sizeof buf);
		uint64_t t1 = sample_now_ns();
		if (n <= 0)
			break;
		read_total_ns += t1 - t0;
		if (reads <= writes)
			durations[reads] = t1 - t0;
		reads++;
		bytes += (uint64_t)n;
	}
	pthread_join(writer, NULL);
	close(fds[0]);
	printf("truth: pid=%d read_fd=%d writes=%llu delay_ns=%llu reads=%llu bytes=%llu "
	       "read_median_ns=%llu read_total_ns=%llu\n",
	       (int)getpid(), fds[0], (unsigned long long)writes,
	       (unsigned long long)delay_ms * 1000000, (unsigned long long)reads,
	       (unsigned long long)bytes,
	       (unsigned long long)sample_median_u64(durations, reads <= writes ? reads : writes + 1),
	       (unsigned long long)read_total_ns);
	free(durations);
	return 0;
}
