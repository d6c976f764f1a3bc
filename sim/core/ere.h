/*
 * ere.h — POSIX extended regular expressions compiled within a bound (see ere.c).
 */
#ifndef AWSSIM_ERE_H
#define AWSSIM_ERE_H

#include <regex.h>

#define ERE_MAX_ELEMENTS 20000 /* elements a pattern may compile to */

/* The number of elements regcomp builds for ERE pattern t, its repetitions expanded (an estimate
 * that never undercounts them; very large when they nest or stack). */
double ere_expanded_size(const char *t);
/* regcomp, or REG_ESPACE without compiling when the pattern expands beyond ERE_MAX_ELEMENTS. */
int ere_compile(regex_t *re, const char *pattern, int flags);

#endif
