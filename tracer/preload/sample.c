/*
 * CPU-time sampling with full user stacks, like pprof's CPU profile.
 *
 * Each traced thread owns a POSIX timer on its own CPU-time clock
 * (CLOCK_THREAD_CPUTIME_ID) that sends preload_cfg.sample_signal to that
 * very thread (SIGEV_THREAD_ID) every sample_period_ns of CPU it uses; a
 * thread that sleeps or blocks takes no samples. The kernel checks these
 * timers on its tick, so rates above HZ (250 here) are capped. The handler
 * unwinds from the interrupted context with libunwind, which follows
 * .eh_frame: -O2 code without frame pointers is unwound correctly.
 *
 * The signal. A real-time signal nobody uses by default (SIGRTMAX-3; glibc
 * keeps 32 and 33 for itself, programs usually count up from SIGRTMIN),
 * settable with CTRACE_SAMPLE_SIGNAL. The handler is installed only when
 * the signal has no handler yet, and nothing else of the program's signal
 * setup is touched. SA_RESTART makes the kernel restart most calls it
 * interrupts; the syscall interposers retry the others (syscall_span.h).
 * Limits: a thread that blocks the signal takes no samples; a program that
 * later installs its own handler on it takes over the signal (and our
 * samples stop); calls we do not interpose that the kernel never restarts
 * (pause, sigsuspend, sigtimedwait, semop...) can see an EINTR of ours,
 * though only when the timer expires right at their entry, since a
 * blocked thread uses no CPU.
 *
 * Signal safety. The handler allocates nothing and takes no lock in the
 * steady state: it walks the stack with libunwind's trace mode, whose
 * per-thread cache of frame rules needs no lock once warm (see
 * sample_trace), and LTTng's per-thread data is set up with
 * lttng_ust_init_thread() before the thread's timer exists. libunwind's
 * process-wide first-use paths run in sample_process_init; a thread's
 * trace cache is made in its first sample (sample_warm_up_process says why
 * and what that takes). An address never unwound before still goes through
 * libunwind's DWARF parser: its global rule cache (lock with signals
 * masked) and dl_iterate_phdr, which takes the loader's recursive lock: if
 * the signal lands while this very thread is inside dlopen, that walk can
 * see the object list mid-update (rare; not guarded). libunwind is not
 * reentrant: while this thread is already unwinding (in_unwind, see
 * stack.c), the sample keeps only the interrupted address and says
 * CTRACE_SAMPLE_NO_STACK. Programs that use libunwind themselves share its
 * caches with us.
 *
 * Cost measured here (2 vCPU VM, -O2 program without frame pointers, 250
 * Hz, session recording): ~1.3 us to unwind 6 frames, ~2.7 us for 64, plus
 * ~1.3-3 us to emit the event; through unw_step it was 4 us for 5 frames
 * and 31 us for 64.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include <lttng/ust-thread.h>
#define UNW_LOCAL_ONLY
#include <libunwind.h>

#include "preload.h"
#include "../provider/ctrace_tp.h"

#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id _sigev_un._tid
#endif

#define SAMPLE_MAX_FRAMES 256

static bool sample_installed;

uint16_t preload_unwind_checked(void *uc, int init_flags, uint64_t *frames, uint16_t max,
				uint8_t *flags)
{
	unw_cursor_t c;
	if (unw_init_local2(&c, uc, init_flags) < 0)
		return 0;
	uint16_t n = 0;
	for (;;) {
		unw_word_t ip;
		if (unw_get_reg(&c, UNW_REG_IP, &ip) < 0 || ip == 0)
			break;
		if (n == max) {
			*flags |= CTRACE_SAMPLE_TRUNCATED;
			break;
		}
		frames[n++] = ip;
		if (unw_step(&c) <= 0)
			break;
	}
	return n;
}

/* The fast way: libunwind's trace mode (unw_backtrace) keeps a per-thread
 * cache of each return address's frame rule and, once warm, walks a stack
 * without locks or system calls; unw_step goes through libunwind's global
 * rule cache, whose lock masks signals (two sigprocmask calls per frame,
 * ~0.5 us a frame here: Debian builds it without the per-thread cache). It
 * starts from here, so it also walks this handler and the kernel's signal
 * frame; the interrupted frame is the one whose address is uc's IP. Falls
 * back to unw_step from uc when that frame is not among the first few. */
#define SAMPLE_OWN 8       /* frames of ours above the interrupted one, at most */

/* One buffer for both views, to keep the handler's stack use down (it runs
 * on whatever stack the thread was using). */
union sample_buf {
	void *raw[SAMPLE_MAX_FRAMES + SAMPLE_OWN + 1];
	uint64_t frames[SAMPLE_MAX_FRAMES + SAMPLE_OWN + 1];
};

/* Fills b with the interrupted stack; returns its depth, *first its start. */
static uint16_t sample_trace(const struct tracer_thread *t, ucontext_t *uc, union sample_buf *b,
			     uint16_t max, uint8_t *flags, const uint64_t **first)
{
	if (PRELOAD_UNLIKELY(preload_unwind_cache_stale(t))) {
		*first = b->frames;
		return preload_unwind_checked(uc, UNW_INIT_SIGNAL_FRAME, b->frames, max, flags);
	}
	int n = unw_backtrace(b->raw, max + SAMPLE_OWN + 1);
	uintptr_t ip = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
	int i = 0;
	while (i < n && i < SAMPLE_OWN && (uintptr_t)b->raw[i] != ip)
		i++;
	if (i == n || i == SAMPLE_OWN) {
		*first = b->frames;
		return preload_unwind_checked(uc, UNW_INIT_SIGNAL_FRAME, b->frames, max, flags);
	}
	*first = b->frames + i;
	if (n - i > max) {
		*flags |= CTRACE_SAMPLE_TRUNCATED;
		return max;
	}
	return (uint16_t)(n - i);
}

