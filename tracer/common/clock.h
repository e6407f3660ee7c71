/* The tracer's one clock: CLOCK_MONOTONIC, the clock LTTng stamps events
 * with, so begin_ts fields line up with event timestamps. ~24 ns on the VMs
 * we run on (vDSO): read it only on slow paths. */
#ifndef TRACER_CLOCK_H
#define TRACER_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline uint64_t tracer_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

#endif
