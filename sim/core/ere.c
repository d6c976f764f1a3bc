/*
 * ere.c — POSIX extended regular expressions compiled within a bound. glibc's regcomp copies the
 * repeated subexpression for x+ (x x*) and for x{n,m} (m copies), so stacked or nested repetitions
 * grow the compiled tree exponentially: ((a+)+)+… doubles per level, and fuzz_jsonata found a
 * JSONata pattern taking over 3 GB to compile (fuzz/FINDINGS.md #16). Patterns from requests
 * (JSONata in state machine definitions) and from scenario files are sized here first.
 */
#include "core/ere.h"

#include <ctype.h>
#include <stdlib.h>

/* Brackets follow POSIX rules (no escapes inside), as regcomp reads them. */
double ere_expanded_size(const char *t) {
    double cur[64] = {0}, last = 0; /* size of each open group so far; of the last atom */
    int d = 0;
    for (const char *p = t; *p; p++) {
        double atom = 1;
        switch (*p) {
        case '[': {
            p++;
            if (*p == '^') p++;
            if (*p == ']') p++; /* a leading ] is literal */
            while (*p && *p != ']') {
                if (*p == '[' && (p[1] == ':' || p[1] == '.' || p[1] == '=')) {
                    char end = p[1];
                    p += 2;
                    while (*p && !(p[0] == end && p[1] == ']'))
                        p++;
                    if (*p) p++;
                }
                if (*p) p++;
            }
            if (!*p) return cur[d] + 1; /* unterminated: regcomp refuses it */
            break;
        }
        case '\\':
            if (p[1]) p++;
            break;
        case '(':
            if (d == 63) return 1e18;
            cur[++d] = 0;
            last = 0;
            continue;
        case ')':
            if (d == 0) break; /* a literal ) in ERE */
            atom = cur[d--];
            break;
        case '|':
            last = 0;
            continue;
        case '*':
        case '?':
            continue; /* a star or an alternative: no copy */
        case '+':
            cur[d] += last;
            last *= 2;
            if (cur[d] > 1e15) return 1e18;
            continue;
        case '{': {
            if (!isdigit((unsigned char)p[1])) break; /* not an interval: a literal { */
            char *e;
            double lo = strtod(p + 1, &e), hi = lo;
            if (*e == ',') hi = isdigit((unsigned char)e[1]) ? strtod(e + 1, &e) : lo + 1;
            if (*e != '}') break; /* not an interval: a literal { */
            p = e;
            double copies = hi > lo ? hi : lo;
            if (copies < 1) copies = 1;
            cur[d] += last * (copies - 1);
            last *= copies;
            if (cur[d] > 1e15) return 1e18;
            continue;
        }
        default:
            break;
        }
        cur[d] += atom;
        last = atom;
    }
    double total = 0;
    for (int i = 0; i <= d; i++)
        total += cur[i];
    return total;
}

int ere_compile(regex_t *re, const char *pattern, int flags) {
    if (ere_expanded_size(pattern) > ERE_MAX_ELEMENTS) return REG_ESPACE;
    return regcomp(re, pattern, flags);
}
