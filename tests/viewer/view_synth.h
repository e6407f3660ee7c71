/*
 * A small hand-made trace for the viewer tests, fed straight to the
 * model builder: one process, a main thread and a worker on two CPUs,
 * nested regions, a lock wait of the worker on a lock the main thread
 * holds, a read syscall, a log, a task "order" that main begins and
 * hands to the worker, and three CPU samples of main (two at 0x401000,
 * one at 0x402000) inside the wait. Times are fixed, so frames are too.
 */
#ifndef VIEW_SYNTH_H
#define VIEW_SYNTH_H

#include "view_data.h"

#define SYNTH_PID 100
#define SYNTH_WORKER 101
#define SYNTH_T0 1000u              /* first event */
#define SYNTH_END 1000000u          /* last event */
#define SYNTH_WAIT_BEGIN 200000u    /* the worker's lock wait */
#define SYNTH_WAIT_END 600000u
#define SYNTH_RELEASE 590000u       /* main's unlock that ended it */
#define SYNTH_TASK_BEGIN 110000u    /* main begins task 7 "order", works on it */
#define SYNTH_TASK_HANDOFF 160000u  /* ... until 140000; the worker from here */
#define SYNTH_TASK_END 650000u      /* the worker ends it */
#define SYNTH_SAMPLE_A1 260000u
#define SYNTH_SAMPLE_A2 280000u
#define SYNTH_SAMPLE_B 330000u

/* Builds the model and prepares it; fails the running cmocka test on error. */
void view_synth_data(struct view_data *d);

/* Index of the thread with tid, and the index of its state row. */
uint32_t view_synth_thread(const struct view_data *d, int32_t tid);
size_t view_synth_row(const struct view_data *d, uint8_t kind, uint32_t index, uint16_t depth);

#endif
