/*
 * The ctrace event schema: every event ctrace's tracer emits, provider
 * `ctrace`. This header is the documentation of the trace format.
 *
 * Every event also carries the vpid and vtid contexts (added by
 * `ctrace record`) and the CPU of its per-CPU ring buffer (packet context).
 * Timestamps named *_ts are CLOCK_MONOTONIC nanoseconds, the clock LTTng
 * stamps events with, so `begin_ts` and the event's own timestamp bound a
 * wait directly. A wait is emitted once, when it ends, carrying its start:
 * half the events of a begin/end pair, and the wait's length is known at
 * emission so short ones can go to counters instead (ctrace_schema.h).
 *
 * Scheduling (switch-in/out per CPU) does not come through this provider:
 * `ctrace record` reads it from perf and writes the `sched/` CTF trace next
 * to the UST one, on the same clock.
 */
#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER ctrace

#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "ctrace_tp.h"

#if !defined(CTRACE_TP_H) || defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define CTRACE_TP_H

#include <lttng/tracepoint.h>
#include "ctrace_schema.h"

/* The counter group flushed with region boundaries, thread exits and the
 * periodic `counters` event: sums since the thread's previous flush. */
#define CTRACE_TP_COUNTER_FIELDS(c)                                           \
	lttng_ust_field_integer(uint64_t, alloc_bytes, (c)->alloc_bytes)      \
	lttng_ust_field_integer(uint64_t, alloc_count, (c)->alloc_count)      \
	lttng_ust_field_integer(uint64_t, lock_short_ns, (c)->lock_short_ns)  \
	lttng_ust_field_integer(uint32_t, lock_short_count, (c)->lock_short_count) \
	lttng_ust_field_integer(uint64_t, sys_short_ns, (c)->sys_short_ns)    \
	lttng_ust_field_integer(uint32_t, sys_short_count, (c)->sys_short_count)

LTTNG_UST_TRACEPOINT_ENUM(ctrace, lock_kind,
	LTTNG_UST_TP_ENUM_VALUES(
		lttng_ust_field_enum_value("mutex", CTRACE_LOCK_MUTEX)
		lttng_ust_field_enum_value("rwlock_read", CTRACE_LOCK_RWLOCK_READ)
		lttng_ust_field_enum_value("rwlock_write", CTRACE_LOCK_RWLOCK_WRITE)
		lttng_ust_field_enum_value("cond", CTRACE_LOCK_COND)
		lttng_ust_field_enum_value("sem", CTRACE_LOCK_SEM)
		lttng_ust_field_enum_value("spin", CTRACE_LOCK_SPIN)
	)
)

LTTNG_UST_TRACEPOINT_ENUM(ctrace, sys,
	LTTNG_UST_TP_ENUM_VALUES(
		lttng_ust_field_enum_value("read", CTRACE_SYS_READ)
		lttng_ust_field_enum_value("write", CTRACE_SYS_WRITE)
		lttng_ust_field_enum_value("pread", CTRACE_SYS_PREAD)
		lttng_ust_field_enum_value("pwrite", CTRACE_SYS_PWRITE)
		lttng_ust_field_enum_value("readv", CTRACE_SYS_READV)
		lttng_ust_field_enum_value("writev", CTRACE_SYS_WRITEV)
		lttng_ust_field_enum_value("recv", CTRACE_SYS_RECV)
		lttng_ust_field_enum_value("recvfrom", CTRACE_SYS_RECVFROM)
		lttng_ust_field_enum_value("recvmsg", CTRACE_SYS_RECVMSG)
		lttng_ust_field_enum_value("send", CTRACE_SYS_SEND)
		lttng_ust_field_enum_value("sendto", CTRACE_SYS_SENDTO)
		lttng_ust_field_enum_value("sendmsg", CTRACE_SYS_SENDMSG)
		lttng_ust_field_enum_value("accept", CTRACE_SYS_ACCEPT)
		lttng_ust_field_enum_value("accept4", CTRACE_SYS_ACCEPT4)
		lttng_ust_field_enum_value("connect", CTRACE_SYS_CONNECT)
		lttng_ust_field_enum_value("poll", CTRACE_SYS_POLL)
		lttng_ust_field_enum_value("ppoll", CTRACE_SYS_PPOLL)
		lttng_ust_field_enum_value("select", CTRACE_SYS_SELECT)
		lttng_ust_field_enum_value("pselect", CTRACE_SYS_PSELECT)
		lttng_ust_field_enum_value("epoll_wait", CTRACE_SYS_EPOLL_WAIT)
		lttng_ust_field_enum_value("epoll_pwait", CTRACE_SYS_EPOLL_PWAIT)
		lttng_ust_field_enum_value("nanosleep", CTRACE_SYS_NANOSLEEP)
		lttng_ust_field_enum_value("clock_nanosleep", CTRACE_SYS_CLOCK_NANOSLEEP)
		lttng_ust_field_enum_value("usleep", CTRACE_SYS_USLEEP)
		lttng_ust_field_enum_value("sleep", CTRACE_SYS_SLEEP)
		lttng_ust_field_enum_value("open", CTRACE_SYS_OPEN)
		lttng_ust_field_enum_value("openat", CTRACE_SYS_OPENAT)
		lttng_ust_field_enum_value("close", CTRACE_SYS_CLOSE)
		lttng_ust_field_enum_value("fsync", CTRACE_SYS_FSYNC)
		lttng_ust_field_enum_value("fdatasync", CTRACE_SYS_FDATASYNC)
		lttng_ust_field_enum_value("waitpid", CTRACE_SYS_WAITPID)
		lttng_ust_field_enum_value("wait4", CTRACE_SYS_WAIT4)
	)
)