static uint16_t sample_max_frames(void)
{
	uint16_t max = preload_cfg.max_frames;
	return max < SAMPLE_MAX_FRAMES ? max : SAMPLE_MAX_FRAMES;
}

static void sample_handler(int sig, siginfo_t *si, void *ctx)
{
	(void)sig;
	struct tracer_thread *t = &preload_tls;
	if (si->si_code != SI_TIMER || t->mode != TRACER_THREAD_TRACED)
		return;
	int saved = errno;
	t->sample_signals++;
	t->in_tracer++;
	ucontext_t *uc = ctx;
	union sample_buf buf;
	const uint64_t *frames = buf.frames;
	uint8_t flags = 0;
	uint16_t n;
	if (t->in_unwind) {
		buf.frames[0] = (uint64_t)uc->uc_mcontext.gregs[REG_RIP];
		n = 1;
		flags = CTRACE_SAMPLE_NO_STACK;
	} else {
		t->in_unwind = 1;
		n = sample_trace(t, uc, &buf, sample_max_frames(), &flags, &frames);
		t->in_unwind = 0;
	}
	/* The periods this signal stands for (ctrace_tp.h). */
	int overrun = si->si_overrun > 0 ? si->si_overrun : 0;
	uint16_t weight = (uint16_t)(overrun < UINT16_MAX - 1 ? overrun + 1 : UINT16_MAX);
	lttng_ust_tracepoint(ctrace, cpu_sample, flags, frames, n, weight);
	t->in_tracer--;
	errno = saved;
}

/* Runs libunwind's process-wide first-use paths (its initialization, the
 * trace cache's pthread key and pool) outside any signal, and gives the
 * main thread its trace cache. Other threads get theirs in their first
 * sample: ~100 us once (mmap and fill of a 256 KiB table, one pool
 * allocation under a signal-masking lock), which only threads that use a
 * full sampling period of CPU pay; doing it at thread start cost every
 * thread ~130 us (2000 create+join: 36 -> 160 us per thread). */
static void sample_warm_up_process(void)
{
	ucontext_t uc;
	uint64_t frames[8];
	uint8_t flags = 0;
	preload_tls.in_unwind = 1;   /* libunwind opens its pipe here (fd_close.c) */
	if (unw_getcontext(&uc) == 0)
		(void)preload_unwind_checked(&uc, 0, frames, 8, &flags);
	void *raw[8];
	(void)unw_backtrace(raw, 8);
	preload_tls.in_unwind = 0;
}

void sample_process_init(void)
{
	if (preload_cfg.sample_period_ns == 0)
		return;
	int sig = preload_cfg.sample_signal;
	struct sigaction old;
	if (sig < SIGRTMIN || sig > SIGRTMAX || sigaction(sig, NULL, &old) != 0 ||
	    (old.sa_flags & SA_SIGINFO) || old.sa_handler != SIG_DFL) {
		/* Not ours to take: sampling off, and process_start says so
		 * (this runs inside preload_init, before the settings are
		 * published). */
		char msg[160];
		int len = snprintf(msg, sizeof msg,
				   "ctrace: signal %d is not a free real-time signal; CPU sampling "
				   "off (set CTRACE_SAMPLE_SIGNAL)\n", sig);
		if (len > 0)
			(void)!write(2, msg, (size_t)len < sizeof msg ? (size_t)len : sizeof msg - 1);
		preload_cfg.sample_period_ns = 0;
		return;
	}
	unw_set_caching_policy(unw_local_addr_space, UNW_CACHE_PER_THREAD);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = sample_handler;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sample_installed = sigaction(sig, &sa, NULL) == 0;
	if (sample_installed)
		sample_warm_up_process();
}

void sample_thread_start(struct tracer_thread *t)
{
	if (!sample_installed || t->has_sample_timer)
		return;
	/* LTTng's per-thread data, before a signal can need it. */
	lttng_ust_init_thread();
	struct sigevent ev;
	memset(&ev, 0, sizeof ev);
	ev.sigev_notify = SIGEV_THREAD_ID;
	ev.sigev_signo = preload_cfg.sample_signal;
	ev.sigev_notify_thread_id = t->tid;
	if (timer_create(CLOCK_THREAD_CPUTIME_ID, &ev, &t->sample_timer) != 0)
		return;
	t->has_sample_timer = 1;
	uint64_t p = preload_cfg.sample_period_ns;
	struct itimerspec its = {
		.it_interval = { (time_t)(p / 1000000000u), (long)(p % 1000000000u) },
		.it_value = { (time_t)(p / 1000000000u), (long)(p % 1000000000u) },
	};
	timer_settime(t->sample_timer, 0, &its, NULL);
}

void sample_thread_stop(struct tracer_thread *t)
{
	if (!t->has_sample_timer)
		return;
	t->has_sample_timer = 0;
	timer_delete(t->sample_timer);
}
