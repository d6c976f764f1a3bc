/*
 * jsonata.h — a JSONata evaluator over cJSON for Step Functions' JSONata query language.
 *
 * jn_parse() compiles an expression once into an AST that can be cached and evaluated many times;
 * jn_eval() evaluates it against an input with variable bindings ($states, workflow variables) and
 * the virtual clock. Recursion depth, work and sizes are bounded: any input fails cleanly, never
 * crashes. Errors carry JSONata's code (T2001, D3030, ...) and message.
 */
#ifndef AWSSIM_JSONATA_H
#define AWSSIM_JSONATA_H

#include <stdint.h>

#include "core/sim.h"

typedef struct jn_expr jn_expr_t;

typedef struct jn_err {
    char code[16];     /* JSONata error code: S0201 (syntax), T2001 (type), D3030 (dynamic), ... */
    int position;      /* character offset in the expression, -1 when unknown */
    char message[512]; /* what went wrong, as jsonata-js words it */
} jn_err_t;

typedef struct jn_ctx {
    sim_t *sim;          /* random source for $random()/$uuid()/$shuffle(); NULL: a fixed seed */
    int64_t now_ms;      /* the (virtual) clock read by $now() and $millis() */
    const cJSON *input;  /* the context value `$` (NULL: undefined) */
    const cJSON *states; /* bound to $states (NULL: unbound) */
    const cJSON *vars;   /* object whose members are bound as $name (workflow variables), or NULL */
} jn_ctx_t;

/* Parse an expression. NULL with e filled on a syntax error. */
jn_expr_t *jn_parse(const char *src, jn_err_t *e);
void jn_free(jn_expr_t *x);
/* Evaluate. 0 with *out (a new value, NULL when the result is undefined), or -1 with e filled. */
int jn_eval(const jn_expr_t *x, const jn_ctx_t *c, cJSON **out, jn_err_t *e);
/* The expression text jn_parse() was given. */
const char *jn_source(const jn_expr_t *x);

#endif