/* ---- process ------------------------------------------------------------ */

/* First event of every traced process (also after fork and exec), with the
 * settings the analyzer needs to interpret counters and samples. */
LTTNG_UST_TRACEPOINT_EVENT(ctrace, process_start,
	LTTNG_UST_TP_ARGS(int32_t, ppid, const char *, exe,
		uint64_t, sample_period_ns, uint64_t, lock_threshold_ns,
		uint64_t, syscall_threshold_ns, uint64_t, alloc_sample_bytes,
		uint64_t, burst_min_bytes, uint64_t, burst_rate_bytes_per_ms,
		uint8_t, forked),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int32_t, ppid, ppid)
		lttng_ust_field_string(exe, exe)
		lttng_ust_field_integer(uint64_t, sample_period_ns, sample_period_ns)
		lttng_ust_field_integer(uint64_t, lock_threshold_ns, lock_threshold_ns)
		lttng_ust_field_integer(uint64_t, syscall_threshold_ns, syscall_threshold_ns)
		lttng_ust_field_integer(uint64_t, alloc_sample_bytes, alloc_sample_bytes)
		lttng_ust_field_integer(uint64_t, burst_min_bytes, burst_min_bytes)
		lttng_ust_field_integer(uint64_t, burst_rate_bytes_per_ms, burst_rate_bytes_per_ms)
		lttng_ust_field_integer(uint8_t, forked, forked)
	)
)

/* Last event of a process that exits through exit() or main's return. */
LTTNG_UST_TRACEPOINT_EVENT(ctrace, process_exit,
	LTTNG_UST_TP_ARGS(int32_t, pid),
	LTTNG_UST_TP_FIELDS(lttng_ust_field_integer(int32_t, pid, pid))
)

/* ---- threads ------------------------------------------------------------ */

/* In the creating thread, before the thread exists. `id` pairs it with the
 * child's thread_start. */
LTTNG_UST_TRACEPOINT_EVENT(ctrace, thread_create,
	LTTNG_UST_TP_ARGS(uint64_t, id, uint64_t, start_routine),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(uint64_t, id, id)
		lttng_ust_field_integer_hex(uint64_t, start_routine, start_routine)
	)
)

/* First event of a new thread. `pthread` is its pthread_t, so joins (which
 * name a pthread_t) can be mapped to tids; pthread_t values are reused after
 * a join, so readers keep the latest mapping. */
LTTNG_UST_TRACEPOINT_EVENT(ctrace, thread_start,
	LTTNG_UST_TP_ARGS(int32_t, parent_tid, uint64_t, id,
		uint64_t, start_routine, uint64_t, pthread),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int32_t, parent_tid, parent_tid)
		lttng_ust_field_integer(uint64_t, id, id)
		lttng_ust_field_integer_hex(uint64_t, start_routine, start_routine)
		lttng_ust_field_integer_hex(uint64_t, pthread, pthread)
	)
)

