/*
 * `ctrace analyze`: read a trace directory, build the model, analyze it
 * and print the report (text or JSON). The pipeline's driver.
 */
#ifndef ANALYZER_ANALYZE_H
#define ANALYZER_ANALYZE_H

/* argv[0] is "analyze". Returns the exit status: 0 done, 2 bad usage or
 * unusable trace, 1 out of memory or failed output. */
int analyze_main(int argc, char **argv);

#endif
