/*
 * Start-up and shutdown of the preload library: reads the settings, sets the
 * main thread up, announces the process, and keeps tracing correct across
 * fork (the child is a new process with one thread and no timers).
 */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "preload.h"
#include "../common/clock.h"
#include "../provider/ctrace_tp.h"

struct preload_config preload_cfg;

static void preload_die(const char *what, const char *name)
{
	/* Only reachable when libc lacks a symbol we interpose: the program
	 * could not run correctly through us, so say why and stop. */
	char msg[256];
	int n = snprintf(msg, sizeof msg, "ctrace: %s %s: %s\n", what, name, dlerror());
	if (n > 0)
		(void)!write(2, msg, (size_t)n < sizeof msg ? (size_t)n : sizeof msg - 1);
	_exit(127);
}

void *preload_dlsym(const char *name)
{
	void *p = dlsym(RTLD_NEXT, name);
	if (!p)
		preload_die("cannot find", name);
	return p;
}

void *preload_dlvsym(const char *name, const char *version)
{
	void *p = dlvsym(RTLD_NEXT, name, version);
	if (!p)
		p = preload_dlsym(name);
	return p;
}

static uint64_t env_u64(const char *name, uint64_t dflt)
{
	const char *s = getenv(name);
	if (!s || !*s)
		return dflt;
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	return *end == '\0' ? (uint64_t)v : dflt;
}

static void preload_read_config(struct preload_config *c)
{
	uint64_t hz = env_u64("CTRACE_SAMPLE_HZ", 100);
	c->sample_period_ns = hz ? 1000000000u / hz : 0;
	c->sample_signal = (int)env_u64("CTRACE_SAMPLE_SIGNAL", (uint64_t)(SIGRTMAX - 3));
	c->lock_threshold_ns = env_u64("CTRACE_LOCK_THRESHOLD_NS", 10000);
	c->syscall_threshold_ns = env_u64("CTRACE_SYSCALL_THRESHOLD_NS", 10000);
	c->alloc_sample_bytes = env_u64("CTRACE_ALLOC_SAMPLE_BYTES", 512 * 1024);
	/* Burst defaults: see the measurements in alloc.c. */
	c->alloc_check_bytes = env_u64("CTRACE_ALLOC_CHECK_BYTES", 512 * 1024);
	c->burst.rate_bytes_per_ms = env_u64("CTRACE_BURST_RATE_BYTES_PER_MS", 100 * 1024);
	c->burst.min_bytes = env_u64("CTRACE_BURST_MIN_BYTES", 1024 * 1024);
	c->flush_period_ns = env_u64("CTRACE_FLUSH_PERIOD_NS", 10000000);
	c->release_stack_every = (uint32_t)env_u64("CTRACE_RELEASE_STACK_EVERY", 16);
	if (c->release_stack_every == 0)
		c->release_stack_every = 1;
	uint64_t frames = env_u64("CTRACE_MAX_FRAMES", 64);
	c->max_frames = (uint16_t)(frames > 256 ? 256 : frames < 1 ? 1 : frames);
	c->mmap_min_bytes = env_u64("CTRACE_MMAP_MIN_BYTES", 1024 * 1024);
}

static void preload_announce(uint8_t forked)
{
	struct tracer_thread *t = tracer_thread_self();
	if (!t)
		return;
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	exe[n > 0 ? n : 0] = '\0';
	const struct preload_config *c = &preload_cfg;
	t->in_tracer++;
	lttng_ust_tracepoint(ctrace, process_start, getppid(), exe,
			     c->sample_period_ns, c->lock_threshold_ns,
			     c->syscall_threshold_ns, c->alloc_sample_bytes,
			     c->burst.min_bytes, c->burst.rate_bytes_per_ms, forked);
	t->in_tracer--;
	thread_name_emit_self(t);
}

/* In the child of any fork (also libc-internal ones, e.g. system()): one
 * thread left, the caller's, with a new tid and no timers. Regions and
 * labels open in the parent are the parent's. Nothing is emitted here: this
 * runs inside libc's fork, before liblttng-ust-fork has reset LTTng's cached
 * vpid/vtid, so an event now would carry the parent's ids. */
static void preload_after_fork_child(void)
{
	struct tracer_thread *t = &preload_tls;
	if (t->mode == TRACER_THREAD_TRACED) {
		uint8_t in_tracer = t->in_tracer;   /* set by our fork() wrapper */
		*t = (struct tracer_thread){ 0 };
		t->in_tracer = in_tracer;
	}
}

/* fork() itself is wrapped so the child is announced after the whole chain
 * (liblttng-ust-fork's wrapper, libc) has returned, with its own ids. */
PRELOAD_EXPORT pid_t fork(void)
{
	PRELOAD_REAL(fork);
	struct tracer_thread *t = &preload_tls;
	bool traced = t->mode == TRACER_THREAD_TRACED;
	/* LTTng's fork hooks lock and wait (the child re-registers with the
	 * session daemon): that is the tracer's time, not the program's. */
	t->in_tracer++;
	pid_t pid = real_fork();
	int saved = errno;
	t->in_tracer--;
	if (pid == 0 && traced)
		preload_announce(1);
	errno = saved;
	return pid;
}

void preload_tracepoints_init(void);

__attribute__((constructor(101))) static void preload_init(void)
{
	preload_tracepoints_init();
	preload_lttng_code_init();
	preload_read_config(&preload_cfg);
	sample_process_init();
	pthread_atfork(NULL, NULL, preload_after_fork_child);
	__atomic_store_n(&preload_cfg.ready, true, __ATOMIC_RELEASE);
	preload_announce(0);
}

__attribute__((destructor(101))) static void preload_fini(void)
{
	struct tracer_thread *t = &preload_tls;
	if (t->mode == TRACER_THREAD_TRACED) {
		preload_thread_finish(t);
		lttng_ust_tracepoint(ctrace, process_exit, getpid());
	}
}