/* pthread_setname_np or prctl(PR_SET_NAME); `tid` is the renamed thread. */
LTTNG_UST_TRACEPOINT_EVENT(ctrace, thread_name,
	LTTNG_UST_TP_ARGS(int32_t, tid, const char *, name),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int32_t, tid, tid)
		lttng_ust_field_string(name, name)
	)
)

/* Last event of a thread (return, pthread_exit, cancellation), with its
 * final counter flush. */
LTTNG_UST_TRACEPOINT_EVENT(ctrace, thread_exit,
	LTTNG_UST_TP_ARGS(const struct ctrace_counters *, c),
	LTTNG_UST_TP_FIELDS(CTRACE_TP_COUNTER_FIELDS(c))
)

/* pthread_join returned; the joiner waited from begin_ts. stack is where
 * it joined (as lock_wait's; joins are rare, so always captured). */
LTTNG_UST_TRACEPOINT_EVENT(ctrace, thread_join,
	LTTNG_UST_TP_ARGS(uint64_t, pthread, uint64_t, begin_ts, int32_t, result,
		const uint64_t *, frames, uint16_t, nframes),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer_hex(uint64_t, pthread, pthread)
		lttng_ust_field_integer(uint64_t, begin_ts, begin_ts)
		lttng_ust_field_integer(int32_t, result, result)
		lttng_ust_field_sequence_hex(uint64_t, stack, frames, uint16_t, nframes)
	)
)

/* ---- locks -------------------------------------------------------------- */

/* A contended acquisition that waited at least the lock threshold. Only
 * acquisitions that found the lock taken are timed at all; uncontended ones
 * emit nothing. holder_tid is the owner glibc recorded when the wait began
 * (mutex owner, rwlock writer), 0 when unknown. For cond, addr is the
 * condition variable and `mutex` the mutex re-acquired on wake-up. stack
 * is where the waiter blocked, innermost first, from the program's call
 * into the lock function (captured only for these long waits, so the ~2-3 us
 * unwind is paid rarely; at most max_frames frames, may be empty). */
LTTNG_UST_TRACEPOINT_EVENT(ctrace, lock_wait,
	LTTNG_UST_TP_ARGS(uint64_t, addr, uint8_t, kind, uint64_t, begin_ts,
		int32_t, holder_tid, int32_t, result, uint64_t, mutex,
		const uint64_t *, frames, uint16_t, nframes),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer_hex(uint64_t, addr, addr)
		lttng_ust_field_enum(ctrace, lock_kind, uint8_t, kind, kind)
		lttng_ust_field_integer(uint64_t, begin_ts, begin_ts)
		lttng_ust_field_integer(int32_t, holder_tid, holder_tid)
		lttng_ust_field_integer(int32_t, result, result)
		lttng_ust_field_integer_hex(uint64_t, mutex, mutex)
		lttng_ust_field_sequence_hex(uint64_t, stack, frames, uint16_t, nframes)
	)
)

/* An unlock of a lock that had waiters: the end of the critical section
 * that made them wait. For a sampled fraction of these the unlocker's stack
 * is kept (empty otherwise), for mutex profiles in the style of Go's. */
LTTNG_UST_TRACEPOINT_EVENT(ctrace, lock_release,
	LTTNG_UST_TP_ARGS(uint64_t, addr, uint8_t, kind,
		const uint64_t *, frames, uint16_t, nframes),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer_hex(uint64_t, addr, addr)
		lttng_ust_field_enum(ctrace, lock_kind, uint8_t, kind, kind)
		lttng_ust_field_sequence_hex(uint64_t, stack, frames, uint16_t, nframes)
	)
)

/* pthread_cond_signal/broadcast or sem_post that found waiters: who woke whom. */
LTTNG_UST_TRACEPOINT_EVENT(ctrace, wake,
	LTTNG_UST_TP_ARGS(uint64_t, addr, uint8_t, kind, uint32_t, waiters,
		uint8_t, broadcast),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer_hex(uint64_t, addr, addr)
		lttng_ust_field_enum(ctrace, lock_kind, uint8_t, kind, kind)
		lttng_ust_field_integer(uint32_t, waiters, waiters)
		lttng_ust_field_integer(uint8_t, broadcast, broadcast)
	)
)

/* ---- syscalls ----------------------------------------------------------- */

