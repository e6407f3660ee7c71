/*
 * Plain C side of ctrace's event schema: the enumerations and the counter
 * group that ctrace_tp.h puts on the wire. Kept apart from ctrace_tp.h
 * because that header is read several times by LTTng's macro machinery,
 * while these definitions must be seen once.
 *
 * Readers (the analyzer) rely on these numeric values; append, never renumber.
 */
#ifndef CTRACE_SCHEMA_H
#define CTRACE_SCHEMA_H

#include <stdint.h>

/* What a lock_wait event waited on. */
enum ctrace_lock_kind {
	CTRACE_LOCK_MUTEX = 0,
	CTRACE_LOCK_RWLOCK_READ = 1,
	CTRACE_LOCK_RWLOCK_WRITE = 2,
	CTRACE_LOCK_COND = 3,   /* pthread_cond_*wait, including the re-lock */
	CTRACE_LOCK_SEM = 4,
	CTRACE_LOCK_SPIN = 5,
};

/* Which call a syscall event timed (libc entry points, not kernel numbers:
 * usleep and sleep reach the kernel without calling the exported nanosleep). */
enum ctrace_sys {
	CTRACE_SYS_READ = 0, CTRACE_SYS_WRITE, CTRACE_SYS_PREAD, CTRACE_SYS_PWRITE,
	CTRACE_SYS_READV, CTRACE_SYS_WRITEV, CTRACE_SYS_RECV, CTRACE_SYS_RECVFROM,
	CTRACE_SYS_RECVMSG, CTRACE_SYS_SEND, CTRACE_SYS_SENDTO, CTRACE_SYS_SENDMSG,
	CTRACE_SYS_ACCEPT, CTRACE_SYS_ACCEPT4, CTRACE_SYS_CONNECT, CTRACE_SYS_POLL,
	CTRACE_SYS_PPOLL, CTRACE_SYS_SELECT, CTRACE_SYS_PSELECT, CTRACE_SYS_EPOLL_WAIT,
	CTRACE_SYS_EPOLL_PWAIT, CTRACE_SYS_NANOSLEEP, CTRACE_SYS_CLOCK_NANOSLEEP,
	CTRACE_SYS_USLEEP, CTRACE_SYS_SLEEP, CTRACE_SYS_OPEN, CTRACE_SYS_OPENAT,
	CTRACE_SYS_CLOSE, CTRACE_SYS_FSYNC, CTRACE_SYS_FDATASYNC, CTRACE_SYS_WAITPID,
	CTRACE_SYS_WAIT4,
	CTRACE_SYS_COUNT
};

/* cpu_sample flags */
#define CTRACE_SAMPLE_TRUNCATED 1u   /* stack deeper than the frames kept */
#define CTRACE_SAMPLE_NO_STACK  2u   /* unwinding was unsafe at that instant */

/* Short waits and allocations are too frequent for an event each (see
 * FIELD-NOTES: one event per contended acquisition triples run time).
 * Each thread sums them and flushes the sums on its region boundaries, at
 * exit and periodically, so per-region totals stay exact. */
struct ctrace_counters {
	uint64_t alloc_bytes;
	uint64_t alloc_count;
	uint64_t lock_short_ns;     /* contended waits below the lock threshold */
	uint64_t sys_short_ns;      /* syscalls below the syscall threshold */
	uint32_t lock_short_count;
	uint32_t sys_short_count;
};

#endif /* CTRACE_SCHEMA_H */
