/* TEMPORARY until the record module lands. */
#include <stdio.h>
#include "record.h"
int record_main(int argc, char **argv) { (void)argc; (void)argv; fprintf(stderr, "ctrace record: not built yet\n"); return 2; }
