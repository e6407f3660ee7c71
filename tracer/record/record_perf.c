/*
 * perf context-switch capture (see record_perf.h).
 *
 * Ring buffer protocol: the kernel advances data_head, we read records
 * between our data_tail and data_head, then publish data_tail. Records are
 * 8-byte multiples, so a header never straddles the end of the buffer but a
 * record can: such records are copied out first.
 */
#include <errno.h>
#include <linux/perf_event.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "record_perf.h"

#define RING_PAGES_MAX 256u    /* 1 MiB per CPU: no loss at 800k switches/s */
#define RING_PAGES_MIN 8u
#define RING_PAGES_TOTAL 4096u /* 16 MiB over all CPUs on big machines */
#define POLL_MS 100            /* drain at least this often */

struct perf_ring {
	int fd;                    /* -1: CPU offline */
	void *map;
	size_t map_len;
	uint8_t *data;
	uint64_t size;
	bool hung_up;              /* the task it was opened on is gone */
};

struct record_perf {
	uint32_t ncpus;
	struct perf_ring *rings;
	int stop_fd;
	struct pollfd *pfd;        /* reader's poll set: rings + stop_fd */
	pthread_t thread;
	bool running;
	struct record_sched_ctf *w;
	uint64_t reader_cpu_ns;
	uint8_t scratch[1u << 16]; /* a record that wraps around */
};

/* The trailer sample_id_all appends to every record, for our sample_type. */
struct sample_id {
	uint32_t pid, tid;
	uint64_t time;
	uint32_t cpu, res;
};

struct task_body {
	uint32_t pid, ppid, tid, ptid;
	uint64_t time;
};

static int perf_open(struct perf_event_attr *a, pid_t pid, int cpu)
{
	return (int)syscall(SYS_perf_event_open, a, pid, cpu, -1, PERF_FLAG_FD_CLOEXEC);
}

static void attr_init(struct perf_event_attr *a, unsigned pages)
{
	long page = sysconf(_SC_PAGESIZE);
	*a = (struct perf_event_attr){
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof *a,
		.config = PERF_COUNT_SW_DUMMY,
		.sample_type = PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_CPU,
		.disabled = 1,
		.enable_on_exec = 1,
		.inherit = 1,
		.exclude_kernel = 1,
		.exclude_hv = 1,
		.task = 1,
		.comm = 1,
		.comm_exec = 1,
		.context_switch = 1,
		.sample_id_all = 1,
		.use_clockid = 1,
		.clockid = CLOCK_MONOTONIC,
		.watermark = 1,
		.wakeup_watermark = (uint32_t)(pages * (unsigned long)page / 4),
	};
}

static int ring_map(struct perf_ring *r, unsigned pages)
{
	long page = sysconf(_SC_PAGESIZE);
	r->map_len = (size_t)(pages + 1) * (size_t)page;
	r->map = mmap(NULL, r->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, 0);
	if (r->map == MAP_FAILED) {
		r->map = NULL;
		return -1;
	}
	r->data = (uint8_t *)r->map + page;
	r->size = (uint64_t)pages * (uint64_t)page;
	return 0;
}

void record_perf_close(struct record_perf *p)
{
	if (!p)
		return;
	if (p->running)
		record_perf_stop(p);
	for (uint32_t i = 0; i < p->ncpus; i++) {
		if (p->rings[i].map)
			munmap(p->rings[i].map, p->rings[i].map_len);
		if (p->rings[i].fd >= 0)
			close(p->rings[i].fd);
	}
	if (p->stop_fd >= 0)
		close(p->stop_fd);
	free(p->pfd);
	free(p->rings);
	free(p);
}

struct record_perf *record_perf_open(pid_t pid, bool *not_permitted, struct record_err *e)
{
	*not_permitted = false;
	long n = sysconf(_SC_NPROCESSORS_CONF);
	struct record_perf *p = calloc(1, sizeof *p);
	if (!p || n <= 0 || !(p->rings = calloc((size_t)n, sizeof *p->rings))) {
		free(p);
		record_err_set(e, "out of memory");
		return NULL;
	}
	p->ncpus = (uint32_t)n;
	p->stop_fd = -1;
	for (uint32_t i = 0; i < p->ncpus; i++)
		p->rings[i].fd = -1;

