/* Between the files of the flight recorder (see record_flight.h). */
#ifndef RECORD_FLIGHT_INTERNAL_H
#define RECORD_FLIGHT_INTERNAL_H

#include <stdint.h>

#include "record_session.h"
#include "record_util.h"

/* The trigger named `trigger`: ctrace:spike -> snapshot of s. */
int flight_trigger_add(const struct record_session *s, const char *trigger,
		       struct record_err *e);
int flight_trigger_remove(const struct record_session *s, const char *trigger,
			  struct record_err *e);
/* `lttng snapshot record --session=NAME`: returns once it is written. */
int flight_snapshot_take(const struct record_session *s, struct record_err *e);

/* The oldest time from which every CPU stream of channel `channel` under
 * snapshot_dir has events: the latest of the streams' earliest packet
 * begin times (trace clock, ns), read from the CTF packet headers. 0 when
 * no stream was found. */
uint64_t flight_history_start(const char *snapshot_dir, const char *channel);

#endif
