/*
 * Instantiates the ctrace probes (the code that writes each event into
 * LTTng's ring buffers). Built into the preload library, and alone as
 * libctrace-provider.so for programs traced with plain LTTng tools
 * (LD_PRELOAD=libctrace-provider.so next to libctrace).
 */
#define LTTNG_UST_TRACEPOINT_CREATE_PROBES
#include "ctrace_tp.h"
