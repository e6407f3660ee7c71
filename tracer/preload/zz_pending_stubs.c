/* TEMPORARY weak stand-ins while sample.c, alloc.c and stack.c are being
 * written; each real definition overrides its stand-in. Delete this file
 * once all exist. */
#include "preload.h"

__attribute__((weak)) void sample_process_init(void) {}
__attribute__((weak)) void sample_thread_start(struct tracer_thread *t) { (void)t; }
__attribute__((weak)) void sample_thread_stop(struct tracer_thread *t) { (void)t; }
__attribute__((weak)) void alloc_thread_setup(struct tracer_thread *t) { (void)t; }
__attribute__((weak)) void alloc_thread_finish(struct tracer_thread *t) { (void)t; }
__attribute__((weak)) uint16_t preload_stack_capture(struct tracer_thread *t, uint64_t *f, uint16_t m)
{ (void)t; (void)f; (void)m; return 0; }
