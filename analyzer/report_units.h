/*
 * Human units for reports: durations ("1.23 ms"), sizes ("4.0 MiB"),
 * counts ("12,345"), shares of a whole ("42%"), and the parsing of
 * durations given on the command line.
 */
#ifndef ANALYZER_REPORT_UNITS_H
#define ANALYZER_REPORT_UNITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Each formats into buf and returns it. Three significant digits. */
const char *units_duration(uint64_t ns, char *buf, size_t size);
const char *units_bytes(uint64_t bytes, char *buf, size_t size);
const char *units_count(uint64_t n, char *buf, size_t size);

/* "250ms", "1.5s", "20us", "300ns", "2m"; a bare number is nanoseconds.
 * False when s is not a duration. */
bool units_parse_duration(const char *s, uint64_t *ns);

#endif