/* A call that took at least the syscall threshold. fd is -1 where the call
 * has none; size is the byte count asked for (or the timeout / sleep in ns
 * for poll-like and sleep calls, -1 for none); result is the return value
 * and err the errno when it failed. stack is the stack at the call,
 * innermost first, from the program's call into the libc function (captured
 * only for calls above the threshold; at most max_frames, may be empty). */
LTTNG_UST_TRACEPOINT_EVENT(ctrace, syscall,
	LTTNG_UST_TP_ARGS(uint8_t, sys, uint64_t, begin_ts, int32_t, fd,
		int64_t, size, int64_t, result, int32_t, err,
		const uint64_t *, frames, uint16_t, nframes),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_enum(ctrace, sys, uint8_t, sys, sys)
		lttng_ust_field_integer(uint64_t, begin_ts, begin_ts)
		lttng_ust_field_integer(int32_t, fd, fd)
		lttng_ust_field_integer(int64_t, size, size)
		lttng_ust_field_integer(int64_t, result, result)
		lttng_ust_field_integer(int32_t, err, err)
		lttng_ust_field_sequence_hex(uint64_t, stack, frames, uint16_t, nframes)
	)
)

/* ---- counters and allocation -------------------------------------------- */

/* Periodic flush of a thread's counters when no region boundary did it. */
LTTNG_UST_TRACEPOINT_EVENT(ctrace, counters,
	LTTNG_UST_TP_ARGS(const struct ctrace_counters *, c),
	LTTNG_UST_TP_FIELDS(CTRACE_TP_COUNTER_FIELDS(c))
)

/* One sampled allocation, about every alloc_sample_bytes allocated (random
 * exponential spacing, as Go's MemProfileRate). */
LTTNG_UST_TRACEPOINT_EVENT(ctrace, alloc_sample,
	LTTNG_UST_TP_ARGS(uint64_t, size, uint64_t, addr,
		const uint64_t *, frames, uint16_t, nframes),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(uint64_t, size, size)
		lttng_ust_field_integer_hex(uint64_t, addr, addr)
		lttng_ust_field_sequence_hex(uint64_t, stack, frames, uint16_t, nframes)
	)
)

/* A thread allocated at least burst_min_bytes at a rate above
 * burst_rate_bytes_per_ms, from begin_ts to this event. */
LTTNG_UST_TRACEPOINT_EVENT(ctrace, alloc_burst,
	LTTNG_UST_TP_ARGS(uint64_t, begin_ts, uint64_t, end_ts, uint64_t, bytes,
		uint64_t, count),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(uint64_t, begin_ts, begin_ts)
		lttng_ust_field_integer(uint64_t, end_ts, end_ts)
		lttng_ust_field_integer(uint64_t, bytes, bytes)
		lttng_ust_field_integer(uint64_t, count, count)
	)
)

/* mmap/munmap of at least 1 MiB. */
LTTNG_UST_TRACEPOINT_EVENT(ctrace, mmap,
	LTTNG_UST_TP_ARGS(uint64_t, addr, uint64_t, length, uint8_t, unmap),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer_hex(uint64_t, addr, addr)
		lttng_ust_field_integer(uint64_t, length, length)
		lttng_ust_field_integer(uint8_t, unmap, unmap)
	)
)

/* ---- CPU samples -------------------------------------------------------- */

/* Taken every sample_period_ns of the thread's CPU time. stack[0] is the
 * interrupted instruction; later frames are return addresses. weight: the
 * periods this sample stands for, 1 + the timer's overruns. The kernel
 * checks CPU-time timers on its tick while the thread runs, so a thread
 * that shares its CPU gets one signal for several periods (measured: 166
 * signals and 333 overruns for 500 periods with 3 busy loops on 2 CPUs);
 * without the weight its CPU time would read a third of what it was. */
LTTNG_UST_TRACEPOINT_EVENT(ctrace, cpu_sample,
	LTTNG_UST_TP_ARGS(uint8_t, flags, const uint64_t *, frames, uint16_t, nframes,
		uint16_t, weight),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(uint8_t, flags, flags)
		lttng_ust_field_sequence_hex(uint64_t, stack, frames, uint16_t, nframes)
		lttng_ust_field_integer(uint16_t, weight, weight)
	)
)

/* ---- annotations (include/ctrace/ctrace.h) ------------------------------- */

