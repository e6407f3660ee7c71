/*
 * `ctrace record [-o DIR] [options] -- PROGRAM [ARGS...]`: runs a program
 * under LTTng-UST with ctrace's preload library and perf context-switch
 * capture, leaving one self-contained trace directory.
 */
#ifndef CTRACE_RECORD_H
#define CTRACE_RECORD_H

/* Entry point of the subcommand; argv[0] is "record". Returns the exit
 * status for the process: the program's (128+N if killed by signal N), or
 * a ctrace error status (see record.c) when recording could not happen. */
int record_main(int argc, char **argv);

#endif