	/* Halved further below when the user's locked-memory limit says so. */
	unsigned pages = RING_PAGES_MAX;
	while (pages > RING_PAGES_MIN && pages * p->ncpus > RING_PAGES_TOTAL)
		pages /= 2;
	uint32_t opened = 0;
	for (uint32_t cpu = 0; cpu < p->ncpus; cpu++) {
		struct perf_ring *r = &p->rings[cpu];
		for (;;) {
			struct perf_event_attr a;
			attr_init(&a, pages);
			r->fd = perf_open(&a, pid, (int)cpu);
			if (r->fd < 0)
				break;
			if (ring_map(r, pages) == 0)
				break;
			int err = errno;
			close(r->fd);
			r->fd = -1;
			/* Locked-memory limits of unprivileged users: smaller rings. */
			if (err != EPERM || pages <= RING_PAGES_MIN) {
				errno = err;
				break;
			}
			pages /= 2;
		}
		if (r->fd >= 0 && r->map) {
			opened++;
			continue;
		}
		int err = errno;
		if (err == ENODEV || err == ENXIO)
			continue;   /* offline CPU */
		*not_permitted = err == EACCES || err == EPERM;
		record_err_set(e, "perf_event_open (context switches, cpu %u): %s", cpu, strerror(err));
		record_perf_close(p);
		return NULL;
	}
	if (opened == 0) {
		record_err_set(e, "perf_event_open: no CPU online?");
		record_perf_close(p);
		return NULL;
	}
	p->stop_fd = eventfd(0, EFD_CLOEXEC);
	p->pfd = calloc(p->ncpus + 1u, sizeof *p->pfd);
	if (p->stop_fd < 0 || !p->pfd) {
		record_err_set(e, "eventfd: %s", p->pfd ? strerror(errno) : "out of memory");
		record_perf_close(p);
		return NULL;
	}
	return p;
}

uint32_t record_perf_cpus(const struct record_perf *p)
{
	return p->ncpus;
}

static void handle_record(struct record_perf *p, uint32_t cpu, const struct perf_event_header *h)
{
	const uint8_t *rec = (const uint8_t *)h;
	if (h->size < sizeof *h + sizeof(struct sample_id))
		return;
	struct sample_id id;
	memcpy(&id, rec + h->size - sizeof id, sizeof id);
	const uint8_t *body = rec + sizeof *h;
	size_t body_len = h->size - sizeof *h - sizeof id;
	switch (h->type) {
	case PERF_RECORD_SWITCH: {
		bool out = h->misc & PERF_RECORD_MISC_SWITCH_OUT;
		bool preempted = out && (h->misc & PERF_RECORD_MISC_SWITCH_OUT_PREEMPT);
		record_sched_ctf_switch(p->w, cpu, id.time, (int32_t)id.pid, (int32_t)id.tid, out, preempted);
		break;
	}
	case PERF_RECORD_FORK:
	case PERF_RECORD_EXIT: {
		struct task_body t;
		if (body_len < sizeof t)
			return;
		memcpy(&t, body, sizeof t);
		record_sched_ctf_task(p->w, cpu, id.time,
				      h->type == PERF_RECORD_FORK ? RECORD_SCHED_FORK : RECORD_SCHED_EXIT,
				      (int32_t)t.pid, (int32_t)t.tid, (int32_t)t.ppid, (int32_t)t.ptid);
		break;
	}
	case PERF_RECORD_COMM: {
		uint32_t ids[2];
		if (body_len <= sizeof ids)
			return;
		memcpy(ids, body, sizeof ids);
		char comm[64];
		size_t n = body_len - sizeof ids < sizeof comm - 1 ? body_len - sizeof ids : sizeof comm - 1;
		memcpy(comm, body + sizeof ids, n);
		comm[n] = '\0';
		record_sched_ctf_comm(p->w, cpu, id.time, (int32_t)ids[0], (int32_t)ids[1], comm,
				      h->misc & PERF_RECORD_MISC_COMM_EXEC);
		break;
	}
	case PERF_RECORD_LOST: {
		uint64_t lost[2];
		if (body_len < sizeof lost)
			return;
		memcpy(lost, body, sizeof lost);
		record_sched_ctf_lost(p->w, cpu, lost[1]);
		break;
	}
	default:
		break;
	}
}

