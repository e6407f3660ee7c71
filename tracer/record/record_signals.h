/*
 * Signals while recording. Until the program runs, SIGINT, SIGTERM, SIGHUP
 * and SIGQUIT make `ctrace record` undo its set-up and exit. While the
 * program runs they must not kill the recorder, or the trace would never be
 * finished: the program is in our process group, so terminal signals
 * (Ctrl-C, Ctrl-\) reach it directly and we only note them; SIGTERM and
 * SIGHUP sent to the recorder alone are forwarded to the program. A signal
 * the user's shell left ignored stays ignored, for us and the program.
 */
#ifndef RECORD_SIGNALS_H
#define RECORD_SIGNALS_H

#include <stdbool.h>
#include <sys/types.h>

void record_signals_install(void);

/* From now on SIGTERM/SIGHUP go to pid (0: nobody). */
void record_signals_forward_to(pid_t pid);

/* The last of our signals received since install, 0 if none. */
int record_signals_received(void);

/* Puts the original dispositions back (in the program's process, before
 * exec, and when the recorder is done). */
void record_signals_restore(void);

#endif