LTTNG_UST_TRACEPOINT_EVENT(ctrace, region_begin,
	LTTNG_UST_TP_ARGS(const char *, name, uint16_t, depth,
		const struct ctrace_counters *, c),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_string(name, name)
		lttng_ust_field_integer(uint16_t, depth, depth)
		CTRACE_TP_COUNTER_FIELDS(c)
	)
)

/* depth is the depth of the region closed (1 = outermost). mismatch is 1
 * when the name given differs from the innermost open region's, 2 when no
 * region was open. duration_ns is 0 when the begin was not seen. */
LTTNG_UST_TRACEPOINT_EVENT(ctrace, region_end,
	LTTNG_UST_TP_ARGS(const char *, name, uint16_t, depth,
		uint64_t, duration_ns, uint8_t, mismatch,
		const struct ctrace_counters *, c),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_string(name, name)
		lttng_ust_field_integer(uint16_t, depth, depth)
		lttng_ust_field_integer(uint64_t, duration_ns, duration_ns)
		lttng_ust_field_integer(uint8_t, mismatch, mismatch)
		CTRACE_TP_COUNTER_FIELDS(c)
	)
)

LTTNG_UST_TRACEPOINT_EVENT(ctrace, task_begin,
	LTTNG_UST_TP_ARGS(uint64_t, id, uint64_t, parent, const char *, name),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(uint64_t, id, id)
		lttng_ust_field_integer(uint64_t, parent, parent)
		lttng_ust_field_string(name, name)
	)
)

LTTNG_UST_TRACEPOINT_EVENT(ctrace, task_end,
	LTTNG_UST_TP_ARGS(uint64_t, id),
	LTTNG_UST_TP_FIELDS(lttng_ust_field_integer(uint64_t, id, id))
)

LTTNG_UST_TRACEPOINT_EVENT(ctrace, task_attach,
	LTTNG_UST_TP_ARGS(uint64_t, id),
	LTTNG_UST_TP_FIELDS(lttng_ust_field_integer(uint64_t, id, id))
)

LTTNG_UST_TRACEPOINT_EVENT(ctrace, log,
	LTTNG_UST_TP_ARGS(const char *, category, const char *, message),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_string(category, category)
		lttng_ust_field_string(message, message)
	)
)

/* depth is the label stack's depth after the push / before the pop. */
LTTNG_UST_TRACEPOINT_EVENT(ctrace, label_push,
	LTTNG_UST_TP_ARGS(const char *, key, const char *, value, uint16_t, depth),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_string(key, key)
		lttng_ust_field_string(value, value)
		lttng_ust_field_integer(uint16_t, depth, depth)
	)
)

LTTNG_UST_TRACEPOINT_EVENT(ctrace, label_pop,
	LTTNG_UST_TP_ARGS(uint16_t, depth),
	LTTNG_UST_TP_FIELDS(lttng_ust_field_integer(uint16_t, depth, depth))
)

/* ---- flight recorder (ctrace record --flight) ---------------------------- */

/* A spike: a region or task named `name` that lasted duration_ns, longer
 * than its rule's threshold_ns (kind 0 region, 1 task; begin_ts is its
 * start), or a ctrace_snapshot(reason) call (kind 2, name = reason,
 * duration and threshold 0, begin_ts = the event's time). Emitted at the
 * region's or task's end, at most once per rate-limit interval per process;
 * suppressed counts the spikes refused since the previous spike event.
 * The flight recorder's LTTng trigger matches this event and takes a
 * snapshot (tracer/common/spike_rules.h). */
LTTNG_UST_TRACEPOINT_EVENT(ctrace, spike,
	LTTNG_UST_TP_ARGS(const char *, name, uint8_t, kind, uint64_t, duration_ns,
		uint64_t, threshold_ns, uint64_t, begin_ts, uint32_t, suppressed),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_string(name, name)
		lttng_ust_field_integer(uint8_t, kind, kind)
		lttng_ust_field_integer(uint64_t, duration_ns, duration_ns)
		lttng_ust_field_integer(uint64_t, threshold_ns, threshold_ns)
		lttng_ust_field_integer(uint64_t, begin_ts, begin_ts)
		lttng_ust_field_integer(uint32_t, suppressed, suppressed)
	)
)

#endif /* CTRACE_TP_H */

#include <lttng/tracepoint-event.h>