static void ring_drain(struct record_perf *p, uint32_t cpu)
{
	struct perf_ring *r = &p->rings[cpu];
	struct perf_event_mmap_page *meta = r->map;
	uint64_t head = __atomic_load_n(&meta->data_head, __ATOMIC_ACQUIRE);
	uint64_t tail = meta->data_tail;
	while (tail < head) {
		uint64_t off = tail % r->size;
		const struct perf_event_header *h = (const void *)(r->data + off);
		if (h->size == 0)
			break;   /* cannot happen; do not spin on a corrupt ring */
		if (off + h->size > r->size) {
			uint64_t first = r->size - off;
			/* h->size is 16-bit: scratch always holds a record. */
			memcpy(p->scratch, r->data + off, first);
			memcpy(p->scratch + first, r->data, h->size - first);
			handle_record(p, cpu, (const void *)p->scratch);
		} else {
			handle_record(p, cpu, h);
		}
		tail += h->size;
	}
	__atomic_store_n(&meta->data_tail, tail, __ATOMIC_RELEASE);
}

static void drain_all(struct record_perf *p)
{
	for (uint32_t cpu = 0; cpu < p->ncpus; cpu++)
		if (p->rings[cpu].map)
			ring_drain(p, cpu);
}

static void *reader_main(void *arg)
{
	struct record_perf *p = arg;
	struct pollfd *pfd = p->pfd;
	bool stop = false;
	while (!stop) {
		nfds_t n = 0;
		for (uint32_t cpu = 0; cpu < p->ncpus; cpu++)
			if (p->rings[cpu].map && !p->rings[cpu].hung_up)
				pfd[n++] = (struct pollfd){ .fd = p->rings[cpu].fd, .events = POLLIN };
		pfd[n++] = (struct pollfd){ .fd = p->stop_fd, .events = POLLIN };
		if (poll(pfd, n, POLL_MS) > 0) {
			stop = pfd[n - 1].revents & POLLIN;
			/* The task an event was opened on ended: its fd stays
			 * readable (POLLHUP) while inherited copies may still
			 * write to the ring; drain that one periodically. */
			for (nfds_t i = 0; i + 1 < n; i++)
				if (pfd[i].revents & (POLLHUP | POLLERR))
					for (uint32_t cpu = 0; cpu < p->ncpus; cpu++)
						if (p->rings[cpu].fd == pfd[i].fd)
							p->rings[cpu].hung_up = true;
		}
		drain_all(p);
	}
	p->reader_cpu_ns = record_clock_ns(CLOCK_THREAD_CPUTIME_ID);
	return NULL;
}

int record_perf_start(struct record_perf *p, struct record_sched_ctf *w, struct record_err *e)
{
	p->w = w;
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	int rc = pthread_create(&p->thread, NULL, reader_main, p);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0)
		return record_err_set(e, "cannot start the perf reader thread: %s", strerror(rc));
	p->running = true;
	return 0;
}

void record_perf_stop(struct record_perf *p)
{
	if (!p->running)
		return;
	uint64_t one = 1;
	(void)!write(p->stop_fd, &one, sizeof one);
	pthread_join(p->thread, NULL);
	p->running = false;
}

uint64_t record_perf_reader_cpu_ns(const struct record_perf *p)
{
	return p->reader_cpu_ns;
}
