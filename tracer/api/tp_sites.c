/*
 * libctrace's tracepoint sites, bound to the `ctrace` probes at run time
 * only if a provider is loaded (ctrace record's preload, or
 * libctrace-provider.so). Linking libctrace therefore costs a program no
 * LTTng threads and no interposed libc calls.
 */
#define LTTNG_UST_TRACEPOINT_DEFINE
#define LTTNG_UST_TRACEPOINT_PROBE_DYNAMIC_LINKAGE
#include "../provider/ctrace_tp.h"
