/*
 * jsonata.c — JSONata (https://docs.jsonata.org) over cJSON, for Step Functions JSONata states.
 *
 * A Pratt parser (binding powers as jsonata-js) builds an AST, then a pass turns `.` chains into
 * path nodes with per-step predicates, as jsonata-js's processAST does (order-by is a path step, and
 * each `%` is tied to the step whose input it names). The evaluator follows
 * jsonata-js: sequences (flagged cJSON arrays) flatten along paths and collapse to one value when
 * they hold one; undefined is NULL. Functions (builtins, lambdas, partials, regexes) are values
 * living in a per-evaluation arena, named by a cJSON_Raw tag. A transform `| location | update,
 * delete |` edits a copy of its argument whose nodes carry identity tags; $formatInteger and
 * $parseInteger read XPath integer pictures as jsonata-js's datetime.js does (in UTF-16 code units),
 * and $fromMillis/$now/$toMillis its date/time pictures, on ECMAScript Date arithmetic, with its
 * quirks (a "-0530" timezone reads as -06:30, Date.UTC's years 0..99). $now and the defaults of a
 * $toMillis picture read the host's clock, fixed for one evaluation.
 * Regular expressions are JavaScript's, compiled by PCRE2 (js_regex_to_pcre2 spells out where the two
 * differ) and matched with their backtracking charged to the evaluation's work bound.
 * Focus `@$v`, index `#$i` and parent `%` turn the rest of a path into a stream of binding tuples
 * (jsonata-js evaluateTupleStep); `$f ~> $g` of two functions composes them.
 * Not supported: $eval (Step Functions refuses it too).
 */
#include "asl/jsonata.h"

#include "asl/asl.h"
#include "asl/unicase_tables.h"

#include <ctype.h>
#include <math.h>
#include <openssl/evp.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <pthread.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/rng.h"

#pragma GCC diagnostic ignored "-Wformat-truncation"

#define MAX_PARSE_DEPTH 200
#define MAX_EVAL_DEPTH 400
/* evaluation work bound (node evaluations + items produced); fuzz/fuzz.mk builds with a smaller one so
 * libFuzzer does not spend its time on million-item ranges */
#ifndef JN_MAX_STEPS
#define JN_MAX_STEPS 1000000L
#endif
#define MAX_STEPS JN_MAX_STEPS
#define MAX_STRING (8 * 1024 * 1024) /* longest string an expression may build */
#define MAX_RANGE 10000000           /* jsonata-js D2014 */
#define MAX_SRC 65536
#define MAX_REGEX 8192      /* bytes of a regular expression literal */
#define RE_WORK_PER_STEP 16 /* pattern items a regex match tries per evaluation step */
#define RE_GROUPS 31        /* capture groups a match reports (more are matched, not reported) */
/* steps the % of one expression may climb while it is parsed */
#define MAX_SEEK_WORK 1000000L

/* Flags on cJSON arrays, above cJSON's own type bits (cJSON_Duplicate keeps them). */
#define F_SEQ (1 << 12)  /* a sequence: flattened along paths, collapses when singleton */
#define F_CONS (1 << 13) /* built by an array constructor at a path's end: not flattened */
#define F_KEEP (1 << 14) /* keep a singleton sequence as an array ([] suffix) */
#define FN_TAG "\x01jnfn:"

/* ------------------------------------------------------------------------------------------ */
/* AST                                                                                         */

enum {
    N_NUM,
    N_STR,
    N_BOOL,
    N_NULL,
    N_NAME,
    N_VAR,
    N_WILD,
    N_DESC,
    N_PATH,
    N_BIN,
    N_NEG,
    N_ARRAY,
    N_OBJECT,
    N_COND,
    N_BLOCK,
    N_BIND,
    N_CALL,
    N_LAMBDA,
    N_APPLY,
    N_REGEX,
    N_SORT,
    N_PLACEHOLDER,
    N_TRANSFORM, /* | pattern | update [, delete] |: kids 0, 1 and optional 2 */
    /* %: the ancestor bound under str (its slot's label) by a step of the path */
    N_PARENT,
    /* #$i after predicates: a stage binding the position in the filtered stream */
    N_INDEX_STAGE,
    /* raw parse nodes, rewritten by process() */
    N_DOT,
    N_PRED,
    N_GROUP
};

typedef struct node node_t;
struct node {
    int type;
    int pos;
    char op[4]; /* binary operator; sort term direction '<' / '>' */
    double num;
    char *str;
    node_t **kids;
    int nk;
    node_t **stages; /* predicates applied per item inside a path step */
    int ns;
    node_t **preds; /* predicates applied to the value of a non-path expression */
    int np;
    node_t *group; /* N_OBJECT grouping the result */
    int keep_array, cons, keep_singleton;
    int partial;    /* call with ? placeholders */
    pcre2_code *re; /* N_REGEX */
    char flags[4];  /* regex flags */
    int *desc;      /* N_SORT: per term, 1 descending */
    /* tuple streams (jsonata-js evaluateTupleStep): a step binding its item to focus (@$v), its
     * position to index_var (#$i) or its input to the ancestor label anc (for a % below it) makes
     * the rest of its path a stream of binding tuples; tuple marks such steps and the paths or
     * blocks that hand a stream back to an enclosing step */
    char *focus, *index_var, *anc;
    int tuple;
    int slot, anc_slot; /* parse time: N_PARENT's slot; the slot naming anc (-1: none) */
    int *seek;          /* parse time: slots of % below this node still seeking their step */
    int nseek;
};

struct jn_expr {
    node_t *root;
    char *src;
};

typedef struct {
    const char *src;
    size_t pos, len;
    /* current token */
    int tt;
    char top[4];
    char *ts;
    double tn;
    int tpos;
    int prev_operand; /* last token ends an operand: '/' divides */
    int depth;
    jn_err_t *e;
    int failed;
    char rflags[4];
    /* % slots (jsonata-js processAST ancestry): label and levels still to climb */
    int *slot_label, *slot_level;
    int nslots;
    long seek_work; /* steps climbed by all % (bounded: a long chain of % is quadratic) */
} parser_t;

enum { T_END, T_NAME, T_VAR, T_STR, T_NUM, T_OP, T_REGEX, T_VALUE };

static int perr(parser_t *P, const char *code, int pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int perr(parser_t *P, const char *code, int pos, const char *fmt, ...) {
    if (P->failed) return -1;
    P->failed = 1;
    va_list ap;
    va_start(ap, fmt);
    snprintf(P->e->code, sizeof P->e->code, "%s", code);
    P->e->position = pos;
    vsnprintf(P->e->message, sizeof P->e->message, fmt, ap);
    va_end(ap);
    return -1;
}

static node_t *mk(int type, int pos) {
    node_t *n = calloc(1, sizeof *n);
    n->type = type;
    n->pos = pos;
    n->anc_slot = -1;
    return n;
}

/* Arrays of nodes only grow through here, to the next power of two, so a path of n steps is built
 * with log n reallocations. */
static void push_kid(node_t ***arr, int *n, node_t *k) {
    if ((*n & (*n - 1)) == 0) *arr = realloc(*arr, sizeof **arr * (size_t)(*n ? 2 * *n : 1));
    (*arr)[(*n)++] = k;
}

static void node_free(node_t *n) {
    if (!n) return;
    for (int i = 0; i < n->nk; i++)
        node_free(n->kids[i]);
    for (int i = 0; i < n->ns; i++)
        node_free(n->stages[i]);
    for (int i = 0; i < n->np; i++)
        node_free(n->preds[i]);
    node_free(n->group);
    free(n->kids);
    free(n->stages);
    free(n->preds);
    free(n->str);
    free(n->desc);
    free(n->focus);
    free(n->index_var);
    free(n->anc);
    free(n->seek);
    pcre2_code_free(n->re);
    free(n);
}

/* ---- lexer ---- */

static int is_opchar(char c) {
    return c && strchr(".[]{}(),@#;:?+-*/%|=<>^&!~", c) != NULL;
}

static void put_utf8(char **b, size_t *k, unsigned cp) {
    char *o = *b + *k;
    if (cp < 0x80) {
        o[0] = (char)cp;
        *k += 1;
    } else if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        *k += 2;
    } else if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        *k += 3;
    } else {
        o[0] = (char)(0xF0 | (cp >> 18));
        o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[3] = (char)(0x80 | (cp & 0x3F));
        *k += 4;
    }
}

static int hex4(const char *p, unsigned *v) {
    *v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0) return -1;
        *v = *v * 16 + (unsigned)d;
    }
    return 0;
}

static int lex(parser_t *P) {
    free(P->ts);
    P->ts = NULL;
    const char *s = P->src;
    for (;;) {
        while (P->pos < P->len && isspace((unsigned char)s[P->pos]))
            P->pos++;
        if (P->pos + 1 < P->len && s[P->pos] == '/' && s[P->pos + 1] == '*') {
            const char *end = strstr(s + P->pos + 2, "*/");
            if (!end) return perr(P, "S0106", (int)P->pos, "Comment has no closing tag");
            P->pos = (size_t)(end - s) + 2;
            continue;
        }
        break;
    }
    P->tpos = (int)P->pos;
    if (P->pos >= P->len) {
        P->tt = T_END;
        return 0;
    }
    char c = s[P->pos];
    int was_operand = P->prev_operand;
    P->prev_operand = 0;
    if (c == '/' && !was_operand) { /* regex literal */
        /* the end as jsonata-js's scanRegex finds it: a '/' after an even run of backslashes where
         * brackets of all three kinds not preceded by a backslash balance out (a stray ']' makes the
         * literal unterminated) */
        size_t st = ++P->pos;
        int depth = 0;
        for (; P->pos < P->len; P->pos++) {
            char d = s[P->pos];
            if (d == '/' && depth == 0) {
                size_t bs = 0;
                while (P->pos - bs > st && s[P->pos - bs - 1] == '\\')
                    bs++;
                if (bs % 2 == 0) break;
            }
            if (s[P->pos - 1] == '\\') continue;
            if (d == '(' || d == '[' || d == '{') depth++;
            if (d == ')' || d == ']' || d == '}') depth--;
        }
        if (P->pos >= P->len) return perr(P, "S0302", (int)st, "No terminating / in regular expression");
        if (P->pos == st) return perr(P, "S0301", (int)st, "Empty regular expressions are not allowed");
        P->ts = strndup(s + st, P->pos - st);
        P->pos++;
        int nf = 0;
        while (P->pos < P->len && strchr("gimsuy", s[P->pos]) && s[P->pos]) {
            if (nf < 3) P->rflags[nf++] = s[P->pos];
            P->pos++;
        }
        P->rflags[nf] = 0;
        P->tt = T_REGEX;
        P->prev_operand = 1;
        return 0;
    }
    static const char *two[] = {"..", ":=", "!=", ">=", "<=", "**", "~>", "?:", "??"};
    for (size_t i = 0; i < sizeof two / sizeof *two; i++)
        if (P->pos + 1 < P->len && s[P->pos] == two[i][0] && s[P->pos + 1] == two[i][1]) {
            P->tt = T_OP;
            snprintf(P->top, sizeof P->top, "%s", two[i]);
            P->pos += 2;
            return 0;
        }
    if (is_opchar(c)) {
        P->tt = T_OP;
        P->top[0] = c;
        P->top[1] = 0;
        P->pos++;
        P->prev_operand = c == ')' || c == ']' || c == '}';
        return 0;
    }
    if (c == '"' || c == '\'') {
        size_t st = ++P->pos;
        char *b = malloc(P->len - st + 4);
        size_t k = 0;
        while (P->pos < P->len && s[P->pos] != c) {
            if (s[P->pos] == '\\') {
                char d = P->pos + 1 < P->len ? s[P->pos + 1] : 0;
                P->pos += 2;
                switch (d) {
                case '"':
                case '\\':
                case '/':
                case '\'':
                    b[k++] = d;
                    break;
                case 'b':
                    b[k++] = '\b';
                    break;
                case 'f':
                    b[k++] = '\f';
                    break;
                case 'n':
                    b[k++] = '\n';
                    break;
                case 'r':
                    b[k++] = '\r';
                    break;
                case 't':
                    b[k++] = '\t';
                    break;
                case 'u': {
                    unsigned cp;
                    if (P->pos + 4 > P->len || hex4(s + P->pos, &cp)) {
                        free(b);
                        return perr(P, "S0104", (int)P->pos,
                                    "The escape sequence \\u must be followed by 4 hex digits");
                    }
                    P->pos += 4;
                    if (cp >= 0xD800 && cp < 0xDC00 && P->pos + 6 <= P->len && s[P->pos] == '\\' &&
                        s[P->pos + 1] == 'u') {
                        unsigned lo;
                        if (!hex4(s + P->pos + 2, &lo) && lo >= 0xDC00 && lo < 0xE000) {
                            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                            P->pos += 6;
                        }
                    }
                    put_utf8(&b, &k, cp);
                    break;
                }
                default:
                    free(b);
                    return perr(P, "S0103", (int)P->pos, "Unsupported escape sequence: \\%c", d ? d : ' ');
                }
                continue;
            }
            b[k++] = s[P->pos++];
        }
        if (P->pos >= P->len) {
            free(b);
            return perr(P, "S0101", (int)st, "String literal must be terminated by a matching quote");
        }
        P->pos++;
        b[k] = 0;
        P->ts = b;
        P->tt = T_STR;
        P->prev_operand = 1;
        return 0;
    }
    if (isdigit((unsigned char)c)) {
        size_t st = P->pos;
        if (c == '0')
            P->pos++;
        else
            while (P->pos < P->len && isdigit((unsigned char)s[P->pos]))
                P->pos++;
        if (P->pos + 1 < P->len && s[P->pos] == '.' && isdigit((unsigned char)s[P->pos + 1])) {
            P->pos++;
            while (P->pos < P->len && isdigit((unsigned char)s[P->pos]))
                P->pos++;
        }
        if (P->pos < P->len && (s[P->pos] == 'e' || s[P->pos] == 'E')) {
            size_t q = P->pos + 1;
            if (q < P->len && (s[q] == '+' || s[q] == '-')) q++;
            if (q < P->len && isdigit((unsigned char)s[q])) {
                while (q < P->len && isdigit((unsigned char)s[q]))
                    q++;
                P->pos = q;
            }
        }
        char tmp[64];
        snprintf(tmp, sizeof tmp, "%.*s", (int)(P->pos - st), s + st);
        P->tn = strtod(tmp, NULL);
        if (!isfinite(P->tn)) return perr(P, "S0102", (int)st, "Number out of range: %s", tmp);
        P->tt = T_NUM;
        P->prev_operand = 1;
        return 0;
    }
    if (c == '`') {
        size_t st = ++P->pos;
        while (P->pos < P->len && s[P->pos] != '`')
            P->pos++;
        if (P->pos >= P->len)
            return perr(P, "S0105", (int)st, "Quoted property name must be terminated with a backquote (`)");
        P->ts = strndup(s + st, P->pos - st);
        P->pos++;
        P->tt = T_NAME;
        P->prev_operand = 1;
        return 0;
    }
    int var = c == '$';
    if (var) P->pos++;
    size_t st = P->pos;
    while (P->pos < P->len && !isspace((unsigned char)s[P->pos]) && !is_opchar(s[P->pos]))
        P->pos++;
    if (var && P->pos == st && P->pos < P->len && s[P->pos] == '$') P->pos++; /* $$ */
    P->ts = strndup(s + st, P->pos - st);
    P->prev_operand = 1;
    if (var) {
        P->tt = T_VAR;
        return 0;
    }
    if (!strcmp(P->ts, "and") || !strcmp(P->ts, "or") || !strcmp(P->ts, "in")) {
        P->tt = T_OP;
        snprintf(P->top, sizeof P->top, "%s", P->ts);
        P->prev_operand = 0;
        return 0;
    }
    if (!strcmp(P->ts, "true") || !strcmp(P->ts, "false") || !strcmp(P->ts, "null")) {
        P->tt = T_VALUE;
        return 0;
    }
    P->tt = T_NAME;
    return 0;
}

static int is_op(parser_t *P, const char *op) {
    return P->tt == T_OP && !strcmp(P->top, op);
}

static int expect(parser_t *P, const char *op) {
    if (P->failed) return -1;
    if (!is_op(P, op)) {
        if (P->tt == T_END) return perr(P, "S0203", P->tpos, "Expected \"%s\" before end of expression", op);
        return perr(P, "S0202", P->tpos, "Expected \"%s\", got \"%s\"", op,
                    P->tt == T_OP ? P->top
                    : P->ts       ? P->ts
                                  : "?");
    }
    return lex(P);
}

static int lbp(parser_t *P) {
    if (P->tt != T_OP) return 0;
    static const struct {
        const char *op;
        int bp;
    } t[] = {{".", 75},  {"[", 80},   {"{", 70},  {"(", 80},  {"@", 80},  {"#", 80},  {"?", 20},
             {"+", 50},  {"-", 50},   {"*", 60},  {"/", 60},  {"%", 60},  {"=", 40},  {"<", 40},
             {">", 40},  {"^", 40},   {"**", 60}, {":=", 10}, {"!=", 40}, {"<=", 40}, {">=", 40},
             {"~>", 40}, {"and", 30}, {"or", 25}, {"in", 40}, {"&", 50},  {"?:", 40}, {"??", 40}};
    for (size_t i = 0; i < sizeof t / sizeof *t; i++)
        if (!strcmp(P->top, t[i].op)) return t[i].bp;
    return 0;
}

static node_t *expression(parser_t *P, int rbp);

static node_t *fail_node(node_t *n) {
    node_free(n);
    return NULL;
}

/* object constructor pairs "k: v, ..." up to '}' (the '{' consumed) into n->kids */
static node_t *parse_pairs(parser_t *P, node_t *n) {
    if (!is_op(P, "}")) {
        for (;;) {
            node_t *k = expression(P, 0);
            if (!k) return fail_node(n);
            push_kid(&n->kids, &n->nk, k);
            if (expect(P, ":")) return fail_node(n);
            node_t *v = expression(P, 0);
            if (!v) return fail_node(n);
            push_kid(&n->kids, &n->nk, v);
            if (!is_op(P, ",")) break;
            if (lex(P)) return fail_node(n);
        }
    }
    if (expect(P, "}")) return fail_node(n);
    return n;
}

/* transform "| pattern | update [, delete] |" (the first '|' consumed); '|' has no left binding
 * power (jsonata-js registers it as a prefix symbol only), so each clause ends at the next '|' */
static node_t *parse_transform(parser_t *P, node_t *n) {
    for (int clause = 0; clause < 3; clause++) {
        if (P->tt == T_END) { /* jsonata-js: the missing '|' is reported before the missing operand */
            perr(P, "S0203", P->tpos, "Expected \"|\" before end of expression");
            return fail_node(n);
        }
        node_t *k = expression(P, 0);
        if (!k) return fail_node(n);
        push_kid(&n->kids, &n->nk, k);
        if (clause == 1 && is_op(P, ",")) {
            if (lex(P)) return fail_node(n);
            continue;
        }
        if (expect(P, "|")) return fail_node(n);
        if (clause == 1) break;
    }
    return n;
}

static node_t *nud(parser_t *P) {
    int pos = P->tpos;
    node_t *n;
    switch (P->tt) {
    case T_END:
        perr(P, "S0207", pos, "Unexpected end of expression");
        return NULL;
    case T_NUM:
        n = mk(N_NUM, pos);
        n->num = P->tn;
        return lex(P) ? fail_node(n) : n;
    case T_STR:
        n = mk(N_STR, pos);
        n->str = P->ts;
        P->ts = NULL;
        return lex(P) ? fail_node(n) : n;
    case T_VALUE:
        n = mk(!strcmp(P->ts, "null") ? N_NULL : N_BOOL, pos);
        n->num = !strcmp(P->ts, "true");
        return lex(P) ? fail_node(n) : n;
    case T_VAR:
        n = mk(N_VAR, pos);
        n->str = P->ts;
        P->ts = NULL;
        return lex(P) ? fail_node(n) : n;
    case T_REGEX: {
        n = mk(N_REGEX, pos);
        n->str = P->ts;
        P->ts = NULL;
        snprintf(n->flags, sizeof n->flags, "%s", P->rflags);
        return lex(P) ? fail_node(n) : n;
    }
    case T_NAME:
        if (!strcmp(P->ts, "function") || !strcmp(P->ts, "\xce\xbb")) {
            if (lex(P)) return NULL;
            if (is_op(P, "(")) {
                n = mk(N_LAMBDA, pos);
                if (lex(P)) return fail_node(n);
                if (!is_op(P, ")")) {
                    for (;;) {
                        if (P->tt != T_VAR) {
                            perr(P, "S0208", P->tpos,
                                 "Parameter of function definition must be a variable name (start with $)");
                            return fail_node(n);
                        }
                        node_t *v = mk(N_VAR, P->tpos);
                        v->str = P->ts;
                        P->ts = NULL;
                        push_kid(&n->kids, &n->nk, v);
                        if (lex(P)) return fail_node(n);
                        if (!is_op(P, ",")) break;
                        if (lex(P)) return fail_node(n);
                    }
                }
                if (!is_op(P, ")")) {
                    expect(P, ")");
                    return fail_node(n);
                }
                /* optional signature <...>: skipped (arguments are not type-checked) */
                size_t save = P->pos;
                while (save < P->len && isspace((unsigned char)P->src[save]))
                    save++;
                if (save < P->len && P->src[save] == '<') {
                    int d = 0;
                    for (; save < P->len; save++) {
                        if (P->src[save] == '<') d++;
                        if (P->src[save] == '>' && --d == 0) break;
                    }
                    if (save >= P->len) {
                        perr(P, "S0401", (int)save,
                             "Type parameters can only be applied to functions and arrays");
                        return fail_node(n);
                    }
                    P->pos = save + 1;
                }
                P->prev_operand = 0;
                if (lex(P) || expect(P, "{")) return fail_node(n);
                node_t *body = expression(P, 0);
                if (!body) return fail_node(n);
                push_kid(&n->kids, &n->nk, body);
                if (expect(P, "}")) return fail_node(n);
                return n;
            }
            n = mk(N_NAME, pos);
            n->str = strdup("function");
            return n;
        }
        n = mk(N_NAME, pos);
        n->str = P->ts;
        P->ts = NULL;
        return lex(P) ? fail_node(n) : n;
    default:
        break;
    }
    /* operators in prefix position */
    char op[4];
    snprintf(op, sizeof op, "%s", P->top);
    if (!strcmp(op, "and") || !strcmp(op, "or") || !strcmp(op, "in")) {
        n = mk(N_NAME, pos);
        n->str = strdup(op);
        return lex(P) ? fail_node(n) : n;
    }
    if (lex(P)) return NULL;
    if (!strcmp(op, "-")) {
        node_t *e = expression(P, 70);
        if (!e) return NULL;
        if (e->type == N_NUM) {
            e->num = -e->num;
            return e;
        }
        n = mk(N_NEG, pos);
        push_kid(&n->kids, &n->nk, e);
        return n;
    }
    if (!strcmp(op, "*")) return mk(N_WILD, pos);
    if (!strcmp(op, "**")) return mk(N_DESC, pos);
    if (!strcmp(op, "?")) return mk(N_PLACEHOLDER, pos);
    if (!strcmp(op, "(")) {
        n = mk(N_BLOCK, pos);
        while (!is_op(P, ")")) {
            node_t *e = expression(P, 0);
            if (!e) return fail_node(n);
            push_kid(&n->kids, &n->nk, e);
            if (!is_op(P, ";")) break;
            if (lex(P)) return fail_node(n);
        }
        if (expect(P, ")")) return fail_node(n);
        return n;
    }
    if (!strcmp(op, "[")) {
        n = mk(N_ARRAY, pos);
        if (!is_op(P, "]")) {
            for (;;) {
                node_t *e = expression(P, 0);
                if (!e) return fail_node(n);
                if (is_op(P, "..")) {
                    node_t *r = mk(N_BIN, P->tpos);
                    strcpy(r->op, "..");
                    push_kid(&r->kids, &r->nk, e);
                    if (lex(P)) {
                        node_free(r);
                        return fail_node(n);
                    }
                    node_t *h = expression(P, 0);
                    if (!h) {
                        node_free(r);
                        return fail_node(n);
                    }
                    push_kid(&r->kids, &r->nk, h);
                    e = r;
                }
                push_kid(&n->kids, &n->nk, e);
                if (!is_op(P, ",")) break;
                if (lex(P)) return fail_node(n);
            }
        }
        if (expect(P, "]")) return fail_node(n);
        return n;
    }
    if (!strcmp(op, "{")) return parse_pairs(P, mk(N_OBJECT, pos));
    if (!strcmp(op, "|")) return parse_transform(P, mk(N_TRANSFORM, pos));
    if (!strcmp(op, "%")) return mk(N_PARENT, pos);
    perr(P, "S0211", pos, "The symbol \"%s\" cannot be used as a unary operator", op);
    return NULL;
}

static node_t *bin(const char *op, int pos, node_t *l, node_t *r) {
    node_t *n = mk(N_BIN, pos);
    snprintf(n->op, sizeof n->op, "%s", op);
    push_kid(&n->kids, &n->nk, l);
    push_kid(&n->kids, &n->nk, r);
    return n;
}

static node_t *led(parser_t *P, node_t *left) {
    int pos = P->tpos;
    char op[4];
    snprintf(op, sizeof op, "%s", P->top);
    int bp = lbp(P);
    if (lex(P)) return fail_node(left);
    if (!strcmp(op, "(")) {
        node_t *n = mk(N_CALL, pos);
        push_kid(&n->kids, &n->nk, left);
        if (!is_op(P, ")")) {
            for (;;) {
                node_t *a = expression(P, 0);
                if (!a) return fail_node(n);
                if (a->type == N_PLACEHOLDER) n->partial = 1;
                push_kid(&n->kids, &n->nk, a);
                if (!is_op(P, ",")) break;
                if (lex(P)) return fail_node(n);
            }
        }
        if (expect(P, ")")) return fail_node(n);
        return n;
    }
    if (!strcmp(op, "[")) {
        if (is_op(P, "]")) {
            node_t *s = left;
            while (s && s->type == N_PRED)
                s = s->kids[0];
            if (s) s->keep_array = 1;
            if (lex(P)) return fail_node(left);
            return left;
        }
        node_t *e = expression(P, 0);
        if (!e) return fail_node(left);
        node_t *n = mk(N_PRED, pos);
        push_kid(&n->kids, &n->nk, left);
        push_kid(&n->kids, &n->nk, e);
        if (expect(P, "]")) return fail_node(n);
        return n;
    }
    if (!strcmp(op, "{")) {
        node_t *n = mk(N_GROUP, pos);
        push_kid(&n->kids, &n->nk, left);
        node_t *o = parse_pairs(P, mk(N_OBJECT, pos));
        if (!o) return fail_node(n);
        push_kid(&n->kids, &n->nk, o);
        return n;
    }
    if (!strcmp(op, "?")) {
        node_t *n = mk(N_COND, pos);
        push_kid(&n->kids, &n->nk, left);
        node_t *t = expression(P, 0);
        if (!t) return fail_node(n);
        push_kid(&n->kids, &n->nk, t);
        if (is_op(P, ":")) {
            if (lex(P)) return fail_node(n);
            node_t *f = expression(P, 0);
            if (!f) return fail_node(n);
            push_kid(&n->kids, &n->nk, f);
        }
        return n;
    }
    if (!strcmp(op, ":=")) {
        if (left->type != N_VAR) {
            perr(P, "S0212", left->pos, "The left side of := must be a variable name (start with $)");
            return fail_node(left);
        }
        node_t *r = expression(P, bp - 1);
        if (!r) return fail_node(left);
        node_t *n = mk(N_BIND, pos);
        push_kid(&n->kids, &n->nk, left);
        push_kid(&n->kids, &n->nk, r);
        return n;
    }
    if (!strcmp(op, "^")) {
        node_t *n = mk(N_SORT, pos);
        push_kid(&n->kids, &n->nk, left);
        if (expect(P, "(")) return fail_node(n);
        for (;;) {
            int d = 0;
            if (is_op(P, "<") || is_op(P, ">")) {
                d = is_op(P, ">");
                if (lex(P)) return fail_node(n);
            }
            node_t *t = expression(P, 0);
            if (!t) return fail_node(n);
            push_kid(&n->kids, &n->nk, t);
            n->desc = realloc(n->desc, sizeof(int) * (size_t)n->nk);
            n->desc[n->nk - 1] = d;
            if (!is_op(P, ",")) break;
            if (lex(P)) return fail_node(n);
        }
        if (expect(P, ")")) return fail_node(n);
        return n;
    }
    if (!strcmp(op, "@") || !strcmp(op, "#")) { /* focus / index variable binding */
        node_t *r = expression(P, bp);
        if (!r) return fail_node(left);
        if (r->type != N_VAR) {
            perr(P, "S0214", r->pos, "The right side of \"%s\" must be a variable name (start with $)", op);
            node_free(r);
            return fail_node(left);
        }
        return bin(op, pos, left, r);
    }
    if (!strcmp(op, "?:") || !strcmp(op, "??")) {
        /* JSONata 2.1's operators; jsonata-js 2.0.6, which Step Functions runs, reads a conditional
         * whose branch starts with the second symbol */
        perr(P, "S0211", pos + 1, "The symbol \"%c\" cannot be used as a unary operator", op[1]);
        return fail_node(left);
    }
    if (!strcmp(op, "..")) {
        perr(P, "S0201", pos, "Syntax error: \"..\"");
        return fail_node(left);
    }
    node_t *r = expression(P, bp);
    if (!r) return fail_node(left);
    if (!strcmp(op, ".")) {
        node_t *n = bin(".", pos, left, r);
        n->type = N_DOT;
        return n;
    }
    if (!strcmp(op, "~>")) {
        node_t *n = bin("~>", pos, left, r);
        n->type = N_APPLY;
        return n;
    }
    return bin(op, pos, left, r);
}

static node_t *expression(parser_t *P, int rbp) {
    if (P->failed) return NULL;
    if (++P->depth > MAX_PARSE_DEPTH) {
        perr(P, "S0230", P->tpos, "Expression nesting is too deep (limit %d)", MAX_PARSE_DEPTH);
        return NULL;
    }
    node_t *left = nud(P);
    while (left && !P->failed && rbp < lbp(P))
        left = led(P, left);
    P->depth--;
    if (P->failed) return fail_node(left);
    return left;
}

/* ---- AST rewrite (jsonata-js processAST): '.' chains -> N_PATH with steps ---- */

static char *js_regex_to_pcre2(const char *p, char *why, size_t n);
static node_t *process(parser_t *P, node_t *n);

static node_t *as_path(node_t *n) {
    if (n->type == N_PATH) return n;
    node_t *p = mk(N_PATH, n->pos);
    push_kid(&p->kids, &p->nk, n);
    if (n->keep_array) p->keep_singleton = 1;
    return p;
}

/* ---- ancestry of % (jsonata-js processAST seekParent / pushAncestry / resolveAncestry) ---- */

static void seek_add(node_t *n, int slot) {
    n->seek = realloc(n->seek, sizeof *n->seek * (size_t)(n->nseek + 1));
    n->seek[n->nseek++] = slot;
}

/* The slots a node still seeks (a % itself seeks its own) are passed up to the node holding it. */
static void push_ancestry(node_t *to, const node_t *from) {
    if (!from) return;
    for (int i = 0; i < from->nseek; i++)
        seek_add(to, from->seek[i]);
    if (from->type == N_PARENT) seek_add(to, from->slot);
}

/* Climb one step of a path towards the step whose input a % names: a name or wildcard consumes a
 * level (at the last one it binds its input under the slot's label), a % adds one, a block or path
 * is searched from its last step; anything else cannot name a parent (S0217). */
static void seek_parent(parser_t *P, node_t *n, int slot) {
    if (P->failed) return;
    if (++P->seek_work > MAX_SEEK_WORK) {
        perr(P, "S0230", n->pos, "Expression has too many parent operators %% to resolve");
        return;
    }
    switch (n->type) {
    case N_NAME:
    case N_WILD:
        if (--P->slot_level[slot] == 0) {
            if (n->anc_slot >= 0) P->slot_label[slot] = P->slot_label[n->anc_slot]; /* share it */
            n->anc_slot = slot;
            n->tuple = 1;
        }
        break;
    case N_PARENT:
        P->slot_level[slot]++;
        break;
    case N_BLOCK:
        if (n->nk > 0) {
            n->tuple = 1;
            seek_parent(P, n->kids[n->nk - 1], slot);
        }
        break;
    case N_PATH: {
        n->tuple = 1;
        int i = n->nk - 1;
        seek_parent(P, n->kids[i--], slot);
        while (!P->failed && P->slot_level[slot] > 0 && i >= 0)
            seek_parent(P, n->kids[i--], slot);
        break;
    }
    default:
        perr(P, "S0217", n->pos,
             "The object representing the 'parent' cannot be derived from this expression");
        break;
    }
}

/* The % slots of a path's last step climb its earlier steps; those reaching past its start are
 * left for the enclosing path. */
static void resolve_ancestry(parser_t *P, node_t *path) {
    node_t *last = path->kids[path->nk - 1];
    int n = last->nseek + (last->type == N_PARENT);
    int *slots = malloc(sizeof *slots * (size_t)(n + 1));
    for (int i = 0; i < last->nseek; i++)
        slots[i] = last->seek[i];
    if (last->type == N_PARENT) slots[n - 1] = last->slot;
    for (int k = 0; k < n && !P->failed; k++) {
        int slot = slots[k], i = path->nk - 2;
        while (!P->failed && P->slot_level[slot] > 0) {
            if (i < 0) {
                seek_add(path, slot);
                break;
            }
            node_t *s = path->kids[i--];
            /* contiguous steps that bind the focus count as one */
            while (i >= 0 && s->focus && path->kids[i]->focus)
                s = path->kids[i--];
            seek_parent(P, s, slot);
        }
    }
    free(slots);
}

static node_t *process_binding(parser_t *P, node_t *n);
static node_t *process_sort(parser_t *P, node_t *n);
static void push_kid_ancestry(node_t *n);

static node_t *process(parser_t *P, node_t *n) {
    if (!n || P->failed) return n;
    switch (n->type) {
    case N_PARENT:
        P->slot_label = realloc(P->slot_label, sizeof(int) * (size_t)(P->nslots + 1));
        P->slot_level = realloc(P->slot_level, sizeof(int) * (size_t)(P->nslots + 1));
        P->slot_label[P->nslots] = P->nslots;
        P->slot_level[P->nslots] = 1;
        n->slot = P->nslots++;
        return n;
    case N_SORT:
        return process_sort(P, n);
    case N_DOT: {
        node_t *l = process(P, n->kids[0]);
        node_t *r = process(P, n->kids[1]);
        n->kids[0] = n->kids[1] = NULL;
        node_free(n);
        if (!l || !r) {
            node_free(l);
            node_free(r);
            return NULL;
        }
        /* the steps a path already had were checked when it was built: only new ones are (a chain
         * a.b.c… of n steps is then built in linear time, where jsonata-js's is quadratic) */
        int checked = l->type == N_PATH ? l->nk : 0;
        node_t *path = as_path(l);
        if (l->type == N_PARENT) seek_add(path, l->slot);
        if (r->type == N_PATH) {
            for (int i = 0; i < r->nk; i++)
                push_kid(&path->kids, &path->nk, r->kids[i]);
            if (r->keep_singleton) path->keep_singleton = 1;
            if (r->group) {
                path->group = r->group; /* a.b{...}: the group applies to the whole path */
                r->group = NULL;
            }
            r->nk = 0;
            node_free(r);
        } else {
            if (r->np) { /* predicates of a step are per-item stages */
                r->stages = r->preds;
                r->ns = r->np;
                r->preds = NULL;
                r->np = 0;
            }
            push_kid(&path->kids, &path->nk, r);
        }
        for (int i = checked; i < path->nk; i++) {
            node_t *s = path->kids[i];
            if (s->type == N_NUM || s->type == N_BOOL || s->type == N_NULL) {
                perr(P, "S0213", s->pos,
                     "The literal value cannot be used as a step within a path expression");
                node_free(path);
                return NULL;
            }
            if (s->type == N_STR) s->type = N_NAME;
            if (s->keep_array) path->keep_singleton = 1;
        }
        if (path->kids[0]->type == N_ARRAY) path->kids[0]->cons = 1;
        if (path->kids[path->nk - 1]->type == N_ARRAY) path->kids[path->nk - 1]->cons = 1;
        resolve_ancestry(P, path);
        if (P->failed) {
            node_free(path);
            return NULL;
        }
        return path;
    }
    case N_PRED: {
        node_t *l = process(P, n->kids[0]);
        node_t *e = process(P, n->kids[1]);
        n->kids[0] = n->kids[1] = NULL;
        node_free(n);
        if (!l || !e) {
            node_free(l);
            node_free(e);
            return NULL;
        }
        node_t *s = l->type == N_PATH ? l->kids[l->nk - 1] : l;
        if (s->group || l->group) {
            perr(P, "S0209", e->pos, "A predicate cannot follow a grouping expression in a step");
            node_free(e);
            node_free(l);
            return NULL;
        }
        /* a % in the predicate names the predicated step's input, or climbs on past it */
        for (int i = 0; i < e->nseek && !P->failed; i++) {
            if (P->slot_level[e->seek[i]] == 1)
                seek_parent(P, s, e->seek[i]);
            else
                P->slot_level[e->seek[i]]--;
        }
        push_ancestry(s, e);
        if (l->type == N_PATH)
            push_kid(&s->stages, &s->ns, e);
        else
            push_kid(&l->preds, &l->np, e);
        if (P->failed) {
            node_free(l);
            return NULL;
        }
        return l;
    }
    case N_GROUP: {
        node_t *l = process(P, n->kids[0]);
        node_t *o = process(P, n->kids[1]);
        n->kids[0] = n->kids[1] = NULL;
        node_free(n);
        if (!l || !o) {
            node_free(l);
            node_free(o);
            return NULL;
        }
        if (l->group) {
            perr(P, "S0210", o->pos, "Each step can only have one grouping expression");
            node_free(l);
            node_free(o);
            return NULL;
        }
        l->group = o;
        return l;
    }
    case N_NAME:
        return as_path(n);
    case N_REGEX: {
        /* JavaScript regular expressions (jsonata-js hands them to JS's RegExp) through PCRE2, whose
         * Perl semantics are JavaScript's: leftmost-first alternation, lazy quantifiers,
         * lookaround, backreferences (an unset group matches empty, as in JS), \uXXXX, `[^]` for any
         * character, `$` only at the very end unless /m, and `.` not matching line ends. */
        size_t L = strlen(n->str);
        if (L > MAX_REGEX) {
            perr(P, "S0303", n->pos, "The regular expression /%.100s.../ is longer than %d bytes", n->str,
                 MAX_REGEX);
            node_free(n);
            return NULL;
        }
        uint32_t opt = PCRE2_UTF | PCRE2_ALT_BSUX | PCRE2_DOLLAR_ENDONLY | PCRE2_MATCH_UNSET_BACKREF |
                       PCRE2_ALLOW_EMPTY_CLASS | PCRE2_AUTO_CALLOUT;
        if (strchr(n->flags, 'i')) opt |= PCRE2_CASELESS;
        if (strchr(n->flags, 'm')) opt |= PCRE2_MULTILINE;
        char why[96] = "";
        char *t = js_regex_to_pcre2(n->str, why, sizeof why);
        if (t) {
            pcre2_compile_context *cc = pcre2_compile_context_create(NULL);
            pcre2_set_newline(cc, PCRE2_NEWLINE_ANYCRLF);
            pcre2_set_parens_nest_limit(cc, 100);
            int err;
            PCRE2_SIZE at;
            n->re = pcre2_compile((PCRE2_SPTR)t, strlen(t), opt, &err, &at, cc);
            pcre2_compile_context_free(cc);
            if (!n->re) pcre2_get_error_message(err, (PCRE2_UCHAR *)why, sizeof why);
            free(t);
        }
        if (!n->re) { /* what JavaScript's RegExp throws, which jsonata-js passes on */
            perr(P, "SyntaxError", n->pos, "Invalid regular expression: /%.100s/: %s", n->str, why);
            node_free(n);
            return NULL;
        }
        return n;
    }
    default:
        break;
    }
    if (n->type == N_BIN && (!strcmp(n->op, "@") || !strcmp(n->op, "#"))) return process_binding(P, n);
    for (int i = 0; i < n->nk; i++) {
        n->kids[i] = process(P, n->kids[i]);
        if (!n->kids[i]) {
            node_free(n);
            return NULL;
        }
    }
    if (n->type == N_LAMBDA) /* parameters were processed as variables: nothing to do */
        return n;
    push_kid_ancestry(n);
    return n;
}

/* pushAncestry of jsonata-js for the other node types: which operands' % climb through the node */
static void push_kid_ancestry(node_t *n) {
    switch (n->type) {
    case N_BIN:
    case N_NEG:
    case N_ARRAY:
    case N_OBJECT:
    case N_COND:
    case N_BLOCK:
        for (int i = 0; i < n->nk; i++)
            push_ancestry(n, n->kids[i]);
        break;
    case N_BIND:
        push_ancestry(n, n->kids[1]);
        break;
    case N_CALL: /* the arguments, not the procedure */
        for (int i = 1; i < n->nk; i++)
            push_ancestry(n, n->kids[i]);
        break;
    default: /* lambdas, ~>, transforms: a % inside does not reach out */
        break;
    }
}

/* step@$v binds each item of the step to $v while the context stays the step's input; step#$i
 * binds its position (after the predicates so far, as a stage). Either makes the step a tuple step. */
static node_t *process_binding(parser_t *P, node_t *n) {
    int focus = n->op[0] == '@';
    node_t *l = process(P, n->kids[0]);
    n->kids[0] = NULL;
    if (!l) {
        node_free(n);
        return NULL;
    }
    char *var = n->kids[1]->str;
    n->kids[1]->str = NULL;
    int keep = n->keep_array, pos = n->pos;
    node_free(n);
    node_t *result = l, *s = l;
    if (l->type == N_PATH)
        s = l->kids[l->nk - 1];
    else if (!focus) {
        result = as_path(l);
        if (l->np) {
            l->stages = l->preds;
            l->ns = l->np;
            l->preds = NULL;
            l->np = 0;
        }
    }
    if (focus) {
        if (s->ns || s->np) {
            perr(P, "S0215", pos, "A context variable binding must precede any predicates on a step");
        } else if (s->type == N_SORT) {
            perr(P, "S0216", pos, "A context variable binding must precede the 'order-by' clause on a step");
        }
        if (P->failed) {
            free(var);
            node_free(result);
            return NULL;
        }
        if (keep) s->keep_array = 1;
        free(s->focus);
        s->focus = var;
    } else if (!s->ns) {
        free(s->index_var);
        s->index_var = var;
    } else {
        node_t *st = mk(N_INDEX_STAGE, pos);
        st->str = var;
        push_kid(&s->stages, &s->ns, st);
    }
    s->tuple = 1;
    if (keep) result->keep_array = 1;
    return result;
}

/* a ^(terms): the order-by becomes the last step of a path (jsonata-js), so it can sort a tuple
 * stream; the N_SORT step keeps only its terms (desc[i] for kids[i]) */
static node_t *process_sort(parser_t *P, node_t *n) {
    node_t *l = process(P, n->kids[0]);
    n->kids[0] = NULL;
    if (!l) {
        node_free(n);
        return NULL;
    }
    node_t *path = l->type == N_PATH ? l : as_path(l);
    int keep = n->keep_array;
    n->keep_array = 0;
    for (int i = 1; i < n->nk; i++) {
        n->kids[i - 1] = process(P, n->kids[i]);
        n->desc[i - 1] = n->desc[i];
        n->kids[i] = NULL;
        if (!n->kids[i - 1]) {
            for (int j = i + 1; j < n->nk; j++) {
                node_free(n->kids[j]);
                n->kids[j] = NULL;
            }
            n->nk = i - 1;
            node_free(n);
            node_free(path);
            return NULL;
        }
        push_ancestry(n, n->kids[i - 1]);
    }
    n->nk--;
    push_kid(&path->kids, &path->nk, n);
    if (keep) path->keep_array = 1;
    resolve_ancestry(P, path);
    if (P->failed) {
        node_free(path);
        return NULL;
    }
    return path;
}

/* After processing, each % and each step binding an ancestor gets its slot's final label. */
static void label_ancestry(parser_t *P, node_t *n) {
    if (!n) return;
    char label[16];
    if (n->type == N_PARENT) {
        snprintf(label, sizeof label, "!%d", P->slot_label[n->slot]);
        free(n->str);
        n->str = strdup(label);
    }
    if (n->anc_slot >= 0) {
        snprintf(label, sizeof label, "!%d", P->slot_label[n->anc_slot]);
        free(n->anc);
        n->anc = strdup(label);
    }
    free(n->seek);
    n->seek = NULL;
    n->nseek = 0;
    for (int i = 0; i < n->nk; i++)
        label_ancestry(P, n->kids[i]);
    for (int i = 0; i < n->ns; i++)
        label_ancestry(P, n->stages[i]);
    for (int i = 0; i < n->np; i++)
        label_ancestry(P, n->preds[i]);
    label_ancestry(P, n->group);
}

jn_expr_t *jn_parse(const char *src, jn_err_t *e) {
    memset(e, 0, sizeof *e);
    e->position = -1;
    if (!src) src = "";
    if (strlen(src) > MAX_SRC) {
        snprintf(e->code, sizeof e->code, "S0230");
        snprintf(e->message, sizeof e->message, "Expression longer than %d characters", MAX_SRC);
        return NULL;
    }
    parser_t P = {.src = src, .len = strlen(src), .e = e};
    node_t *root = NULL;
    if (!lex(&P)) root = expression(&P, 0);
    if (root && !P.failed && P.tt != T_END) {
        perr(&P, "S0201", P.tpos, "Syntax error: \"%s\"", P.tt == T_OP ? P.top : P.ts ? P.ts : "?");
    }
    if (P.failed) {
        node_free(root);
        free(P.ts);
        return NULL;
    }
    free(P.ts);
    root = process(&P, root);
    if (root && (root->type == N_PARENT || root->nseek)) { /* a % with no step above it */
        perr(&P, "S0217", root->pos,
             "The object representing the 'parent' cannot be derived from this expression");
        node_free(root);
        root = NULL;
    }
    if (root) label_ancestry(&P, root);
    free(P.slot_label);
    free(P.slot_level);
    if (!root) {
        if (!P.failed) perr(&P, "S0201", 0, "Syntax error");
        return NULL;
    }
    jn_expr_t *x = calloc(1, sizeof *x);
    x->root = root;
    x->src = strdup(src);
    return x;
}

void jn_free(jn_expr_t *x) {
    if (!x) return;
    node_free(x->root);
    free(x->src);
    free(x);
}

const char *jn_source(const jn_expr_t *x) {
    return x ? x->src : "";
}

/* ------------------------------------------------------------------------------------------ */
/* Evaluation                                                                                  */

typedef struct frame frame_t;
struct frame {
    frame_t *parent;
    int n, cap;
    char **names;
    cJSON **vals; /* NULL: bound to undefined */
    /* NULL, or per binding 1: vals[i] belongs to a tuple stream (see tuple_frame) */
    char *borrowed;
};

enum { FK_BUILTIN, FK_LAMBDA, FK_PARTIAL, FK_REGEX, FK_TRANSFORM, FK_CHAIN };

typedef struct {
    int kind;
    int bi;             /* FK_BUILTIN: index in the builtin table; FK_PARTIAL: target fn id */
    const node_t *node; /* FK_LAMBDA: the lambda; FK_REGEX: the regex literal; FK_TRANSFORM */
    frame_t *env;       /* FK_LAMBDA, FK_TRANSFORM: closure */
    const cJSON *input; /* FK_LAMBDA: context at definition */
    cJSON *args;        /* FK_PARTIAL: the bound arguments (placeholders as NULL items); FK_CHAIN: f, g */
    const node_t *call; /* FK_PARTIAL: the call node (placeholder positions) */
} fnval_t;

typedef struct {
    const jn_ctx_t *c;
    jn_err_t *e;
    int failed;
    int depth;
    long steps;
    fnval_t *fns;
    int nfns, capfns;
    frame_t **frames;
    int nframes, capframes;
    cJSON *grave; /* values replaced while possibly borrowed: freed at the end */
    const cJSON *root;
    const char *fname;          /* the builtin being called, for argument errors */
    int bi_fn[80];              /* function value id of each builtin once made (0: none yet; id + 1) */
    uint64_t rs[4];             /* fallback random state when no sim */
    int tag_next;               /* next identity tag a transform gives a node of its copy (never reused) */
    pcre2_match_context *re_mc; /* regex matching: made on first use, with re_callout charging work */
    pcre2_match_data *re_md;
    long re_work;
} ev_t;

static int efail(ev_t *E, const char *code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int efail(ev_t *E, const char *code, const char *fmt, ...) {
    if (E->failed) return -1;
    E->failed = 1;
    va_list ap;
    va_start(ap, fmt);
    snprintf(E->e->code, sizeof E->e->code, "%s", code);
    vsnprintf(E->e->message, sizeof E->e->message, fmt, ap);
    va_end(ap);
    return -1;
}

#define TYPE(v) ((v)->type & 0xFF)
static int is_arr(const cJSON *v) {
    return v && TYPE(v) == cJSON_Array;
}
static int is_obj(const cJSON *v) {
    return v && TYPE(v) == cJSON_Object;
}
static int is_num(const cJSON *v) {
    return v && TYPE(v) == cJSON_Number;
}
static int is_str(const cJSON *v) {
    return v && TYPE(v) == cJSON_String;
}
static int is_bool(const cJSON *v) {
    return v && (TYPE(v) == cJSON_True || TYPE(v) == cJSON_False);
}
static int is_fn(const cJSON *v) {
    return v && TYPE(v) == cJSON_Raw && v->valuestring && !strncmp(v->valuestring, FN_TAG, strlen(FN_TAG));
}
/* NaN ($parseInteger of text that is no number) is a number to function signatures but not to
 * operators, conditions or $type: jsonata-js's isNumeric() says no to it */
static int is_nan(const cJSON *v) {
    return is_num(v) && isnan(v->valuedouble);
}
static int is_seq(const cJSON *v) {
    return is_arr(v) && (v->type & F_SEQ);
}
static cJSON *seq_new(void) {
    cJSON *a = cJSON_CreateArray();
    a->type |= F_SEQ;
    return a;
}
static cJSON *dup(const cJSON *v) {
    return v ? cJSON_Duplicate(v, 1) : NULL;
}
static void push(cJSON *arr, cJSON *v) {
    if (v) cJSON_AddItemToArray(arr, v);
}
static fnval_t *fn_of(ev_t *E, const cJSON *v) {
    if (!is_fn(v)) return NULL;
    int i = atoi(v->valuestring + strlen(FN_TAG));
    return i >= 0 && i < E->nfns ? &E->fns[i] : NULL;
}
static cJSON *fn_new(ev_t *E, fnval_t f) {
    if (E->nfns == E->capfns) {
        E->capfns = E->capfns ? E->capfns * 2 : 16;
        E->fns = realloc(E->fns, sizeof *E->fns * (size_t)E->capfns);
    }
    E->fns[E->nfns] = f;
    char tag[32];
    snprintf(tag, sizeof tag, FN_TAG "%d", E->nfns++);
    return cJSON_CreateRaw(tag);
}
static int step(ev_t *E) {
    if (E->failed) return -1;
    if (++E->steps > MAX_STEPS)
        return efail(E, "D1100", "Evaluation exceeded its work limit (%ld steps)", (long)MAX_STEPS);
    return 0;
}

/* Copying a value costs one step per node, so doubling a bound value again and again cannot
 * allocate without bound. */
static long count_nodes(const cJSON *v, long cap) {
    long n = 1;
    for (const cJSON *c = (is_arr(v) || is_obj(v)) ? v->child : NULL; c && n <= cap; c = c->next)
        n += count_nodes(c, cap - n);
    return n;
}
static int dupc_charge(ev_t *E, const cJSON *v) {
    if (E->failed) return -1;
    E->steps += count_nodes(v, MAX_STEPS - E->steps + 1);
    if (E->steps > MAX_STEPS)
        return efail(E, "D1100", "Evaluation exceeded its work limit (%ld steps)", (long)MAX_STEPS);
    return 0;
}
static cJSON *dupc(ev_t *E, const cJSON *v) {
    if (!v || dupc_charge(E, v)) return NULL;
    return dup(v);
}

static frame_t *frame_new(ev_t *E, frame_t *parent) {
    frame_t *f = calloc(1, sizeof *f);
    f->parent = parent;
    if (E->nframes == E->capframes) {
        E->capframes = E->capframes ? E->capframes * 2 : 16;
        E->frames = realloc(E->frames, sizeof *E->frames * (size_t)E->capframes);
    }
    E->frames[E->nframes++] = f;
    return f;
}
static void frame_free(frame_t *f) {
    for (int i = 0; i < f->n; i++) {
        free(f->names[i]);
        if (!f->borrowed || !f->borrowed[i]) cJSON_Delete(f->vals[i]);
    }
    free(f->borrowed);
    free(f->names);
    free(f->vals);
    free(f);
}
/* Drop frames made after `mark` when no closure made since can reference them. */
static void frames_release(ev_t *E, int mark, int fns_mark) {
    if (E->nfns != fns_mark) return;
    while (E->nframes > mark)
        frame_free(E->frames[--E->nframes]);
}
/* Bind name (value consumed). The old value may still be borrowed: it goes to the grave. */
static void bind(ev_t *E, frame_t *f, const char *name, cJSON *v) {
    for (int i = 0; i < f->n; i++)
        if (!strcmp(f->names[i], name)) {
            if (f->borrowed && f->borrowed[i])
                f->borrowed[i] = 0;
            else if (f->vals[i])
                cJSON_AddItemToArray(E->grave, f->vals[i]);
            f->vals[i] = v;
            return;
        }
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 4;
        f->names = realloc(f->names, sizeof *f->names * (size_t)f->cap);
        f->vals = realloc(f->vals, sizeof *f->vals * (size_t)f->cap);
        if (f->borrowed) f->borrowed = realloc(f->borrowed, (size_t)f->cap);
    }
    if (f->borrowed) f->borrowed[f->n] = 0;
    f->names[f->n] = strdup(name);
    f->vals[f->n++] = v;
}

/* Bind name to a value the caller keeps alive for as long as the frame can be reached. */
static void bind_borrowed(ev_t *E, frame_t *f, const char *name, const cJSON *v) {
    bind(E, f, name, NULL);
    if (!f->borrowed) f->borrowed = calloc((size_t)f->cap, 1);
    for (int i = 0; i < f->n; i++)
        if (!strcmp(f->names[i], name)) {
            f->vals[i] = (cJSON *)v;
            f->borrowed[i] = 1;
        }
}

static int builtin_index(const char *name);

/* Look a variable up: 1 found (*out borrowed, may be NULL = undefined), 0 not bound. */
static int var_lookup(ev_t *E, frame_t *env, const char *name, const cJSON **out) {
    for (frame_t *f = env; f; f = f->parent)
        for (int i = 0; i < f->n; i++)
            if (!strcmp(f->names[i], name)) {
                *out = f->vals[i];
                return 1;
            }
    if (E->c->states && !strcmp(name, "states")) {
        *out = E->c->states;
        return 1;
    }
    if (E->c->vars) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(E->c->vars, name);
        if (v) {
            *out = v;
            return 1;
        }
    }
    return 0;
}

/* ---- value semantics ---- */

static int boolean(ev_t *E, const cJSON *v) {
    if (!v) return 0;
    switch (TYPE(v)) {
    case cJSON_True:
        return 1;
    case cJSON_False:
    case cJSON_NULL:
        return 0;
    case cJSON_Number:
        return v->valuedouble != 0 && !isnan(v->valuedouble);
    case cJSON_String:
        return v->valuestring[0] != 0;
    case cJSON_Object:
        return v->child != NULL;
    case cJSON_Array: {
        int n = cJSON_GetArraySize(v);
        if (n == 0) return 0;
        if (n == 1) return boolean(E, v->child);
        for (const cJSON *c = v->child; c; c = c->next)
            if (boolean(E, c)) return 1;
        return 0;
    }
    default:
        return 0; /* functions */
    }
}

static int deep_equal(const cJSON *a, const cJSON *b) {
    if (!a || !b) return a == b;
    if (is_num(a) && is_num(b)) return a->valuedouble == b->valuedouble;
    if (is_fn(a) || is_fn(b)) return is_fn(a) && is_fn(b) && !strcmp(a->valuestring, b->valuestring);
    return cJSON_Compare(a, b, 1);
}

/* JavaScript Number.prototype.toString */
static void js_num(double d, char *out, size_t n) {
    if (d == 0) {
        snprintf(out, n, "0");
        return;
    }
    if (isnan(d)) {
        snprintf(out, n, "NaN");
        return;
    }
    if (isinf(d)) {
        snprintf(out, n, d > 0 ? "Infinity" : "-Infinity");
        return;
    }
    char tmp[40];
    int prec;
    for (prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*e", prec - 1, d);
        if (strtod(tmp, NULL) == d) break;
    }
    /* tmp = [-]D.DDDDe[+-]XX : digits + exponent */
    char digits[24];
    int nd = 0, neg = tmp[0] == '-';
    const char *p = tmp + neg;
    for (; *p && *p != 'e'; p++)
        if (isdigit((unsigned char)*p)) digits[nd++] = *p;
    digits[nd] = 0;
    while (nd > 1 && digits[nd - 1] == '0')
        digits[--nd] = 0;
    int exp = atoi(p + 1); /* value = 0.D1D2.. * 10^(exp+1) */
    int k = exp + 1;       /* decimal point position */
    char b[64];
    size_t o = 0;
    if (neg) b[o++] = '-';
    if (k > 21 || k < -5) {
        b[o++] = digits[0];
        if (nd > 1) {
            b[o++] = '.';
            for (int i = 1; i < nd; i++)
                b[o++] = digits[i];
        }
        o += (size_t)snprintf(b + o, sizeof b - o, "e%c%d", exp >= 0 ? '+' : '-', abs(exp));
    } else if (k <= 0) {
        b[o++] = '0';
        b[o++] = '.';
        for (int i = 0; i < -k; i++)
            b[o++] = '0';
        for (int i = 0; i < nd; i++)
            b[o++] = digits[i];
    } else {
        for (int i = 0; i < (nd > k ? nd : k); i++) {
            if (i == k) b[o++] = '.';
            b[o++] = i < nd ? digits[i] : '0';
        }
    }
    b[o] = 0;
    snprintf(out, n, "%s", b);
}

typedef struct {
    char *b;
    size_t n, cap;
    int over;
} sb_t;
static void sb_put(sb_t *s, const char *p, size_t l) {
    if (s->over || s->n + l + 1 > MAX_STRING) {
        s->over = 1;
        return;
    }
    if (s->n + l + 1 > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        while (cap < s->n + l + 1)
            cap *= 2;
        s->b = realloc(s->b, cap);
        s->cap = cap;
    }
    memcpy(s->b + s->n, p, l);
    s->n += l;
    s->b[s->n] = 0;
}
static void sb_puts(sb_t *s, const char *p) {
    sb_put(s, p, strlen(p));
}
static char *sb_done(sb_t *s) {
    if (!s->b) return strdup("");
    return s->b;
}

/* A JavaScript regular expression (non-unicode mode, as jsonata-js builds them) rewritten for PCRE2,
 * or NULL with why filled for what JavaScript refuses. JavaScript's \s (Unicode white space) and \v
 * are spelled out; letters PCRE2 gives a meaning to but JavaScript does not (\A \Z \h \K \Q \p ...)
 * stay plain letters, as in JavaScript; a '[' inside a class is a plain '['; PCRE2's own syntax,
 * possessive quantifiers and (?…) groups other than (?: (?= (?! (?<= (?<! (?<name>, is refused. */
#define JS_WS                                                                                                \
    "\\t\\n\\x0b\\f\\r "                                                                                     \
    "\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
static char *js_regex_to_pcre2(const char *p, char *why, size_t n) {
    sb_t o = {0};
    int in_class = 0, after_quant = 0;
    for (size_t i = 0; p[i]; i++) {
        char c = p[i];
        int quant = 0;
        if (c == '\\' && p[i + 1]) {
            char d = p[++i];
            if (d == 's')
                sb_puts(&o, in_class ? JS_WS : "[" JS_WS "]");
            else if (d == 'S')
                sb_puts(&o, in_class ? "\\S" : "[^" JS_WS "]");
            else if (d == 'v')
                sb_puts(&o, "\\x0b");
            else if (d == 'B' && in_class)
                sb_put(&o, "B", 1);
            else if (isalpha((unsigned char)d) && !strchr("dDwWbBfnrtcxuk", d))
                sb_put(&o, &d, 1); /* an identity escape in JavaScript */
            else {
                sb_put(&o, "\\", 1);
                sb_put(&o, &d, 1);
            }
        } else if (in_class) {
            if (c == ']') in_class = 0;
            sb_puts(&o, c == '[' ? "\\[" : (char[]){c, 0});
        } else if (c == '[') {
            in_class = 1;
            sb_put(&o, "[", 1);
            if (p[i + 1] == '^') sb_put(&o, &p[++i], 1);
            if (p[i + 1] == ']') { /* [] and [^]: an empty class, as in JavaScript (ALLOW_EMPTY_CLASS) */
                sb_put(&o, "]", 1);
                i++;
                in_class = 0;
            }
        } else if (c == '(' && p[i + 1] == '?') {
            const char *g = p + i + 2;
            int ok = *g == ':' || *g == '=' || *g == '!' || !strncmp(g, "<=", 2) || !strncmp(g, "<!", 2);
            if (!ok && *g == '<') {
                const char *e = g + 1;
                while (isalnum((unsigned char)*e) || *e == '_' || *e == '$')
                    e++;
                ok = e > g + 1 && *e == '>' && !isdigit((unsigned char)g[1]);
            }
            if (!ok) {
                snprintf(why, n, "Invalid group");
                free(o.b);
                return NULL;
            }
            sb_put(&o, "(?", 2);
            i++;
        } else {
            if (c == '+' && after_quant == 1) {
                snprintf(why, n, "Nothing to repeat");
                free(o.b);
                return NULL;
            }
            if (c == '*' || c == '+')
                quant = 1;
            else if (c == '?')
                quant = after_quant == 1 ? 2 : 1; /* a lazy mark ends the quantifier */
            else if (c == '{') {
                size_t j = i + 1;
                while (isdigit((unsigned char)p[j]))
                    j++;
                if (j > i + 1 && p[j] == ',')
                    for (j++; isdigit((unsigned char)p[j]);)
                        j++;
                if (j > i + 1 && p[j] == '}') {
                    sb_put(&o, p + i, j - i + 1);
                    i = j;
                    after_quant = 1;
                    continue;
                }
            }
            if (c == '.')
                sb_puts(&o, "[^\\n\\r\\u2028\\u2029]"); /* JavaScript's '.' stops at all four line ends */
            else
                sb_put(&o, &c, 1);
        }
        after_quant = quant == 1;
    }
    if (o.over) {
        free(o.b);
        snprintf(why, n, "too long");
        return NULL;
    }
    return sb_done(&o);
}

static void json_str(sb_t *s, const char *p) {
    sb_put(s, "\"", 1);
    for (; *p; p++) {
        unsigned char c = (unsigned char)*p;
        char t[8];
        if (c == '"' || c == '\\') {
            t[0] = '\\';
            t[1] = (char)c;
            sb_put(s, t, 2);
        } else if (c < 0x20) {
            const char *esc = c == '\n'   ? "\\n"
                              : c == '\t' ? "\\t"
                              : c == '\r' ? "\\r"
                              : c == '\b' ? "\\b"
                              : c == '\f' ? "\\f"
                                          : NULL;
            if (esc)
                sb_puts(s, esc);
            else {
                snprintf(t, sizeof t, "\\u%04x", c);
                sb_puts(s, t);
            }
        } else
            sb_put(s, (const char *)&c, 1);
    }
    sb_put(s, "\"", 1);
}

/* JSON.stringify with jsonata's number rule (15 significant digits); functions as "". */
static int stringify(ev_t *E, sb_t *s, const cJSON *v, int pretty, int ind) {
    char t[64];
    if (!v || TYPE(v) == cJSON_NULL) {
        sb_puts(s, "null");
        return 0;
    }
    switch (TYPE(v)) {
    case cJSON_True:
        sb_puts(s, "true");
        return 0;
    case cJSON_False:
        sb_puts(s, "false");
        return 0;
    case cJSON_Number: {
        if (!isfinite(v->valuedouble))
            return efail(E, "D3001", "Attempting to invoke string function on Infinity or NaN");
        snprintf(t, sizeof t, "%.15g", v->valuedouble);
        js_num(strtod(t, NULL), t, sizeof t);
        sb_puts(s, t);
        return 0;
    }
    case cJSON_String:
        json_str(s, v->valuestring);
        return 0;
    case cJSON_Raw:
        sb_puts(s, "\"\"");
        return 0;
    case cJSON_Array:
    case cJSON_Object: {
        int obj = TYPE(v) == cJSON_Object;
        sb_puts(s, obj ? "{" : "[");
        int first = 1;
        for (const cJSON *c = v->child; c; c = c->next) {
            if (obj && is_fn(c)) continue;
            if (!first) sb_puts(s, ",");
            first = 0;
            if (pretty) {
                sb_puts(s, "\n");
                for (int i = 0; i < ind + 2; i++)
                    sb_puts(s, " ");
            }
            if (obj) {
                json_str(s, c->string);
                sb_puts(s, pretty ? ": " : ":");
            }
            if (stringify(E, s, is_fn(c) ? NULL : c, pretty, ind + 2)) return -1;
        }
        if (pretty && !first) {
            sb_puts(s, "\n");
            for (int i = 0; i < ind; i++)
                sb_puts(s, " ");
        }
        sb_puts(s, obj ? "}" : "]");
        return 0;
    }
    }
    return 0;
}

/* $string semantics. NULL for undefined input; sets E->failed on error. */
static char *to_string(ev_t *E, const cJSON *v, int pretty) {
    if (!v) return NULL;
    if (is_str(v)) return strdup(v->valuestring);
    if (is_fn(v)) return strdup("");
    sb_t s = {0};
    if (stringify(E, &s, v, pretty, 0)) {
        free(s.b);
        return NULL;
    }
    if (s.over) {
        free(s.b);
        efail(E, "D1101", "String result longer than %d bytes", MAX_STRING);
        return NULL;
    }
    return sb_done(&s);
}

static cJSON *num(double d) {
    return cJSON_CreateNumber(d);
}
static cJSON *str_take(char *s) {
    cJSON *v = cJSON_CreateString(s);
    free(s);
    return v;
}

/* ---- evaluation ---- */

static cJSON *eval(ev_t *E, const node_t *n, const cJSON *in, frame_t *env);
static cJSON *apply_fn(ev_t *E, const cJSON *fn, cJSON **args, int nargs, const cJSON *in);

/* Collapse a sequence: empty -> undefined, singleton -> its item (unless kept). */
static cJSON *normalize(cJSON *r, int keep) {
    if (!is_seq(r)) return r;
    if (keep) r->type |= F_KEEP;
    int n = cJSON_GetArraySize(r);
    if (n == 0) {
        cJSON_Delete(r);
        return NULL;
    }
    if (n == 1 && !(r->type & F_KEEP)) {
        cJSON *c = cJSON_DetachItemFromArray(r, 0);
        cJSON_Delete(r);
        return c;
    }
    return r;
}

/* jsonata-js fn.lookup: field of an object, mapped over arrays (results flattened one level) */
static cJSON *lookup(ev_t *E, const cJSON *in, const char *key) {
    if (is_arr(in)) {
        cJSON *r = seq_new();
        for (const cJSON *c = in->child; c; c = c->next) {
            if (step(E)) break;
            cJSON *v = lookup(E, c, key);
            if (!v) continue;
            if (is_arr(v)) {
                cJSON *x;
                while ((x = cJSON_DetachItemFromArray(v, 0)))
                    push(r, x);
                cJSON_Delete(v);
            } else
                push(r, v);
        }
        return r;
    }
    if (is_obj(in)) return dupc(E, cJSON_GetObjectItemCaseSensitive(in, key));
    return NULL;
}

static void flatten_into(cJSON *r, const cJSON *v) {
    if (is_arr(v))
        for (const cJSON *c = v->child; c; c = c->next)
            flatten_into(r, c);
    else
        push(r, dup(v));
}

static cJSON *wildcard(ev_t *E, const cJSON *in) {
    cJSON *r = seq_new();
    if (is_obj(in) || is_arr(in))
        for (const cJSON *c = in->child; c; c = c->next) {
            if (step(E)) break;
            if (is_arr(c)) {
                if (dupc_charge(E, c)) break;
                flatten_into(r, c);
            } else
                push(r, dupc(E, c));
        }
    return r;
}

static void descend(ev_t *E, const cJSON *v, cJSON *r, int depth) {
    if (step(E) || depth > 1000) return;
    if (!is_arr(v)) push(r, dupc(E, v));
    if (is_arr(v) || is_obj(v))
        for (const cJSON *c = v->child; c; c = c->next)
            descend(E, c, r, depth + 1);
}

/* double -> int without undefined behaviour: clamped to +-1e9, NaN as 0 */
static int clampi(double d) {
    if (d != d) return 0;
    if (d > 1e9) return 1000000000;
    if (d < -1e9) return -1000000000;
    return (int)d;
}

static int array_of_numbers(const cJSON *v) {
    if (!is_arr(v)) return 0;
    for (const cJSON *c = v->child; c; c = c->next)
        if (!is_num(c)) return 0;
    return 1;
}

/* jsonata-js evaluateFilter: predicate (index or boolean) over r (consumed). Returns a sequence. */
static cJSON *filter(ev_t *E, const node_t *pred, cJSON *r, frame_t *env) {
    cJSON *out = seq_new();
    if (!r) return out;
    cJSON *items = r;
    if (!is_arr(r)) {
        items = seq_new();
        push(items, r);
    }
    int n = cJSON_GetArraySize(items);
    if (pred->type == N_NUM) {
        int idx = clampi(floor(pred->num));
        if (idx < 0) idx += n;
        if (idx >= 0 && idx < n) {
            cJSON *it = cJSON_DetachItemFromArray(items, idx);
            if (is_arr(it)) {
                cJSON_Delete(out);
                out = it;
            } else
                push(out, it);
        }
        cJSON_Delete(items);
        return out;
    }
    char *keep = calloc((size_t)n + 1, 1);
    int i = 0;
    for (cJSON *c = items->child; c; c = c->next, i++) {
        cJSON *v = eval(E, pred, c, env);
        if (E->failed) {
            cJSON_Delete(v);
            break;
        }
        if (is_num(v) || array_of_numbers(v)) {
            if (is_num(v)) {
                int k = clampi(floor(v->valuedouble));
                if (k < 0) k += n;
                if (k == i) keep[i] = 1;
            } else
                for (cJSON *x = v->child; x; x = x->next) {
                    int k = clampi(floor(x->valuedouble));
                    if (k < 0) k += n;
                    if (k == i) keep[i] = 1;
                }
        } else if (boolean(E, v))
            keep[i] = 1;
        cJSON_Delete(v);
    }
    i = 0;
    cJSON *c = items->child;
    while (c) {
        cJSON *next = c->next;
        if (keep[i]) push(out, cJSON_DetachItemViaPointer(items, c));
        c = next;
        i++;
    }
    free(keep);
    cJSON_Delete(items);
    return out;
}

/* Evaluate one path step for every input item (evaluateStep). */
static cJSON *eval_step(ev_t *E, const node_t *s, const cJSON **items, int n, frame_t *env, int last) {
    cJSON *res = seq_new();
    for (int i = 0; i < n && !E->failed; i++) {
        cJSON *v = eval(E, s, items[i], env);
        for (int k = 0; k < s->ns && !E->failed; k++)
            v = filter(E, s->stages[k], v, env);
        if (E->failed) {
            cJSON_Delete(v);
            break;
        }
        push(res, v);
    }
    if (E->failed) {
        cJSON_Delete(res);
        return NULL;
    }
    if (last && cJSON_GetArraySize(res) == 1 && is_arr(res->child) && !is_seq(res->child)) {
        cJSON *a = cJSON_DetachItemFromArray(res, 0);
        cJSON_Delete(res);
        return a;
    }
    cJSON *out = seq_new();
    cJSON *v;
    while ((v = cJSON_DetachItemFromArray(res, 0))) {
        if (!is_arr(v) || (v->type & F_CONS)) {
            push(out, v);
            continue;
        }
        cJSON *x;
        while ((x = cJSON_DetachItemFromArray(v, 0)))
            push(out, x);
        cJSON_Delete(v);
        if (step(E)) break;
    }
    cJSON_Delete(res);
    return out;
}

static cJSON *eval_group(ev_t *E, const node_t *obj, const cJSON *in, frame_t *env);
static int *sort_order(ev_t *E, const node_t *n, const cJSON **ctx, frame_t **envs, int cnt, frame_t *env);
static cJSON *sort_items(ev_t *E, const node_t *n, const cJSON **items, int cnt, frame_t *env);

/* ---- tuple streams (jsonata-js evaluateTupleStep) ----
 * Once a step of a path binds a focus (@$v), an index (#$i) or an ancestor (for a %), the rest of
 * the path runs on tuples: the context item '@' plus the variables bound so far. Values are
 * borrowed from the stream's keep list, which outlives every frame made from a tuple unless a
 * function value was made meanwhile (then keep goes to the grave with the frames' closures). */

typedef struct {
    const char *name;
    const cJSON *v;
} tbind_t;

typedef struct {
    const cJSON *at;
    tbind_t *b;
    int nb;
} tuple_t;

typedef struct {
    tuple_t *t;
    int n, cap;
    cJSON *keep;
} tstream_t;

static void ts_init(tstream_t *ts) {
    memset(ts, 0, sizeof *ts);
    ts->keep = cJSON_CreateArray();
}

static void ts_clear(tstream_t *ts) {
    for (int i = 0; i < ts->n; i++)
        free(ts->t[i].b);
    free(ts->t);
    ts->t = NULL;
    ts->n = ts->cap = 0;
}

/* fns_mark: the function count when the stream began */
static void ts_free(ev_t *E, tstream_t *ts, int fns_mark) {
    ts_clear(ts);
    if (E->nfns != fns_mark)
        cJSON_AddItemToArray(E->grave, ts->keep);
    else
        cJSON_Delete(ts->keep);
    ts->keep = NULL;
}

/* v (owned) now lives as long as the stream's values */
static const cJSON *ts_own(tstream_t *ts, cJSON *v) {
    if (v) cJSON_AddItemToArray(ts->keep, v);
    return v;
}

static void ts_push(tstream_t *ts, tuple_t t) {
    if (ts->n == ts->cap) {
        ts->cap = ts->cap ? ts->cap * 2 : 8;
        ts->t = realloc(ts->t, sizeof *ts->t * (size_t)ts->cap);
    }
    ts->t[ts->n++] = t;
}

static tuple_t tuple_copy(const tuple_t *t) {
    tuple_t c = {t->at, NULL, t->nb};
    if (t->nb) {
        c.b = malloc(sizeof *c.b * (size_t)t->nb);
        memcpy(c.b, t->b, sizeof *c.b * (size_t)t->nb);
    }
    return c;
}

static const cJSON **tuple_slot(tuple_t *t, const char *name) {
    for (int i = 0; i < t->nb; i++)
        if (!strcmp(t->b[i].name, name)) return &t->b[i].v;
    t->b = realloc(t->b, sizeof *t->b * (size_t)(t->nb + 1));
    t->b[t->nb] = (tbind_t){name, NULL};
    return &t->b[t->nb++].v;
}

static void tuple_set(tuple_t *t, const char *name, const cJSON *v) {
    *tuple_slot(t, name) = v;
}

/* Object.assign(t, from): from's context and bindings win */
static void tuple_merge(tuple_t *t, const tuple_t *from) {
    t->at = from->at;
    for (int i = 0; i < from->nb; i++)
        tuple_set(t, from->b[i].name, from->b[i].v);
}

/* createFrameFromTuple: the tuple's variables over env (borrowed) */
static frame_t *tuple_frame(ev_t *E, frame_t *env, const tuple_t *t) {
    frame_t *f = frame_new(E, env);
    E->steps += t->nb;
    for (int i = 0; i < t->nb; i++)
        bind_borrowed(E, f, t->b[i].name, t->b[i].v);
    return f;
}

/* Move the tuples (and the values they borrow) of from into to. */
static void ts_take(tstream_t *to, tstream_t *from) {
    for (int i = 0; i < from->n; i++)
        ts_push(to, from->t[i]);
    free(from->t);
    from->t = NULL;
    from->n = from->cap = 0;
    cJSON_AddItemToArray(to->keep, from->keep);
    from->keep = NULL;
}

/* jsonata-js evaluateFilter over a tuple stream: each tuple's '@' is the context, its variables
 * are in scope. */
static void tuple_filter(ev_t *E, const node_t *pred, tstream_t *ts, frame_t *env) {
    int n = ts->n;
    char *keep = calloc((size_t)n + 1, 1);
    if (pred->type == N_NUM) {
        int idx = clampi(floor(pred->num));
        if (idx < 0) idx += n;
        if (idx >= 0 && idx < n) keep[idx] = 1;
    } else
        for (int i = 0; i < n && !E->failed; i++) {
            int fm = E->nframes, fnm = E->nfns;
            cJSON *v = eval(E, pred, ts->t[i].at, tuple_frame(E, env, &ts->t[i]));
            if (!E->failed) {
                if (is_num(v) || array_of_numbers(v)) {
                    for (const cJSON *x = is_num(v) ? v : v->child; x; x = is_num(v) ? NULL : x->next) {
                        int k = clampi(floor(x->valuedouble));
                        if (k < 0) k += n;
                        if (k == i) keep[i] = 1;
                    }
                } else if (boolean(E, v))
                    keep[i] = 1;
            }
            cJSON_Delete(v);
            frames_release(E, fm, fnm);
        }
    int k = 0;
    for (int i = 0; i < n; i++) {
        if (keep[i] && !E->failed)
            ts->t[k++] = ts->t[i];
        else
            free(ts->t[i].b);
    }
    ts->n = k;
    free(keep);
}

/* jsonata-js evaluateStages: predicates and #$i index bindings in the order written */
static void tuple_stages(ev_t *E, const node_t *s, tstream_t *ts, frame_t *env) {
    for (int k = 0; k < s->ns && !E->failed; k++) {
        const node_t *st = s->stages[k];
        if (st->type == N_INDEX_STAGE) {
            for (int i = 0; i < ts->n; i++)
                tuple_set(&ts->t[i], st->str, ts_own(ts, num(i)));
        } else
            tuple_filter(E, st, ts, env);
    }
}

/* A sort step on a tuple stream, or (first tuple step) on the input items with #$i positions. */
static void tuple_sort(ev_t *E, const node_t *s, tstream_t *ts, int have, const cJSON **items, int ni,
                       frame_t *env) {
    if (!have) {
        int *idx = sort_order(E, s, items, NULL, ni, env);
        for (int i = 0; idx && i < ni; i++) {
            tuple_t t = {items[idx[i]], NULL, 0};
            /* jsonata-js binds tuple[expr.index], "undefined" when #$i follows predicates */
            tuple_set(&t, s->index_var ? s->index_var : "undefined", ts_own(ts, num(i)));
            ts_push(ts, t);
        }
        free(idx);
    } else {
        int fm = E->nframes, fnm = E->nfns;
        const cJSON **ctx = malloc(sizeof *ctx * (size_t)(ts->n + 1));
        frame_t **envs = malloc(sizeof *envs * (size_t)(ts->n + 1));
        for (int i = 0; i < ts->n; i++) {
            ctx[i] = ts->t[i].at;
            envs[i] = tuple_frame(E, env, &ts->t[i]);
        }
        int *idx = sort_order(E, s, ctx, envs, ts->n, env);
        if (idx && ts->n) {
            tuple_t *sorted = malloc(sizeof *sorted * (size_t)(ts->n + 1));
            for (int i = 0; i < ts->n; i++)
                sorted[i] = ts->t[idx[i]];
            memcpy(ts->t, sorted, sizeof *sorted * (size_t)ts->n);
            free(sorted);
        }
        free(idx);
        free(ctx);
        free(envs);
        frames_release(E, fm, fnm);
    }
    tuple_stages(E, s, ts, env);
}

static cJSON *eval_path_ts(ev_t *E, const node_t *n, const cJSON *in, frame_t *env, tstream_t *out,
                           int *streamed);

/* Evaluate n as a step of a tuple stream: a path or block that carries ancestry (tuple) hands its
 * own stream back (*streamed set, tuples in out), anything else gives a value. */
static cJSON *eval_tuples(ev_t *E, const node_t *n, const cJSON *in, frame_t *env, tstream_t *out,
                          int *streamed) {
    *streamed = 0;
    if (!n->tuple || n->np || n->group || (n->type != N_PATH && n->type != N_BLOCK) || !n->nk)
        return eval(E, n, in, env);
    if (step(E)) return NULL;
    if (E->depth >= MAX_EVAL_DEPTH) {
        efail(E, "U1001",
              "Stack overflow error: Check for non-terminating recursive function.  Consider rewriting as "
              "tail-recursive.");
        return NULL;
    }
    E->depth++;
    cJSON *r = NULL;
    if (n->type == N_PATH)
        r = eval_path_ts(E, n, in, env, out, streamed);
    else {
        int fm = E->nframes, fnm = E->nfns;
        frame_t *f = frame_new(E, env);
        for (int i = 0; i < n->nk - 1 && !E->failed; i++)
            cJSON_Delete(eval(E, n->kids[i], in, f));
        if (!E->failed) r = eval_tuples(E, n->kids[n->nk - 1], in, f, out, streamed);
        if (!is_fn(r)) frames_release(E, fm, fnm);
    }
    E->depth--;
    if (E->failed) {
        cJSON_Delete(r);
        return NULL;
    }
    return *streamed ? NULL : normalize(r, n->keep_array);
}

/* jsonata-js evaluateTupleStep: step s over the stream in (or, have == 0, over the items as
 * tuples {'@': item}) into out. */
static void tuple_step(ev_t *E, const node_t *s, tstream_t *in, int have, const cJSON **items, int ni,
                       frame_t *env, tstream_t *out) {
    if (s->type == N_SORT) {
        if (have) ts_take(out, in);
        tuple_sort(E, s, out, have, items, ni, env);
        return;
    }
    int cnt = have ? in->n : ni;
    for (int e = 0; e < cnt && !E->failed; e++) {
        tuple_t cur = have ? in->t[e] : (tuple_t){items[e], NULL, 0};
        int fm = E->nframes, fnm = E->nfns, streamed = 0;
        tstream_t sub;
        ts_init(&sub);
        cJSON *res = eval_tuples(E, s, cur.at, tuple_frame(E, env, &cur), &sub, &streamed);
        if (streamed) {
            for (int k = 0; k < sub.n; k++) {
                tuple_t t = tuple_copy(&cur);
                tuple_merge(&t, &sub.t[k]);
                ts_push(out, t);
            }
            ts_clear(&sub);
            ts_own(out, sub.keep);
        } else {
            cJSON_Delete(sub.keep);
            const cJSON *r = ts_own(out, res);
            int bb = 0;
            for (const cJSON *it = is_arr(r) ? r->child : r; it; it = is_arr(r) ? it->next : NULL, bb++) {
                tuple_t t = tuple_copy(&cur);
                if (s->focus)
                    tuple_set(&t, s->focus, it);
                else
                    t.at = it;
                if (s->index_var) tuple_set(&t, s->index_var, ts_own(out, num(bb)));
                if (s->anc) tuple_set(&t, s->anc, cur.at);
                ts_push(out, t);
                E->steps += t.nb; /* a tuple costs its bindings */
                if (step(E)) break;
            }
        }
        frames_release(E, fm, fnm);
    }
    if (have) { /* the input tuples' values now live in out */
        ts_clear(in);
        ts_own(out, in->keep);
        in->keep = NULL;
    }
    tuple_stages(E, s, out, env);
}

/* fn.append for reducing grouped tuples: a plain array of both (arrays spread one level) */
static const cJSON *tuple_append(tstream_t *ts, const cJSON *a, const cJSON *b) {
    if (!a) return b;
    if (!b) return a;
    cJSON *r = cJSON_CreateArray();
    for (const cJSON *x = is_arr(a) ? a->child : a; x; x = is_arr(a) ? x->next : NULL)
        push(r, dup(x));
    for (const cJSON *x = is_arr(b) ? b->child : b; x; x = is_arr(b) ? x->next : NULL)
        push(r, dup(x));
    r->type &= ~(F_SEQ | F_KEEP | F_CONS);
    return ts_own(ts, r);
}

/* jsonata-js evaluateGroupExpression on a tuple stream: keys per tuple in its frame; each group's
 * tuples reduced (reduceTupleStream) into one context and frame for its value. */
static cJSON *eval_group_tuples(ev_t *E, const node_t *obj, tstream_t *ts, frame_t *env) {
    if (ts->n == 0) { /* jsonata-js reads '@' of the undefined it pads an empty stream with: a
                       * JavaScript TypeError */
        efail(E, "TypeError", "Cannot read properties of undefined (reading '@')");
        return NULL;
    }
    int npairs = obj->nk / 2;
    typedef struct {
        char *key;
        int pair;
        int *idx;
        int n;
    } tgrp_t;
    tgrp_t *g = NULL;
    int ng = 0;
    for (int i = 0; i < ts->n && !E->failed; i++)
        for (int p = 0; p < npairs && !E->failed; p++) {
            int fm = E->nframes, fnm = E->nfns;
            cJSON *k = eval(E, obj->kids[2 * p], ts->t[i].at, tuple_frame(E, env, &ts->t[i]));
            frames_release(E, fm, fnm);
            if (E->failed || !k) {
                cJSON_Delete(k);
                continue;
            }
            if (!is_str(k)) {
                char *t = to_string(E, k, 0);
                efail(E, "T1003", "Key in object structure must evaluate to a string; got: %.200s",
                      t ? t : "?");
                free(t);
                cJSON_Delete(k);
                break;
            }
            int found = -1;
            for (int j = 0; j < ng; j++)
                if (!strcmp(g[j].key, k->valuestring)) found = j;
            if (found >= 0 && g[found].pair != p) {
                efail(E, "D1009", "Multiple key definitions evaluate to same key: \"%.200s\"",
                      k->valuestring);
                cJSON_Delete(k);
                break;
            }
            if (found < 0) {
                g = realloc(g, sizeof *g * (size_t)(ng + 1));
                g[ng] = (tgrp_t){strdup(k->valuestring), p, NULL, 0};
                found = ng++;
            }
            g[found].idx = realloc(g[found].idx, sizeof(int) * (size_t)(g[found].n + 1));
            g[found].idx[g[found].n++] = i;
            cJSON_Delete(k);
        }
    cJSON *r = E->failed ? NULL : cJSON_CreateObject();
    for (int j = 0; j < ng; j++) {
        if (r && !E->failed) {
            tuple_t t = tuple_copy(&ts->t[g[j].idx[0]]);
            for (int m = 1; m < g[j].n; m++) {
                const tuple_t *o = &ts->t[g[j].idx[m]];
                t.at = tuple_append(ts, t.at, o->at);
                for (int b = 0; b < o->nb; b++) {
                    const cJSON **slot = tuple_slot(&t, o->b[b].name);
                    *slot = tuple_append(ts, *slot, o->b[b].v);
                }
            }
            int fm = E->nframes, fnm = E->nfns;
            cJSON *v = eval(E, obj->kids[2 * g[j].pair + 1], t.at, tuple_frame(E, env, &t));
            frames_release(E, fm, fnm);
            free(t.b);
            if (v && !E->failed)
                cJSON_AddItemToObject(r, g[j].key, v);
            else
                cJSON_Delete(v);
        }
        free(g[j].key);
        free(g[j].idx);
    }
    free(g);
    if (E->failed) {
        cJSON_Delete(r);
        return NULL;
    }
    return r;
}

/* Steps from.. of path n on tuples (the input items as the first tuples). With out, the stream is
 * handed back (*streamed); otherwise the result is the sequence of the tuples' '@' (or the group). */
static cJSON *path_tuples(ev_t *E, const node_t *n, int from, const cJSON **items, int ni, const cJSON *in,
                          frame_t *env, tstream_t *out, int *streamed) {
    int fnm = E->nfns, have = 0;
    tstream_t ts;
    ts_init(&ts);
    cJSON *cons = NULL; /* a leading array constructor's value (the items point into it) */
    for (int i = from; i < n->nk && !E->failed; i++) {
        const node_t *s = n->kids[i];
        if (i == 0 && s->type == N_ARRAY && s->cons) { /* evaluated whole, its binding ignored */
            cons = eval(E, s, in, env);
            free(items);
            ni = is_arr(cons) ? cJSON_GetArraySize(cons) : cons ? 1 : 0;
            items = malloc(sizeof *items * (size_t)(ni + 1));
            int k = 0;
            for (const cJSON *c = is_arr(cons) ? cons->child : cons; c; c = is_arr(cons) ? c->next : NULL)
                items[k++] = c;
            ts_own(&ts, cons);
            continue;
        }
        tstream_t next;
        ts_init(&next);
        tuple_step(E, s, &ts, have, items, ni, env, &next);
        ts_clear(&ts);
        if (ts.keep) ts_own(&next, ts.keep); /* the first tuples borrow from the constructor's value */
        ts = next;
        have = 1;
    }
    free(items);
    cJSON *r = NULL;
    if (E->failed) {
    } else if (out && !n->group) {
        ts_take(out, &ts);
        *streamed = 1;
    } else if (n->group) {
        r = eval_group_tuples(E, n->group, &ts, env);
    } else {
        r = seq_new();
        for (int i = 0; i < ts.n && !E->failed; i++)
            push(r, dupc(E, ts.t[i].at));
        if (n->keep_singleton) r->type |= F_KEEP;
    }
    if (ts.keep)
        ts_free(E, &ts, fnm);
    else
        ts_clear(&ts);
    if (E->failed) {
        cJSON_Delete(r);
        return NULL;
    }
    return r;
}

static cJSON *eval_path(ev_t *E, const node_t *n, const cJSON *in, frame_t *env) {
    int streamed = 0;
    return eval_path_ts(E, n, in, env, NULL, &streamed);
}

/* jsonata-js evaluatePath. With out (a path marked tuple), a tuple stream is handed back there. */
static cJSON *eval_path_ts(ev_t *E, const node_t *n, const cJSON *in, frame_t *env, tstream_t *out,
                           int *streamed) {
    const cJSON **items = NULL;
    int ni = 0;
    cJSON *holder = NULL, *res = NULL;
    int first = 0;
    const node_t *s0 = n->kids[0];
    /* A leading variable with more steps is read in place (no copy of the bound value), unless the
     * path may hand back a tuple stream borrowing from it (the frame holding it may go first). */
    if (!out && s0->type == N_VAR && n->nk > 1 && !s0->ns && !s0->np && !s0->group && !s0->tuple &&
        s0->str[0] && strcmp(s0->str, "$")) {
        const cJSON *v = NULL;
        if (!var_lookup(E, env, s0->str, &v)) v = NULL;
        if (!v) return NULL;
        first = 1;
        /* plain field steps through single objects are navigated in place too ($states.input.x) */
        if (!n->keep_singleton && !n->group)
            while (first < n->nk && is_obj(v)) {
                const node_t *s = n->kids[first];
                if (s->type != N_NAME || s->ns || s->np || s->group || s->keep_array || s->tuple) break;
                v = cJSON_GetObjectItemCaseSensitive(v, s->str);
                first++;
                if (!v) return NULL;
            }
        if (first == n->nk) return dupc(E, v);
        if (is_arr(v) && !(v->type & F_CONS)) {
            ni = cJSON_GetArraySize(v);
            items = malloc(sizeof *items * (size_t)(ni + 1));
            int k = 0;
            for (const cJSON *c = v->child; c; c = c->next)
                items[k++] = c;
        } else {
            items = malloc(sizeof *items);
            items[0] = v;
            ni = 1;
        }
    } else if (is_arr(in) && s0->type != N_VAR) {
        ni = cJSON_GetArraySize(in);
        items = malloc(sizeof *items * (size_t)(ni + 1));
        int k = 0;
        for (const cJSON *c = in->child; c; c = c->next)
            items[k++] = c;
    } else {
        items = malloc(sizeof *items);
        items[0] = in;
        ni = 1;
    }
    for (int i = first; i < n->nk; i++) {
        const node_t *s = n->kids[i];
        if (s->tuple) { /* the rest of the path runs on tuples */
            res = path_tuples(E, n, i, items, ni, in, env, out, streamed);
            if (*streamed && holder) { /* the stream's first tuples may borrow from it */
                ts_own(out, holder);
                holder = NULL;
            }
            cJSON_Delete(holder); /* (path_tuples freed items) */
            return res;
        }
        if (i == 0 && s->type == N_ARRAY && s->cons)
            res = eval(E, s, in, env);
        else if (s->type == N_SORT) {
            res = sort_items(E, s, items, ni, env);
            for (int k = 0; k < s->ns && !E->failed; k++)
                res = filter(E, s->stages[k], res, env);
        } else
            res = eval_step(E, s, items, ni, env, i == n->nk - 1);
        if (E->failed) break;
        cJSON_Delete(holder);
        holder = NULL;
        free(items);
        items = NULL;
        if (!res || (is_arr(res) && !res->child)) break;
        if (i + 1 < n->nk) {
            holder = res;
            res = NULL;
            if (is_arr(holder)) {
                ni = cJSON_GetArraySize(holder);
                items = malloc(sizeof *items * (size_t)(ni + 1));
                int k = 0;
                for (const cJSON *c = holder->child; c; c = c->next)
                    items[k++] = c;
            } else {
                items = malloc(sizeof *items);
                items[0] = holder;
                ni = 1;
            }
        }
    }
    free(items);
    cJSON_Delete(holder);
    if (E->failed) {
        cJSON_Delete(res);
        return NULL;
    }
    if (n->keep_singleton && res) {
        if (!is_seq(res)) {
            if (is_arr(res) && (res->type & F_CONS)) {
                cJSON *s = seq_new();
                push(s, res);
                res = s;
            } else if (!is_arr(res)) {
                cJSON *s = seq_new();
                push(s, res);
                res = s;
            }
        }
        if (is_seq(res)) res->type |= F_KEEP;
    }
    if (n->group) {
        cJSON *g = eval_group(E, n->group, res, env);
        cJSON_Delete(res);
        res = g;
    }
    return res;
}

/* jsonata-js evaluateGroupExpression: {k: v} over the items of in (borrowed). */
static cJSON *eval_group(ev_t *E, const node_t *obj, const cJSON *in_owned_or_borrowed, frame_t *env) {
    const cJSON *in = in_owned_or_borrowed;
    int npairs = obj->nk / 2;
    const cJSON *single[1] = {in};
    const cJSON **items = single;
    int ni = 1;
    const cJSON **list = NULL;
    if (is_arr(in)) {
        ni = cJSON_GetArraySize(in);
        list = malloc(sizeof *list * (size_t)(ni + 1));
        int k = 0;
        for (const cJSON *c = in->child; c; c = c->next)
            list[k++] = c;
        items = list;
        if (ni == 0) {
            items = single;
            single[0] = NULL;
            ni = 1;
        }
    }
    typedef struct {
        char *key;
        int pair;
        int *idx;
        int n;
    } grp_t;
    grp_t *g = NULL;
    int ng = 0;
    for (int i = 0; i < ni && !E->failed; i++)
        for (int p = 0; p < npairs && !E->failed; p++) {
            cJSON *k = eval(E, obj->kids[2 * p], items[i], env);
            if (E->failed) {
                cJSON_Delete(k);
                break;
            }
            if (!k) continue;
            if (!is_str(k)) {
                char *t = to_string(E, k, 0);
                efail(E, "T1003", "Key in object structure must evaluate to a string; got: %.200s",
                      t ? t : "?");
                free(t);
                cJSON_Delete(k);
                break;
            }
            int found = -1;
            for (int j = 0; j < ng; j++)
                if (!strcmp(g[j].key, k->valuestring)) found = j;
            if (found >= 0) {
                if (g[found].pair != p) {
                    efail(E, "D1009", "Multiple key definitions evaluate to same key: \"%.200s\"",
                          k->valuestring);
                    cJSON_Delete(k);
                    break;
                }
                g[found].idx = realloc(g[found].idx, sizeof(int) * (size_t)(g[found].n + 1));
                g[found].idx[g[found].n++] = i;
            } else {
                g = realloc(g, sizeof *g * (size_t)(ng + 1));
                g[ng].key = strdup(k->valuestring);
                g[ng].pair = p;
                g[ng].idx = malloc(sizeof(int));
                g[ng].idx[0] = i;
                g[ng].n = 1;
                ng++;
            }
            cJSON_Delete(k);
        }
    cJSON *r = E->failed ? NULL : cJSON_CreateObject();
    for (int j = 0; j < ng; j++) {
        if (r && !E->failed) {
            cJSON *ctx = NULL;
            const cJSON *c = items[g[j].idx[0]];
            if (g[j].n > 1) {
                ctx = seq_new();
                for (int t = 0; t < g[j].n; t++) {
                    const cJSON *it = items[g[j].idx[t]];
                    if (is_arr(it))
                        flatten_into(ctx, it); /* fn.append */
                    else
                        push(ctx, dup(it));
                }
                c = ctx;
            }
            cJSON *v = eval(E, obj->kids[2 * g[j].pair + 1], c, env);
            cJSON_Delete(ctx);
            if (v && !E->failed)
                cJSON_AddItemToObject(r, g[j].key, v);
            else
                cJSON_Delete(v);
        }
        free(g[j].key);
        free(g[j].idx);
    }
    free(g);
    free(list);
    if (E->failed) {
        cJSON_Delete(r);
        return NULL;
    }
    return r;
}

static const char *type_name(const cJSON *v) {
    if (!v) return "undefined";
    switch (TYPE(v)) {
    case cJSON_NULL:
        return "null";
    case cJSON_Number:
        return isnan(v->valuedouble) ? "object" : "number"; /* jsonata-js's $type of NaN */
    case cJSON_String:
        return "string";
    case cJSON_True:
    case cJSON_False:
        return "boolean";
    case cJSON_Array:
        return "array";
    case cJSON_Object:
        return "object";
    default:
        return "function";
    }
}

static char *show(ev_t *E, const cJSON *v) {
    int f = E->failed;
    char *t = to_string(E, v, 0);
    E->failed = f;
    if (!t) return strdup(v ? "?" : "undefined");
    if (strlen(t) > 200) t[200] = 0;
    return t;
}

static cJSON *eval_binary(ev_t *E, const node_t *n, const cJSON *in, frame_t *env) {
    const char *op = n->op;
    if (!strcmp(op, "and") || !strcmp(op, "or")) {
        cJSON *l = eval(E, n->kids[0], in, env);
        int lb = boolean(E, l);
        cJSON_Delete(l);
        if (E->failed) return NULL;
        if (!strcmp(op, "and") ? !lb : lb) return cJSON_CreateBool(lb);
        cJSON *r = eval(E, n->kids[1], in, env);
        int rb = boolean(E, r);
        cJSON_Delete(r);
        if (E->failed) return NULL;
        return cJSON_CreateBool(rb);
    }
    cJSON *l = eval(E, n->kids[0], in, env);
    if (E->failed) return NULL;
    cJSON *r = eval(E, n->kids[1], in, env);
    cJSON *out = NULL;
    if (E->failed) goto done;
    if (strchr("+-*/%", op[0]) && !op[1]) {
        if (l && (!is_num(l) || is_nan(l))) {
            efail(E, "T2001", "The left side of the %s operator must evaluate to a number", op);
            goto done;
        }
        if (r && (!is_num(r) || is_nan(r))) {
            efail(E, "T2002", "The right side of the %s operator must evaluate to a number", op);
            goto done;
        }
        if (!l || !r) goto done;
        double a = l->valuedouble, b = r->valuedouble, v = 0;
        switch (op[0]) {
        case '+':
            v = a + b;
            break;
        case '-':
            v = a - b;
            break;
        case '*':
            v = a * b;
            break;
        case '/':
            v = a / b;
            break;
        case '%':
            v = fmod(a, b);
            break;
        }
        if (!isfinite(v)) {
            efail(E, "D1001", "Number out of range: %s %s %s", l ? "lhs" : "", op, r ? "rhs" : "");
            snprintf(E->e->message, sizeof E->e->message, "Number out of range");
            goto done;
        }
        out = num(v);
    } else if (!strcmp(op, "=") || !strcmp(op, "!=")) {
        int eq = l && r && deep_equal(l, r);
        out = cJSON_CreateBool(!l || !r ? 0 : op[0] == '=' ? eq : !eq);
    } else if (!strcmp(op, "<") || !strcmp(op, "<=") || !strcmp(op, ">") || !strcmp(op, ">=")) {
        if ((l && !is_num(l) && !is_str(l)) || (r && !is_num(r) && !is_str(r))) {
            efail(E, "T2010",
                  "The expressions either side of operator \"%s\" must evaluate to numeric or string values",
                  op);
            goto done;
        }
        if (!l || !r) goto done;
        if (TYPE(l) != TYPE(r)) {
            char *a = show(E, l), *b = show(E, r);
            efail(E, "T2009",
                  "The values %s and %s either side of operator \"%s\" must be of the same data type", a, b,
                  op);
            free(a);
            free(b);
            goto done;
        }
        int c = is_num(l) ? (l->valuedouble < r->valuedouble   ? -1
                             : l->valuedouble > r->valuedouble ? 1
                                                               : 0)
                          : strcmp(l->valuestring, r->valuestring);
        int v = op[0] == '<' ? (op[1] ? c <= 0 : c < 0) : (op[1] ? c >= 0 : c > 0);
        out = cJSON_CreateBool(v && !is_nan(l) && !is_nan(r)); /* NaN compares false */
    } else if (!strcmp(op, "&")) {
        char *a = l ? to_string(E, l, 0) : strdup("");
        char *b = !E->failed && r ? to_string(E, r, 0) : strdup("");
        if (!E->failed && a && b) {
            if (strlen(a) + strlen(b) > MAX_STRING)
                efail(E, "D1101", "String result longer than %d bytes", MAX_STRING);
            else {
                sb_t s = {0};
                sb_puts(&s, a);
                sb_puts(&s, b);
                out = str_take(sb_done(&s));
            }
        }
        free(a);
        free(b);
    } else if (!strcmp(op, "in")) {
        int found = 0;
        if (l && r) {
            if (is_arr(r)) {
                for (const cJSON *c = r->child; c && !found; c = c->next)
                    found = !is_arr(l) && !is_obj(l) && !is_arr(c) && !is_obj(c) && deep_equal(l, c);
            } else
                found = !is_arr(l) && !is_obj(l) && !is_obj(r) && deep_equal(l, r);
        }
        out = cJSON_CreateBool(found);
    } else if (!strcmp(op, "..")) {
        if (l && !(is_num(l) && l->valuedouble == floor(l->valuedouble))) {
            efail(E, "T2003", "The left side of the range operator (..) must evaluate to an integer");
            goto done;
        }
        if (r && !(is_num(r) && r->valuedouble == floor(r->valuedouble))) {
            efail(E, "T2004", "The right side of the range operator (..) must evaluate to an integer");
            goto done;
        }
        if (!l || !r || l->valuedouble > r->valuedouble) goto done;
        double size = r->valuedouble - l->valuedouble + 1;
        if (size > MAX_RANGE) {
            efail(E, "D2014",
                  "The size of the sequence allocated by the range operator (..) must not exceed 1e7.  "
                  "Attempted to allocate %.0f.",
                  size);
            goto done;
        }
        if (E->steps + (long)size > MAX_STEPS) {
            efail(E, "D1100", "Evaluation exceeded its work limit (%ld steps)", (long)MAX_STEPS);
            goto done;
        }
        E->steps += (long)size;
        out = seq_new();
        for (double v = l->valuedouble; v <= r->valuedouble; v++)
            push(out, num(v));
    } else
        efail(E, "S0201", "Unknown operator %s", op);
done:
    cJSON_Delete(l);
    cJSON_Delete(r);
    if (E->failed) {
        cJSON_Delete(out);
        return NULL;
    }
    return out;
}

static cJSON *eval_array(ev_t *E, const node_t *n, const cJSON *in, frame_t *env) {
    cJSON *r = cJSON_CreateArray();
    for (int i = 0; i < n->nk && !E->failed; i++) {
        cJSON *v = eval(E, n->kids[i], in, env);
        if (!v) continue;
        if (n->kids[i]->type == N_ARRAY || !is_arr(v)) {
            push(r, v);
            continue;
        }
        cJSON *x;
        while ((x = cJSON_DetachItemFromArray(v, 0)))
            push(r, x);
        cJSON_Delete(v);
    }
    if (E->failed) {
        cJSON_Delete(r);
        return NULL;
    }
    if (n->cons) r->type |= F_CONS;
    return r;
}

/* Arguments of a call: n->kids[1..], with an optional leading context argument (from ~>). */
static cJSON *eval_call(ev_t *E, const node_t *n, const cJSON *in, frame_t *env, cJSON *pre, int has_pre) {
    cJSON *f = eval(E, n->kids[0], in, env);
    if (E->failed) {
        cJSON_Delete(pre);
        return NULL;
    }
    if (!is_fn(f)) {
        const node_t *p = n->kids[0];
        if (p->type == N_VAR && !f)
            efail(E, "T1006", "Attempted to invoke a non-function: $%s is not defined", p->str);
        else
            efail(E, "T1006", "Attempted to invoke a non-function");
        cJSON_Delete(f);
        cJSON_Delete(pre);
        return NULL;
    }
    int na = n->nk - 1 + (has_pre ? 1 : 0);
    cJSON **args = calloc((size_t)na + 1, sizeof *args);
    int k = 0;
    if (has_pre) args[k++] = pre;
    for (int i = 1; i < n->nk && !E->failed; i++) {
        if (n->kids[i]->type == N_PLACEHOLDER) {
            args[k++] = NULL;
            continue;
        }
        args[k++] = eval(E, n->kids[i], in, env);
    }
    cJSON *r = NULL;
    if (!E->failed) {
        if (n->partial) {
            fnval_t pf = {.kind = FK_PARTIAL, .call = n};
            pf.bi = atoi(f->valuestring + strlen(FN_TAG));
            pf.args = cJSON_CreateArray();
            for (int i = 0; i < na; i++)
                cJSON_AddItemToArray(pf.args, args[i] ? args[i] : cJSON_CreateRaw("\x01hole"));
            memset(args, 0, sizeof *args * (size_t)na);
            cJSON_AddItemToArray(E->grave, pf.args);
            pf.input = NULL;
            r = fn_new(E, pf);
            pf.args = NULL;
            (void)has_pre;
        } else
            r = apply_fn(E, f, args, na, in);
    }
    for (int i = 0; i < na; i++)
        cJSON_Delete(args[i]);
    free(args);
    cJSON_Delete(f);
    if (E->failed) {
        cJSON_Delete(r);
        return NULL;
    }
    return r;
}

static int sort_cmp(ev_t *E, const cJSON *a, const cJSON *b) {
    if (!a) return b ? 1 : 0;
    if (!b) return -1;
    if (!((is_num(a) || is_str(a)) && (is_num(b) || is_str(b)) && TYPE(a) == TYPE(b))) {
        efail(E, "T2008",
              "The expressions within an order-by clause must evaluate to numeric or string values");
        return 0;
    }
    if (is_num(a)) return a->valuedouble < b->valuedouble ? -1 : a->valuedouble > b->valuedouble;
    return strcmp(a->valuestring, b->valuestring);
}

/* stable merge sort of n items by cmp(i,j) > 0 meaning i after j */
typedef int (*after_fn)(ev_t *E, void *ud, int i, int j);
static void msort(ev_t *E, int *idx, int *tmp, int n, after_fn after, void *ud) {
    if (n < 2 || E->failed) return;
    int h = n / 2;
    msort(E, idx, tmp, h, after, ud);
    msort(E, idx + h, tmp, n - h, after, ud);
    int i = 0, j = h, k = 0;
    while (i < h && j < n) {
        if (E->failed) return;
        if (after(E, ud, idx[i], idx[j]))
            tmp[k++] = idx[j++];
        else
            tmp[k++] = idx[i++];
    }
    while (i < h)
        tmp[k++] = idx[i++];
    while (j < n)
        tmp[k++] = idx[j++];
    memcpy(idx, tmp, sizeof *idx * (size_t)n);
}

typedef struct {
    cJSON ***keys; /* keys[item][term] */
    const node_t *n;
} sortby_t;

static int sortby_after(ev_t *E, void *ud, int i, int j) {
    sortby_t *s = ud;
    for (int t = 0; t < s->n->nk; t++) {
        int c = sort_cmp(E, s->keys[i][t], s->keys[j][t]);
        if (s->n->desc[t]) c = -c;
        if (c) return c > 0;
    }
    return 0;
}

/* The order of cnt items under a sort step's terms (jsonata-js evaluateSortExpression, a stable
 * merge sort): item i is evaluated with context ctx[i] in envs[i] (a tuple's frame) or env. */
static int *sort_order(ev_t *E, const node_t *n, const cJSON **ctx, frame_t **envs, int cnt, frame_t *env) {
    cJSON ***keys = calloc((size_t)cnt + 1, sizeof *keys);
    for (int i = 0; i < cnt; i++) {
        keys[i] = calloc((size_t)n->nk + 1, sizeof **keys);
        for (int t = 0; t < n->nk && !E->failed; t++)
            keys[i][t] = eval(E, n->kids[t], ctx[i], envs ? envs[i] : env);
    }
    int *idx = malloc(sizeof *idx * (size_t)(cnt + 1)), *tmp = malloc(sizeof *tmp * (size_t)(cnt + 1));
    for (int i = 0; i < cnt; i++)
        idx[i] = i;
    sortby_t sb = {keys, n};
    if (!E->failed) msort(E, idx, tmp, cnt, sortby_after, &sb);
    for (int i = 0; i < cnt; i++) {
        for (int t = 0; t < n->nk; t++)
            cJSON_Delete(keys[i][t]);
        free(keys[i]);
    }
    free(keys);
    free(tmp);
    if (E->failed) {
        free(idx);
        return NULL;
    }
    return idx;
}

/* A sort step over the whole input sequence (jsonata-js evaluateStep for 'sort'). */
static cJSON *sort_items(ev_t *E, const node_t *n, const cJSON **items, int cnt, frame_t *env) {
    int *idx = sort_order(E, n, items, NULL, cnt, env);
    if (!idx) return NULL;
    cJSON *out = seq_new();
    for (int i = 0; i < cnt; i++)
        push(out, dup(items[idx[i]]));
    free(idx);
    return out;
}

static cJSON *eval_sort(ev_t *E, const node_t *n, const cJSON *in, frame_t *env) {
    if (!in) return NULL;
    int cnt = is_arr(in) ? cJSON_GetArraySize(in) : 1, i = 0;
    const cJSON **items = malloc(sizeof *items * (size_t)(cnt + 1));
    if (is_arr(in))
        for (const cJSON *c = in->child; c; c = c->next)
            items[i++] = c;
    else
        items[0] = in;
    cJSON *out = sort_items(E, n, items, cnt, env);
    free(items);
    return out;
}

/* $f ~> $g with both functions: λ($x){ $g($f($x)) } (jsonata-js evaluateApplyExpression's chain) */
static cJSON *compose(ev_t *E, const cJSON *f, const cJSON *g) {
    fnval_t c = {.kind = FK_CHAIN, .args = cJSON_CreateArray()};
    cJSON_AddItemToArray(c.args, dup(f));
    cJSON_AddItemToArray(c.args, dup(g));
    cJSON_AddItemToArray(E->grave, c.args);
    return fn_new(E, c);
}

static cJSON *eval(ev_t *E, const node_t *n, const cJSON *in, frame_t *env) {
    if (step(E)) return NULL;
    if (E->depth >= MAX_EVAL_DEPTH) {
        efail(E, "U1001",
              "Stack overflow error: Check for non-terminating recursive function.  Consider rewriting as "
              "tail-recursive.");
        return NULL;
    }
    E->depth++;
    cJSON *r = NULL;
    switch (n->type) {
    case N_NUM:
        r = num(n->num);
        break;
    case N_STR:
        r = cJSON_CreateString(n->str);
        break;
    case N_BOOL:
        r = cJSON_CreateBool((int)n->num);
        break;
    case N_NULL:
        r = cJSON_CreateNull();
        break;
    case N_NAME:
        r = lookup(E, in, n->str);
        break;
    case N_VAR: {
        const cJSON *v = NULL;
        if (!n->str[0])
            r = dupc(E, in);
        else if (!strcmp(n->str, "$"))
            r = dupc(E, E->root);
        else if (var_lookup(E, env, n->str, &v))
            r = dupc(E, v);
        else {
            int bi = builtin_index(n->str);
            if (bi >= 0 && bi < 80 && E->bi_fn[bi]) { /* one function value per builtin */
                char tag[32];
                snprintf(tag, sizeof tag, FN_TAG "%d", E->bi_fn[bi] - 1);
                r = cJSON_CreateRaw(tag);
            } else if (bi >= 0) {
                r = fn_new(E, (fnval_t){.kind = FK_BUILTIN, .bi = bi});
                if (bi < 80) E->bi_fn[bi] = E->nfns;
            }
        }
        break;
    }
    case N_WILD:
        r = wildcard(E, in);
        break;
    case N_DESC: {
        if (!in) break;
        r = seq_new();
        descend(E, in, r, 0);
        break;
    }
    case N_PATH:
        r = eval_path(E, n, in, env);
        break;
    case N_BIN:
        r = eval_binary(E, n, in, env);
        break;
    case N_NEG: {
        cJSON *v = eval(E, n->kids[0], in, env);
        if (v && (!is_num(v) || is_nan(v)))
            efail(E, "D1002", "Cannot negate a non-numeric value: %s", type_name(v));
        else if (v)
            r = num(-v->valuedouble);
        cJSON_Delete(v);
        break;
    }
    case N_ARRAY:
        r = eval_array(E, n, in, env);
        break;
    case N_OBJECT:
        r = eval_group(E, n, in, env);
        break;
    case N_COND: {
        cJSON *c = eval(E, n->kids[0], in, env);
        int b = boolean(E, c);
        cJSON_Delete(c);
        if (E->failed) break;
        if (b)
            r = eval(E, n->kids[1], in, env);
        else if (n->nk > 2)
            r = eval(E, n->kids[2], in, env);
        break;
    }
    case N_BLOCK: {
        int fm = E->nframes, fnm = E->nfns;
        frame_t *f = frame_new(E, env);
        for (int i = 0; i < n->nk && !E->failed; i++) {
            cJSON_Delete(r);
            r = eval(E, n->kids[i], in, f);
        }
        if (r && !is_fn(r)) frames_release(E, fm, fnm);
        break;
    }
    case N_BIND: {
        r = eval(E, n->kids[1], in, env);
        if (!E->failed) bind(E, env, n->kids[0]->str, dup(r));
        break;
    }
    case N_CALL:
        r = eval_call(E, n, in, env, NULL, 0);
        break;
    case N_LAMBDA: {
        fnval_t f = {.kind = FK_LAMBDA, .node = n, .env = env, .input = in};
        if (in && in != E->root) { /* keep the context the lambda closes over alive */
            cJSON *c = dup(in);
            cJSON_AddItemToArray(E->grave, c);
            f.input = c;
        }
        r = fn_new(E, f);
        break;
    }
    case N_REGEX:
        r = fn_new(E, (fnval_t){.kind = FK_REGEX, .node = n});
        break;
    case N_APPLY: {
        cJSON *l = eval(E, n->kids[0], in, env);
        if (E->failed) {
            cJSON_Delete(l);
            break;
        }
        const node_t *rhs = n->kids[1];
        if (rhs->type == N_CALL && !rhs->partial) { /* a partial application is a function value */
            r = eval_call(E, rhs, in, env, l, 1);
            break;
        }
        cJSON *f = eval(E, rhs, in, env);
        if (!E->failed && !is_fn(f))
            efail(E, "T2006", "The right side of the function application operator ~> must be a function");
        else if (!E->failed && is_fn(l))
            r = compose(E, l, f);
        else if (!E->failed) {
            cJSON *args[1] = {l};
            r = apply_fn(E, f, args, 1, in);
        }
        cJSON_Delete(f);
        cJSON_Delete(l);
        break;
    }
    case N_SORT:
        r = eval_sort(E, n, in, env);
        break;
    case N_PARENT: { /* bound by the step whose input it names; undefined where none did */
        const cJSON *v = NULL;
        if (var_lookup(E, env, n->str, &v)) r = dupc(E, v);
        break;
    }
    case N_TRANSFORM:
        r = fn_new(E, (fnval_t){.kind = FK_TRANSFORM, .node = n, .env = env});
        break;
    case N_PLACEHOLDER:
        efail(E, "S0215", "A ? placeholder is only allowed as a function argument");
        break;
    default:
        efail(E, "S0201", "Unsupported expression");
        break;
    }
    for (int i = 0; i < n->np && !E->failed; i++)
        r = filter(E, n->preds[i], r, env);
    if (n->group && n->type != N_PATH && !E->failed) {
        cJSON *g = eval_group(E, n->group, r, env);
        cJSON_Delete(r);
        r = g;
    }
    E->depth--;
    if (E->failed) {
        cJSON_Delete(r);
        return NULL;
    }
    return normalize(r, n->keep_array);
}

/* ---- transform | pattern | update [, delete] | (jsonata-js evaluateTransformExpression) ---- */

/* $clone's JSON.parse($string(v)) in place: numbers keep 15 significant digits, functions inside
 * become "", sequence flags and identity tags are dropped */
static void clone_fix(cJSON *v) {
    v->type &= ~(F_SEQ | F_CONS | F_KEEP);
    if (is_num(v)) {
        char t[40];
        snprintf(t, sizeof t, "%.15g", v->valuedouble);
        double d = strtod(t, NULL);
        cJSON_SetNumberHelper(v, d == 0 ? 0 : d);
        return;
    }
    if (!is_arr(v) && !is_obj(v)) return;
    v->valueint = 0;
    for (cJSON *c = v->child; c; c = c->next)
        if (is_fn(c)) {
            c->type = cJSON_String;
            cJSON_SetValuestring(c, "");
        } else
            clone_fix(c);
}
static cJSON *clone_value(ev_t *E, const cJSON *v) {
    if (!v || dupc_charge(E, v)) return NULL;
    cJSON *c = dup(v);
    clone_fix(c);
    return c;
}

/* A transform finds its matches in a copy of the copy it edits (evaluation copies values), so each
 * object and array of the copy carries an identity tag in valueint (unused by cJSON for them,
 * kept by cJSON_Duplicate): a match with a tag of this transform is that node of the copy; without
 * one it was built by the pattern and, as in jsonata-js, editing it changes nothing visible. */
typedef struct {
    cJSON **node;
    int n, cap, base;
} tags_t;
static int tag_nodes(ev_t *E, cJSON *v, tags_t *t) {
    if (!is_arr(v) && !is_obj(v)) return 0;
    if (step(E)) return -1;
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 16;
        t->node = realloc(t->node, sizeof *t->node * (size_t)t->cap);
    }
    t->node[t->n] = v;
    v->valueint = t->base + t->n++;
    for (cJSON *c = v->child; c; c = c->next)
        if (tag_nodes(E, c, t)) return -1;
    return 0;
}
static void untag(cJSON *v) {
    if (!is_arr(v) && !is_obj(v)) return;
    v->valueint = 0;
    for (cJSON *c = v->child; c; c = c->next)
        untag(c);
}
static cJSON *tagged(const tags_t *t, const cJSON *v) {
    if (!is_arr(v) && !is_obj(v)) return NULL;
    long i = (long)v->valueint - t->base;
    return i >= 0 && i < t->n ? t->node[i] : NULL;
}

/* A JavaScript array index ("0", "17"; no sign, no leading zero, below 2^32 - 1), or -1. */
static long array_index(const char *k) {
    size_t L = strlen(k);
    if (!L || L > 10 || (k[0] == '0' && L > 1) || strspn(k, "0123456789") != L) return -1;
    long v = atol(k);
    return v < 4294967295L ? v : -1;
}

/* Put v where old is in parent. old may still be a match: it goes to the grave. (Linked by hand:
 * cJSON 1.7.15's cJSON_InsertItemInArray refuses a position inside a list.) */
static void replace_keep(ev_t *E, cJSON *parent, cJSON *old, cJSON *v) {
    v->next = old;
    v->prev = old->prev;
    if (old == parent->child)
        parent->child = v;
    else
        v->prev->next = v;
    old->prev = v;
    cJSON_AddItemToArray(E->grave, cJSON_DetachItemViaPointer(parent, old));
}

/* arr[i] = v (v consumed), as JavaScript does: past the end the array grows, holes read as null.
 * The replaced element may still be a match: it goes to the grave. */
static void array_set(ev_t *E, cJSON *arr, long i, cJSON *v) {
    long n = cJSON_GetArraySize(arr);
    if (i < n) {
        replace_keep(E, arr, cJSON_GetArrayItem(arr, (int)i), v);
        return;
    }
    if (E->steps + (i - n) > MAX_STEPS) {
        cJSON_Delete(v);
        efail(E, "D1100", "Evaluation exceeded its work limit (%ld steps)", (long)MAX_STEPS);
        return;
    }
    E->steps += i - n;
    for (; n < i; n++)
        cJSON_AddItemToArray(arr, cJSON_CreateNull());
    cJSON_AddItemToArray(arr, v);
}

/* match[prop] = update[prop] for each prop (update consumed). A primitive match cannot take a
 * property: jsonata-js fails there with JavaScript's TypeError (which has no JSONata code). */
static void transform_merge(ev_t *E, cJSON *target, const cJSON *match, cJSON *update) {
    cJSON *m;
    while (!E->failed && (m = update->child)) {
        cJSON_DetachItemViaPointer(update, m);
        if (is_obj(target)) {
            cJSON *old = cJSON_GetObjectItemCaseSensitive(target, m->string);
            if (old)
                replace_keep(E, target, old, m);
            else
                cJSON_AddItemToArray(target, m);
            continue;
        }
        long i = is_arr(target) ? array_index(m->string) : -1;
        if (i >= 0) {
            free(m->string);
            m->string = NULL;
            array_set(E, target, i, m);
            continue;
        }
        if (!target && match && !is_arr(match) && !is_obj(match) && !is_fn(match)) {
            if (TYPE(match) == cJSON_NULL)
                efail(E, "TypeError", "Cannot set properties of null (setting '%.200s')", m->string);
            else {
                char v[64];
                if (is_num(match))
                    js_num(match->valuedouble, v, sizeof v);
                else
                    snprintf(v, sizeof v, "%s",
                             is_str(match)               ? ""
                             : TYPE(match) == cJSON_True ? "true"
                                                         : "false");
                efail(E, "TypeError", "Cannot create property '%.200s' on %s '%.200s'", m->string,
                      type_name(match), is_str(match) ? match->valuestring : v);
            }
        }
        cJSON_Delete(m); /* a property JSON does not show, or a match the result does not contain */
    }
    cJSON_Delete(update);
}

/* delete match[key] for each key: an object loses the member, an array gets a hole (null) */
static void transform_delete(ev_t *E, cJSON *target, const cJSON *keys) {
    const cJSON *one[1] = {keys};
    int n = is_arr(keys) ? cJSON_GetArraySize(keys) : 1;
    const cJSON *k = is_arr(keys) ? keys->child : one[0];
    for (int i = 0; i < n && k; i++, k = k->next) {
        if (is_obj(target)) {
            cJSON *old = cJSON_DetachItemFromObjectCaseSensitive(target, k->valuestring);
            if (old) cJSON_AddItemToArray(E->grave, old);
        } else if (is_arr(target)) {
            long x = array_index(k->valuestring);
            if (x >= 0 && x < cJSON_GetArraySize(target)) array_set(E, target, x, cJSON_CreateNull());
        }
    }
}

/* Apply update and delete to one match of the pattern (target: its node in the copy, or NULL). */
static void transform_match(ev_t *E, const node_t *T, cJSON *target, const cJSON *match, frame_t *env) {
    const cJSON *in = target ? target : match;
    cJSON *u = eval(E, T->kids[1], in, env);
    if (E->failed) {
        cJSON_Delete(u);
        return;
    }
    if (u) {
        if (!is_obj(u)) {
            char *t = show(E, u);
            efail(E, "T2011",
                  "The insert/update clause of the transform expression must evaluate to an object: %s", t);
            free(t);
            cJSON_Delete(u);
            return;
        }
        transform_merge(E, target, match, u);
    }
    if (E->failed || T->nk < 3) return;
    cJSON *d = eval(E, T->kids[2], in, env);
    if (d && !E->failed) {
        int ok = is_str(d);
        if (is_arr(d)) {
            ok = 1;
            for (const cJSON *c = d->child; c; c = c->next)
                ok &= is_str(c);
        }
        if (!ok) {
            char *t = show(E, d);
            efail(E, "T2012",
                  "The delete clause of the transform expression must evaluate to a string or array of "
                  "strings: %s",
                  t);
            free(t);
        } else
            transform_delete(E, target, d);
    }
    cJSON_Delete(d);
}

/* The function a transform evaluates to (signature <(oa):o>): a copy of its argument (made by
 * $clone, which an expression may rebind) with each match of the pattern updated. */
static cJSON *transform(ev_t *E, const fnval_t *f, cJSON **args, int nargs) {
    if (nargs != 1 || (args[0] && !is_obj(args[0]) && !is_arr(args[0]))) {
        efail(E, "T0410", "Argument %d of the transform function does not match function signature",
              nargs > 1 ? 2 : 1);
        return NULL;
    }
    if (!args[0]) return NULL;
    const node_t *T = f->node;
    const cJSON *cf = NULL;
    cJSON *result;
    if (var_lookup(E, f->env, "clone", &cf)) {
        if (!is_fn(cf)) {
            efail(E, "T2013",
                  "The transform expression clones the input object using the $clone() function.  This has "
                  "been overridden in the current scope by a non-function.");
            return NULL;
        }
        result = apply_fn(E, cf, args, 1, NULL);
    } else
        result = clone_value(E, args[0]);
    if (E->failed || !result) return result;
    tags_t t = {.base = E->tag_next + 1};
    if (!tag_nodes(E, result, &t)) {
        E->tag_next += t.n + 1;
        cJSON *matches = eval(E, T->kids[0], result, f->env);
        const cJSON *one[1] = {matches};
        int n = is_arr(matches) ? cJSON_GetArraySize(matches) : matches ? 1 : 0;
        const cJSON **items = malloc(sizeof *items * (size_t)(n + 1));
        cJSON **targets = malloc(sizeof *targets * (size_t)(n + 1));
        const cJSON *c = is_arr(matches) ? matches->child : one[0];
        for (int i = 0; i < n; i++, c = c->next) { /* all matches are found before any update */
            items[i] = c;
            targets[i] = tagged(&t, c);
        }
        for (int i = 0; i < n && !E->failed; i++)
            transform_match(E, T, targets[i], items[i], f->env);
        free(items);
        free(targets);
        cJSON_Delete(matches);
    }
    free(t.node);
    untag(result);
    if (E->failed) {
        cJSON_Delete(result);
        return NULL;
    }
    return result;
}

/* Call fn with args (borrowed; NULL = undefined). Returns a new value. */
static cJSON *call_builtin(ev_t *E, int bi, cJSON **args, int nargs, const cJSON *in);

/* A composed function: its first argument through f, then g (the chain lambda's context is null). */
static cJSON *apply_chain(ev_t *E, const fnval_t *c, cJSON **args, int nargs) {
    if (E->depth >= MAX_EVAL_DEPTH) {
        efail(E, "U1001",
              "Stack overflow error: Check for non-terminating recursive function.  Consider rewriting as "
              "tail-recursive.");
        return NULL;
    }
    const cJSON *f = c->args->child, *g = f->next;
    cJSON *null_ctx = cJSON_CreateNull();
    cJSON *a[1] = {nargs > 0 ? args[0] : NULL};
    E->depth++;
    cJSON *mid = apply_fn(E, f, a, 1, null_ctx);
    cJSON *r = NULL;
    if (!E->failed) {
        a[0] = mid;
        r = apply_fn(E, g, a, 1, null_ctx);
    }
    E->depth--;
    cJSON_Delete(mid);
    cJSON_Delete(null_ctx);
    return r;
}

static cJSON *apply_fn(ev_t *E, const cJSON *fv, cJSON **args, int nargs, const cJSON *in) {
    fnval_t *f = fn_of(E, fv);
    if (!f) {
        efail(E, "T1006", "Attempted to invoke a non-function");
        return NULL;
    }
    if (step(E)) return NULL;
    switch (f->kind) {
    case FK_BUILTIN:
        return call_builtin(E, f->bi, args, nargs, in);
    case FK_LAMBDA: {
        E->steps += 4; /* a call (frame, bindings) costs more than one node */
        if (E->depth >= MAX_EVAL_DEPTH) {
            efail(E, "U1001",
                  "Stack overflow error: Check for non-terminating recursive function.  Consider rewriting "
                  "as tail-recursive.");
            return NULL;
        }
        int fm = E->nframes, fnm = E->nfns;
        const node_t *L = f->node;
        frame_t *fr = frame_new(E, f->env);
        int np = L->nk - 1;
        for (int i = 0; i < np; i++)
            bind(E, fr, L->kids[i]->str, i < nargs ? dup(args[i]) : NULL);
        E->depth++;
        cJSON *r = eval(E, L->kids[np], f->input, fr);
        E->depth--;
        if (!is_fn(r)) frames_release(E, fm, fnm);
        return r;
    }
    case FK_PARTIAL: {
        cJSON **full = calloc((size_t)cJSON_GetArraySize(f->args) + (size_t)nargs + 1, sizeof *full);
        int k = 0, a = 0;
        for (cJSON *c = f->args->child; c; c = c->next) {
            if (TYPE(c) == cJSON_Raw && !strcmp(c->valuestring, "\x01hole"))
                full[k++] = a < nargs ? args[a++] : NULL;
            else
                full[k++] = c;
        }
        char tag[32];
        snprintf(tag, sizeof tag, FN_TAG "%d", f->bi);
        cJSON *target = cJSON_CreateRaw(tag);
        cJSON *r = apply_fn(E, target, full, k, in);
        cJSON_Delete(target);
        free(full);
        return r;
    }
    case FK_TRANSFORM:
        return transform(E, f, args, nargs);
    case FK_CHAIN:
        return apply_chain(E, f, args, nargs);
    case FK_REGEX:
        efail(
            E, "T1006",
            "A regular expression can only be used as an argument of $match, $contains, $split or $replace");
        return NULL;
    }
    return NULL;
}

/* Number of arguments a function value wants (for $map, $filter, ...). */
static int fn_arity(ev_t *E, const cJSON *fv) {
    fnval_t *f = fn_of(E, fv);
    if (f && f->kind == FK_LAMBDA) return f->node->nk - 1;
    return 1;
}

/* ------------------------------------------------------------------------------------------ */
/* Function library                                                                            */

typedef cJSON *(*bi_fn)(ev_t *E, cJSON **a, int n, const cJSON *in);
typedef struct {
    const char *name;
    bi_fn fn;
    int min, max;
    int ctx; /* the context value stands in for a missing first argument */
} builtin_t;
static const builtin_t BUILTINS[];
static const int NBUILTINS;

static int bad_arg(ev_t *E, int i) {
    return efail(E, "T0410", "Argument %d of function \"%s\" does not match function signature", i + 1,
                 E->fname);
}
/* Typed argument accessors: NULL/undefined passes (caller decides), wrong type fails T0410. */
static const char *arg_s(ev_t *E, cJSON **a, int i) {
    if (!a[i]) return NULL;
    if (!is_str(a[i])) {
        bad_arg(E, i);
        return NULL;
    }
    return a[i]->valuestring;
}
static int arg_n(ev_t *E, cJSON **a, int i, double *d) {
    if (!a[i]) return 0;
    if (!is_num(a[i])) return bad_arg(E, i);
    *d = a[i]->valuedouble;
    return 1;
}
static int arg_fn(ev_t *E, cJSON **a, int i) {
    if (!is_fn(a[i])) return bad_arg(E, i);
    return 0;
}

/* ---- UTF-8 ---- */
static int cp_len(const char *s) {
    int n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}
static const char *cp_at(const char *s, int i) {
    while (*s && i > 0) {
        s++;
        while (((unsigned char)*s & 0xC0) == 0x80)
            s++;
        i--;
    }
    return s;
}
static cJSON *cp_slice(const char *s, int from, int to) {
    int L = cp_len(s);
    if (from < 0) from = L + from < 0 ? 0 : L + from;
    if (to < 0) to = L + to < 0 ? 0 : L + to;
    if (to > L) to = L;
    if (from >= to) return cJSON_CreateString("");
    const char *a = cp_at(s, from), *b = cp_at(a, to - from);
    char *t = strndup(a, (size_t)(b - a));
    return str_take(t);
}

/* ---- strings ---- */
static cJSON *f_string(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    if (!a[0]) return NULL;
    if (a[1] && !is_bool(a[1])) return bad_arg(E, 1), NULL;
    char *s = to_string(E, a[0], a[1] && TYPE(a[1]) == cJSON_True);
    return s ? str_take(s) : NULL;
}
static cJSON *f_length(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    const char *s = arg_s(E, a, 0);
    return s ? num(cp_len(s)) : NULL;
}
static cJSON *f_substring(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    const char *s = arg_s(E, a, 0);
    double st = 0, len = 0;
    if (!s || arg_n(E, a, 1, &st) < 0) return NULL;
    int hl = arg_n(E, a, 2, &len);
    if (hl < 0) return NULL;
    int L = cp_len(s), start = clampi(st);
    if (L + start < 0) start = 0;
    if (hl) {
        if (len <= 0) return cJSON_CreateString("");
        int end = start >= 0 ? start + clampi(len) : L + start + clampi(len);
        return cp_slice(s, start, end < 0 ? 0 : end > L ? L : end);
    }
    return cp_slice(s, start, L);
}
static cJSON *f_substring_before(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    const char *s = arg_s(E, a, 0), *c = arg_s(E, a, 1);
    if (!s || !c) return NULL;
    const char *p = strstr(s, c);
    return p ? str_take(strndup(s, (size_t)(p - s))) : cJSON_CreateString(s);
}
static cJSON *f_substring_after(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    const char *s = arg_s(E, a, 0), *c = arg_s(E, a, 1);
    if (!s || !c) return NULL;
    const char *p = strstr(s, c);
    return cJSON_CreateString(p ? p + strlen(c) : s);
}
static unsigned utf8_next(const char **p);

static int case_cmp(const void *key, const void *row) {
    uint32_t a = *(const uint32_t *)key, b = *(const uint32_t *)row;
    return a < b ? -1 : a > b;
}

/* The full case mapping of cp (1 to 3 code points in out), as JavaScript's toUpperCase/toLowerCase:
 * Unicode's simple mappings and SpecialCasing's unconditional ones (ß -> SS, İ -> i̇), from the
 * tables tools/gen_unicase.py writes. */
static int case_map(uint32_t cp, int up, uint32_t out[3]) {
    const uint32_t *x =
        up ? bsearch(&cp, UC_UPPER_SPECIAL, sizeof UC_UPPER_SPECIAL / sizeof *UC_UPPER_SPECIAL,
                     sizeof *UC_UPPER_SPECIAL, case_cmp)
           : bsearch(&cp, UC_LOWER_SPECIAL, sizeof UC_LOWER_SPECIAL / sizeof *UC_LOWER_SPECIAL,
                     sizeof *UC_LOWER_SPECIAL, case_cmp);
    if (x) {
        int n = 0;
        for (int i = 1; i < 4 && x[i]; i++)
            out[n++] = x[i];
        return n;
    }
    x = up ? bsearch(&cp, UC_UPPER, sizeof UC_UPPER / sizeof *UC_UPPER, sizeof *UC_UPPER, case_cmp)
           : bsearch(&cp, UC_LOWER, sizeof UC_LOWER / sizeof *UC_LOWER, sizeof *UC_LOWER, case_cmp);
    out[0] = x ? x[1] : cp;
    return 1;
}

/* A letter with case (it has an upper or a lower case form). */
static int is_cased(uint32_t cp) {
    uint32_t o[3];
    return case_map(cp, 1, o) > 1 || o[0] != cp || case_map(cp, 0, o) > 1 || o[0] != cp;
}

static cJSON *f_case(ev_t *E, cJSON **a, int up) {
    const char *s = arg_s(E, a, 0);
    if (!s) return NULL;
    size_t L = strlen(s), k = 0;
    if (L > MAX_STRING / 3) return efail(E, "D1101", "String result longer than %d bytes", MAX_STRING), NULL;
    char *t = malloc(L * 3 + 4); /* a mapping at most triples a character's bytes (ΐ -> Ϊ́) */
    uint32_t prev = 0;
    for (const char *p = s; *p;) {
        uint32_t cp = utf8_next(&p), out[3];
        int n = case_map(cp, up, out);
        if (!up && cp == 0x3A3 && is_cased(prev)) { /* Final_Sigma: Σ ending a word is ς */
            const char *q = p;
            if (!*q || !is_cased(utf8_next(&q))) out[0] = 0x3C2;
        }
        for (int i = 0; i < n; i++)
            put_utf8(&t, &k, out[i]);
        prev = cp;
    }
    t[k] = 0;
    return str_take(t);
}
static cJSON *f_uppercase(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    return f_case(E, a, 1);
}
static cJSON *f_lowercase(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    return f_case(E, a, 0);
}
static cJSON *f_trim(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    const char *s = arg_s(E, a, 0);
    if (!s) return NULL;
    char *t = malloc(strlen(s) + 1);
    size_t k = 0;
    int ws = 0;
    for (const char *p = s; *p; p++) {
        if (strchr(" \t\n\r", *p)) {
            ws = 1;
            continue;
        }
        if (ws && k) t[k++] = ' ';
        ws = 0;
        t[k++] = *p;
    }
    t[k] = 0;
    return str_take(t);
}
static cJSON *f_pad(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    const char *s = arg_s(E, a, 0), *ch = arg_s(E, a, 2);
    double w = 0;
    if (!s || E->failed || arg_n(E, a, 1, &w) <= 0) return NULL;
    if (!ch || !ch[0]) ch = " ";
    if (fabs(w) > MAX_STRING / 8) return efail(E, "D1101", "String result too long"), NULL;
    int pad = (int)fabs(w) - cp_len(s);
    if (pad <= 0) return cJSON_CreateString(s);
    sb_t p = {0};
    /* the pad characters in turn, one cursor over them (finding the i-th from the start each time
     * made a long pad string quadratic: 34 s under ASan, found by fuzz_jsonata) */
    const char *c0 = ch;
    for (int i = 0; i < pad; i++) {
        const char *c1 = cp_at(c0, 1);
        sb_put(&p, c0, (size_t)(c1 - c0));
        c0 = *c1 ? c1 : ch;
    }
    if (p.over) {
        free(p.b);
        return efail(E, "D1101", "String result too long"), NULL;
    }
    char *pd = sb_done(&p);
    sb_t r = {0};
    if (w > 0) {
        sb_puts(&r, s);
        sb_puts(&r, pd);
    } else {
        sb_puts(&r, pd);
        sb_puts(&r, s);
    }
    free(pd);
    return str_take(sb_done(&r));
}

/* PCRE2 calls this at every item of the pattern (PCRE2_AUTO_CALLOUT): a match's work, backtracking
 * included, is charged to the evaluation's step bound (RE_WORK_PER_STEP items a step), so no pattern
 * can backtrack without end; a negative answer abandons the match. */
static int re_callout(pcre2_callout_block *cb, void *data) {
    (void)cb;
    ev_t *E = data;
    return ++E->re_work % RE_WORK_PER_STEP == 0 && step(E) ? PCRE2_ERROR_CALLOUT : 0;
}

/* regex search in s (L bytes) from byte offset off: 0 found (m[0..nm) filled with absolute offsets,
 * -1 for a group that did not take part), -1 none or the evaluation failed. Searches in a subject
 * start at 0 before any later offset (see the UTF check below). Starting at off keeps
 * what comes before it visible to ^, \b and lookbehind, as JavaScript's lastIndex does. */
static int re_find(ev_t *E, const pcre2_code *re, const char *s, size_t L, size_t off, regmatch_t *m,
                   int nm) {
    if (off > L || E->failed) return -1;
    if (!E->re_mc) {
        E->re_mc = pcre2_match_context_create(NULL);
        pcre2_set_callout(E->re_mc, re_callout, E);
        pcre2_set_match_limit(E->re_mc, 1000000); /* per match: ~20 ms of backtracking at most */
        pcre2_set_depth_limit(E->re_mc, 10000);
        pcre2_set_heap_limit(E->re_mc, 64 * 1024); /* KiB */
        E->re_md = pcre2_match_data_create(RE_GROUPS + 1, NULL);
    }
    /* the subject's UTF-8 is checked by the first search in it, which every caller starts at 0:
     * checking it again at each later match made a loop over matches quadratic */
    int rc = pcre2_match(re, (PCRE2_SPTR)s, L, off, off ? PCRE2_NO_UTF_CHECK : 0, E->re_md, E->re_mc);
    if (rc == PCRE2_ERROR_NOMATCH || E->failed) return -1;
    if (rc < 0) {
        PCRE2_UCHAR msg[160];
        pcre2_get_error_message(rc, msg, sizeof msg);
        efail(E, "D1100", "Regular expression matching stopped: %s", (const char *)msg);
        return -1;
    }
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(E->re_md);
    uint32_t have = pcre2_get_ovector_count(E->re_md);
    for (int i = 0; i < nm; i++) {
        int set = (uint32_t)i < have && (i < rc || rc == 0) && ov[2 * i] != PCRE2_UNSET;
        m[i].rm_so = set ? (regoff_t)ov[2 * i] : -1;
        m[i].rm_eo = set ? (regoff_t)ov[2 * i + 1] : -1;
    }
    return 0;
}
/* jsonata-js's regex closure and its next(): the first match is searched from the start, each next
 * one from where the last ended (JavaScript's lastIndex), none once that is the end of the string; a
 * next match that is empty would never move on, so it is D1004. 0 with m filled, -1 none or failed. */
static int re_next(ev_t *E, const pcre2_code *re, const char *s, size_t L, int first, size_t from,
                   regmatch_t *m) {
    if (!first && from >= L) return -1;
    if (re_find(E, re, s, L, from, m, RE_GROUPS + 1)) return -1;
    if (!first && m[0].rm_so == m[0].rm_eo)
        return efail(E, "D1004", "Regular expression matches zero length string");
    return 0;
}
static const pcre2_code *regex_of(ev_t *E, const cJSON *v) {
    fnval_t *f = fn_of(E, v);
    return f && f->kind == FK_REGEX ? f->node->re : NULL;
}
static size_t next_char(const char *s, size_t i) {
    if (!s[i]) return i + 1;
    i++;
    while (((unsigned char)s[i] & 0xC0) == 0x80)
        i++;
    return i;
}

static cJSON *f_contains(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    const char *s = arg_s(E, a, 0);
    if (!s) return NULL;
    const pcre2_code *re = regex_of(E, a[1]);
    if (re) {
        regmatch_t m[1];
        return cJSON_CreateBool(re_find(E, re, s, strlen(s), 0, m, 1) == 0);
    }
    const char *t = arg_s(E, a, 1);
    if (!t) return E->failed ? NULL : (bad_arg(E, 1), NULL);
    return cJSON_CreateBool(strstr(s, t) != NULL);
}
static cJSON *f_split(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    const char *s = arg_s(E, a, 0);
    double lim = -1;
    if (!s) return NULL;
    if (a[2]) {
        if (arg_n(E, a, 2, &lim) < 0) return NULL;
        if (lim < 0)
            return efail(E, "D3020", "Third argument of split function must evaluate to a positive number"),
                   NULL;
    }
    const pcre2_code *re = regex_of(E, a[1]);
    const char *sep = re ? NULL : arg_s(E, a, 1);
    if (!re && !sep) return E->failed ? NULL : (bad_arg(E, 1), NULL);
    cJSON *r = cJSON_CreateArray();
    size_t i = 0, L = strlen(s);
    if (re) { /* jsonata-js: the pieces between matches, and the rest while the limit allows */
        if (lim == 0) return r;
        regmatch_t m[RE_GROUPS + 1];
        int count = 0, found = !re_next(E, re, s, L, 1, 0, m);
        while (found && (lim < 0 || count < clampi(lim)) && !step(E)) {
            push(r, str_take(strndup(s + i, (size_t)m[0].rm_so - i)));
            i = (size_t)m[0].rm_eo;
            count++;
            found = !re_next(E, re, s, L, 0, i, m);
        }
        if (E->failed) {
            cJSON_Delete(r);
            return NULL;
        }
        if (lim < 0 || count < clampi(lim)) push(r, cJSON_CreateString(s + i));
        return r;
    }
    int pieces = 0; /* pushed so far: every turn that goes on pushes one */
    while (lim < 0 || pieces < clampi(lim)) {
        pieces++;
        if (step(E)) break;
        if (!sep[0]) {
            if (i >= L) break;
            size_t j = next_char(s, i);
            push(r, str_take(strndup(s + i, j - i)));
            i = j;
        } else {
            const char *p = strstr(s + i, sep);
            if (!p) {
                push(r, cJSON_CreateString(s + i));
                break;
            }
            push(r, str_take(strndup(s + i, (size_t)(p - s) - i)));
            i = (size_t)(p - s) + strlen(sep);
        }
    }
    return r;
}
static cJSON *f_join(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    if (!a[0]) return NULL;
    const char *sep = arg_s(E, a, 1);
    if (E->failed) return NULL;
    if (is_str(a[0])) return dup(a[0]);
    if (!is_arr(a[0])) return bad_arg(E, 0), NULL;
    sb_t s = {0};
    int first = 1;
    for (cJSON *c = a[0]->child; c; c = c->next) {
        if (!is_str(c)) {
            free(s.b);
            return bad_arg(E, 0), NULL;
        }
        if (!first && sep) sb_puts(&s, sep);
        first = 0;
        sb_puts(&s, c->valuestring);
    }
    if (s.over) {
        free(s.b);
        return efail(E, "D1101", "String result too long"), NULL;
    }
    return str_take(sb_done(&s));
}

/* Capture groups a match of re reports (all of the pattern's, up to RE_GROUPS). */
static int re_groups(const pcre2_code *re) {
    uint32_t n = 0;
    if (re) pcre2_pattern_info(re, PCRE2_INFO_CAPTURECOUNT, &n);
    return n > RE_GROUPS ? RE_GROUPS : (int)n;
}

/* The match object of m in s, with ng groups (one that took no part is null, JavaScript's
 * undefined). *at / *at_cp: a byte offset at or before the match and its index in UTF-16 units, moved
 * to the match (a loop over matches counts each character once). */
static cJSON *match_obj(const char *s, const regmatch_t *m, int ng, size_t *at, int *at_cp) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "match", str_take(strndup(s + m[0].rm_so, (size_t)(m[0].rm_eo - m[0].rm_so))));
    for (; *at < (size_t)m[0].rm_so; (*at)++) /* JavaScript's index: UTF-16 code units */
        if (((unsigned char)s[*at] & 0xC0) != 0x80) *at_cp += (unsigned char)s[*at] >= 0xF0 ? 2 : 1;
    cJSON_AddNumberToObject(o, "index", *at_cp);
    cJSON *g = cJSON_AddArrayToObject(o, "groups");
    for (int i = 1; i <= ng; i++)
        push(g, m[i].rm_so >= 0 ? str_take(strndup(s + m[i].rm_so, (size_t)(m[i].rm_eo - m[i].rm_so)))
                                : cJSON_CreateNull());
    return o;
}

static cJSON *f_match(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    const char *s = arg_s(E, a, 0);
    if (!s) return NULL;
    const pcre2_code *re = regex_of(E, a[1]);
    if (!re) return bad_arg(E, 1), NULL;
    double lim = -1;
    if (a[2] && arg_n(E, a, 2, &lim) < 0) return NULL;
    if (a[2] && lim < 0)
        return efail(E, "D3040", "Third argument of match function must evaluate to a positive number"), NULL;
    cJSON *r = seq_new();
    size_t L = strlen(s), at = 0;
    int at_cp = 0, count = 0, ng = re_groups(re);
    regmatch_t m[RE_GROUPS + 1];
    if (lim == 0) return r;
    int found = !re_next(E, re, s, L, 1, 0, m);
    while (found && (lim < 0 || count < clampi(lim)) && !step(E)) {
        push(r, match_obj(s, m, ng, &at, &at_cp));
        count++;
        found = !re_next(E, re, s, L, 0, (size_t)m[0].rm_eo, m);
    }
    if (E->failed) {
        cJSON_Delete(r);
        return NULL;
    }
    return r;
}

static cJSON *f_replace(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    const char *s = arg_s(E, a, 0);
    if (!s) return NULL;
    const pcre2_code *re = regex_of(E, a[1]);
    const char *pat = re ? NULL : arg_s(E, a, 1);
    if (E->failed) return NULL;
    if (!re && !pat) return bad_arg(E, 1), NULL;
    if (pat && !pat[0])
        return efail(E, "D3010", "Second argument of replace function cannot be an empty string"), NULL;
    int rfn = is_fn(a[2]);
    const char *rep = rfn ? NULL : arg_s(E, a, 2);
    if (E->failed) return NULL;
    if (!rfn && !rep) return bad_arg(E, 2), NULL;
    double lim = -1;
    if (a[3]) {
        if (arg_n(E, a, 3, &lim) < 0) return NULL;
        if (lim < 0)
            return efail(E, "D3011",
                         "Fourth argument of replace function must evaluate to a positive number"),
                   NULL;
    }
    sb_t o = {0};
    size_t i = 0, L = strlen(s), at = 0;
    int count = 0, at_cp = 0, ng = re_groups(re);
    regmatch_t m[RE_GROUPS + 1];
    int found = re && lim != 0 && !re_next(E, re, s, L, 1, 0, m);
    while ((lim < 0 || count < clampi(lim)) && i <= L && !step(E)) {
        if (re) {
            if (!found) break;
        } else {
            const char *p = strstr(s + i, pat);
            if (!p) break;
            m[0].rm_so = (regoff_t)(p - s);
            m[0].rm_eo = m[0].rm_so + (regoff_t)strlen(pat);
        }
        sb_put(&o, s + i, (size_t)m[0].rm_so - i);
        if (rfn) {
            cJSON *mo = match_obj(s, m, ng, &at, &at_cp);
            cJSON *args[1] = {mo};
            cJSON *v = apply_fn(E, a[2], args, 1, in);
            cJSON_Delete(mo);
            if (E->failed) {
                cJSON_Delete(v);
                break;
            }
            if (!is_str(v)) {
                cJSON_Delete(v);
                efail(E, "D3012", "Attempted to replace a matched string with a non-string value");
                break;
            }
            sb_puts(&o, v->valuestring);
            cJSON_Delete(v);
        } else {
            for (const char *r = rep; *r; r++) {
                if (*r == '$' && r[1] == '$') {
                    sb_put(&o, "$", 1);
                    r++;
                } else if (*r == '$' && isdigit((unsigned char)r[1])) {
                    /* jsonata-js: $0 the match; else as many digits as the group count has, one
                     * fewer when that names no group */
                    int g = r[1] - '0', used = 1;
                    if (g && ng >= 10 && isdigit((unsigned char)r[2]) && g * 10 + (r[2] - '0') <= ng) {
                        g = g * 10 + (r[2] - '0');
                        used = 2;
                    }
                    if ((g == 0 || g <= ng) && m[g].rm_so >= 0)
                        sb_put(&o, s + m[g].rm_so, (size_t)(m[g].rm_eo - m[g].rm_so));
                    r += used;
                } else
                    sb_put(&o, r, 1);
            }
        }
        count++;
        i = (size_t)m[0].rm_eo;
        if (re) found = !re_next(E, re, s, L, 0, i, m);
    }
    if (E->failed || o.over) {
        free(o.b);
        if (!E->failed) efail(E, "D1101", "String result too long");
        return NULL;
    }
    if (i < L) sb_puts(&o, s + i);
    return str_take(sb_done(&o));
}

static cJSON *f_base64encode(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    const char *s = arg_s(E, a, 0);
    if (!s) return NULL;
    size_t L = strlen(s);
    char *o = malloc(4 * ((L + 2) / 3) + 1);
    EVP_EncodeBlock((unsigned char *)o, (const unsigned char *)s, (int)L);
    return str_take(o);
}
static cJSON *f_base64decode(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    const char *s = arg_s(E, a, 0);
    if (!s) return NULL;
    size_t L = strlen(s);
    if (L % 4) return efail(E, "D3139", "Invalid base64 string"), NULL;
    unsigned char *o = malloc(L / 4 * 3 + 1);
    int k = EVP_DecodeBlock(o, (const unsigned char *)s, (int)L);
    if (k < 0) {
        free(o);
        return efail(E, "D3139", "Invalid base64 string"), NULL;
    }
    if (L >= 1 && s[L - 1] == '=') k--;
    if (L >= 2 && s[L - 2] == '=') k--;
    o[k] = 0;
    return str_take((char *)o);
}
static cJSON *url_enc(ev_t *E, cJSON **a, const char *keep) {
    const char *s = arg_s(E, a, 0);
    if (!s) return NULL;
    sb_t o = {0};
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (isalnum(*p) || strchr(keep, *p))
            sb_put(&o, (const char *)p, 1);
        else {
            char t[4];
            snprintf(t, sizeof t, "%%%02X", *p);
            sb_puts(&o, t);
        }
    }
    return str_take(sb_done(&o));
}
static cJSON *f_encode_url_component(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    return url_enc(E, a, "-_.!~*'()");
}
static cJSON *f_encode_url(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    return url_enc(E, a, "-_.!~*'();/?:@&=+$,#");
}
static cJSON *f_decode_url(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    const char *s = arg_s(E, a, 0);
    if (!s) return NULL;
    char *o = malloc(strlen(s) + 1);
    size_t k = 0;
    for (const char *p = s; *p; p++) {
        if (*p == '%') {
            unsigned v;
            char h[5] = {'0', '0', p[1], p[1] ? p[2] : 0, 0};
            if (!p[1] || !p[2] || hex4(h, &v)) {
                free(o);
                return efail(E, "D3140", "Malformed URL passed to $decodeUrl(): \"%.200s\"", s), NULL;
            }
            o[k++] = (char)v;
            p += 2;
        } else
            o[k++] = *p;
    }
    o[k] = 0;
    return str_take(o);
}

/* ---- numbers ---- */
static cJSON *f_number(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    cJSON *v = a[0];
    if (!v) return NULL;
    if (is_num(v)) return num(v->valuedouble);
    if (is_bool(v)) return num(TYPE(v) == cJSON_True);
    if (is_str(v)) {
        const char *s = v->valuestring;
        char *end;
        double d = 0;
        if (s[0] == '0' &&
            (s[1] == 'x' || s[1] == 'X' || s[1] == 'b' || s[1] == 'B' || s[1] == 'o' || s[1] == 'O')) {
            int base = s[1] == 'x' || s[1] == 'X' ? 16 : s[1] == 'b' || s[1] == 'B' ? 2 : 8;
            d = (double)strtoull(s + 2, &end, base);
            if (s[2] && !*end) return num(d);
        } else {
            /* JSON number syntax only */
            const char *p = s;
            if (*p == '-') p++;
            int ok = isdigit((unsigned char)*p) && !(p[0] == '0' && isdigit((unsigned char)p[1]));
            if (ok) {
                d = strtod(s, &end);
                if (!*end && isfinite(d) && !strchr(s, 'x') && !strchr(s, 'X') && !strchr(s, 'n') &&
                    !strchr(s, 'N'))
                    return num(d);
            }
        }
    }
    char *t = show(E, v);
    efail(E, "D3030", "Unable to cast value to a number: %s", t);
    free(t);
    return NULL;
}
static cJSON *num1(ev_t *E, cJSON **a, double (*f)(double)) {
    double d = 0;
    if (arg_n(E, a, 0, &d) <= 0) return NULL;
    return num(f(d) == 0 ? 0 : f(d));
}
static cJSON *f_abs(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    return num1(E, a, fabs);
}
static cJSON *f_floor(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    return num1(E, a, floor);
}
static cJSON *f_ceil(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    return num1(E, a, ceil);
}
static double shift10(double v, int by) {
    char t[64], u[80];
    js_num(v, t, sizeof t);
    char *e = strchr(t, 'e');
    int ex = 0;
    if (e) {
        ex = atoi(e + 1);
        *e = 0;
    }
    snprintf(u, sizeof u, "%se%d", t, ex + by);
    return strtod(u, NULL);
}
static cJSON *f_round(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    double v = 0, p = 0;
    if (arg_n(E, a, 0, &v) <= 0) return NULL;
    if (arg_n(E, a, 1, &p) < 0) return NULL;
    int prec = clampi(p);
    if (prec) v = shift10(v, prec);
    double r = floor(v + 0.5);                               /* Math.round */
    if (fabs(r - v) == 0.5 && fmod(fabs(r), 2) == 1) r -= 1; /* half to even */
    if (prec) r = shift10(r, -prec);
    if (!isfinite(r)) return efail(E, "D1001", "Number out of range"), NULL;
    return num(r == 0 ? 0 : r);
}
static cJSON *f_power(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    double b = 0, x = 0;
    if (arg_n(E, a, 0, &b) <= 0 || arg_n(E, a, 1, &x) <= 0)
        return E->failed || !a[0] ? NULL : (bad_arg(E, 1), NULL);
    double r = pow(b, x);
    if (!isfinite(r))
        return efail(E, "D3061",
                     "The power function has resulted in a value that cannot be represented as a JSON "
                     "number: base=%g, exponent=%g",
                     b, x),
               NULL;
    return num(r);
}
static cJSON *f_sqrt(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    double d = 0;
    if (arg_n(E, a, 0, &d) <= 0) return NULL;
    if (d < 0)
        return efail(E, "D3060", "The sqrt function cannot be applied to a negative number: %g", d), NULL;
    return num(sqrt(d));
}
static uint64_t splitmix(uint64_t *x) {
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
static double rnd(ev_t *E) {
    if (E->c->sim) return rng_unit(E->c->sim);
    return (double)(splitmix(&E->rs[0]) >> 11) / 9007199254740992.0;
}
static cJSON *f_random(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    /* Step Functions extension: $random(seed) is deterministic for a seed */
    if (a[0]) {
        double sd = 0;
        if (arg_n(E, a, 0, &sd) < 0) return NULL;
        uint64_t x;
        memcpy(&x, &sd, sizeof x); /* the seed's bits */
        x ^= 0x5DEECE66DULL;
        splitmix(&x);
        return num((double)(splitmix(&x) >> 11) / 9007199254740992.0);
    }
    return num(rnd(E));
}

/* $formatNumber(n, picture): decimal/grouping/percent subset of the XPath picture syntax */
static cJSON *f_format_number(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    double v = 0;
    if (arg_n(E, a, 0, &v) <= 0) return NULL;
    const char *pic = arg_s(E, a, 1);
    if (!pic) return E->failed ? NULL : (bad_arg(E, 1), NULL);
    size_t L = strlen(pic), st = 0, en = L;
    while (st < L && !strchr("0123456789#.,", pic[st]))
        st++;
    while (en > st && !strchr("0123456789#.,", pic[en - 1]))
        en--;
    char prefix[64], suffix[64];
    snprintf(prefix, sizeof prefix, "%.*s", (int)st, pic);
    snprintf(suffix, sizeof suffix, "%s", pic + en);
    if (strchr(suffix, '%')) v *= 100;
    int mini = 0, minf = 0, maxf = 0, group = 0, seen_dot = 0, last_comma = -1, intlen = 0;
    for (size_t i = st; i < en; i++) {
        char c = pic[i];
        if (c == '.') {
            seen_dot = 1;
            continue;
        }
        if (!seen_dot) {
            if (c == ',')
                last_comma = intlen;
            else {
                if (isdigit((unsigned char)c)) mini++;
                intlen++;
            }
        } else {
            if (isdigit((unsigned char)c))
                minf++, maxf++;
            else if (c == '#')
                maxf++;
        }
    }
    if (last_comma >= 0) group = intlen - last_comma;
    char num_s[400];
    snprintf(num_s, sizeof num_s, "%.*f", maxf > 50 ? 50 : maxf, fabs(v));
    char *dot = strchr(num_s, '.');
    char frac[64] = "";
    if (dot) {
        snprintf(frac, sizeof frac, "%s", dot + 1);
        *dot = 0;
    }
    int fl = (int)strlen(frac);
    while (fl > minf && frac[fl - 1] == '0')
        frac[--fl] = 0;
    char *ip = num_s;
    while (ip[0] == '0' && ip[1])
        ip++;
    if (!strcmp(ip, "0") && mini == 0) ip = "";
    sb_t o = {0};
    if (v < 0 && (strspn(ip, "0") != strlen(ip) || strspn(frac, "0") != strlen(frac))) sb_puts(&o, "-");
    sb_puts(&o, prefix);
    int il = (int)strlen(ip), total = il > mini ? il : mini;
    for (int i = 0; i < total; i++) {
        int pos_from_right = total - i;
        char c = i < total - il ? '0' : ip[i - (total - il)];
        sb_put(&o, &c, 1);
        if (group && pos_from_right > 1 && (pos_from_right - 1) % group == 0) sb_puts(&o, ",");
    }
    if (fl) {
        sb_puts(&o, ".");
        sb_puts(&o, frac);
    }
    sb_puts(&o, suffix);
    return str_take(sb_done(&o));
}
static cJSON *f_format_base(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    double v = 0, r = 10;
    if (arg_n(E, a, 0, &v) <= 0) return NULL;
    if (arg_n(E, a, 1, &r) < 0) return NULL;
    if (r < 2 || r > 36)
        return efail(E, "D3100",
                     "The radix of the formatBase function must be between 2 and 36.  It was given %g", r),
               NULL;
    double x = round(v);
    int neg = x < 0;
    x = fabs(x);
    if (x > 9e15) return efail(E, "D3100", "Number too large for formatBase"), NULL;
    unsigned long long u = (unsigned long long)x;
    char b[80];
    int k = 79;
    b[k] = 0;
    do {
        b[--k] = "0123456789abcdefghijklmnopqrstuvwxyz"[u % (unsigned)r];
        u /= (unsigned)r;
    } while (u);
    if (neg) b[--k] = '-';
    return cJSON_CreateString(b + k);
}

/* ---- $formatInteger / $parseInteger (jsonata-js datetime.js: XPath format-integer pictures) ---- */

/* Strings as JavaScript sees them, in UTF-16 code units: the picture rules count and cut there. */
typedef struct {
    uint16_t *u;
    size_t n, cap;
} u16_t;
static void u16_put(u16_t *s, unsigned cp) {
    if (s->n + 2 > s->cap) {
        s->cap = s->cap ? s->cap * 2 : 32;
        s->u = realloc(s->u, sizeof *s->u * s->cap);
    }
    if (cp >= 0x10000) {
        cp -= 0x10000;
        s->u[s->n++] = (uint16_t)(0xD800 + (cp >> 10));
        s->u[s->n++] = (uint16_t)(0xDC00 + (cp & 0x3FF));
    } else
        s->u[s->n++] = (uint16_t)cp;
}
/* next code point of UTF-8 text (invalid bytes read as U+FFFD) */
static unsigned utf8_next(const char **p) {
    const unsigned char *s = (const unsigned char *)*p;
    unsigned c = s[0];
    int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (!len) {
        *p += 1;
        return 0xFFFD;
    }
    unsigned cp = len == 1 ? c : c & (0xFF >> (len + 1));
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *p += i;
            return 0xFFFD;
        }
        cp = cp << 6 | (s[i] & 0x3F);
    }
    *p += len;
    return cp;
}
static void u16_from(u16_t *s, const char *t) {
    while (*t)
        u16_put(s, utf8_next(&t));
}
static char *u16_utf8(const u16_t *s) {
    sb_t o = {0};
    for (size_t i = 0; i < s->n; i++) {
        unsigned cp = s->u[i];
        if (cp >= 0xD800 && cp < 0xDC00 && i + 1 < s->n && s->u[i + 1] >= 0xDC00 && s->u[i + 1] < 0xE000)
            cp = 0x10000 + ((cp - 0xD800) << 10) + (s->u[++i] - 0xDC00);
        else if (cp >= 0xD800 && cp < 0xE000)
            cp = 0xFFFD; /* a lone surrogate has no UTF-8 spelling */
        char b[4];
        size_t k = 0;
        char *bp = b;
        put_utf8(&bp, &k, cp);
        sb_put(&o, b, k);
    }
    if (o.over) {
        free(o.b);
        return NULL;
    }
    return sb_done(&o);
}
/* s = s.substr(0, pos) + ins + s.substr(pos), with JavaScript's substr for a negative pos */
static void u16_insert(u16_t *s, long pos, const u16_t *ins) {
    size_t keep_from = pos < 0 ? (size_t)((long)s->n + pos < 0 ? 0 : (long)s->n + pos) : (size_t)pos;
    size_t head = pos < 0 ? 0 : (size_t)pos;
    if (keep_from > s->n) keep_from = s->n;
    if (head > s->n) head = s->n;
    size_t tail = s->n - keep_from, n = head + ins->n + tail;
    uint16_t *u = malloc(sizeof *u * (n + 1));
    memcpy(u, s->u, sizeof *u * head);
    memcpy(u + head, ins->u, sizeof *u * ins->n);
    memcpy(u + head + ins->n, s->u + keep_from, sizeof *u * tail);
    free(s->u);
    s->u = u;
    s->n = s->cap = n;
}

static const char *FEW[] = {"Zero",     "One",     "Two",     "Three",     "Four",     "Five",    "Six",
                            "Seven",    "Eight",   "Nine",    "Ten",       "Eleven",   "Twelve",  "Thirteen",
                            "Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen"};
static const char *ORDINALS[] = {"Zeroth",    "First",     "Second",      "Third",      "Fourth",
                                 "Fifth",     "Sixth",     "Seventh",     "Eighth",     "Ninth",
                                 "Tenth",     "Eleventh",  "Twelfth",     "Thirteenth", "Fourteenth",
                                 "Fifteenth", "Sixteenth", "Seventeenth", "Eighteenth", "Nineteenth"};
static const char *DECADES[] = {"Twenty",  "Thirty", "Forty",  "Fifty",  "Sixty",
                                "Seventy", "Eighty", "Ninety", "Hundred"};
static const char *MAGNITUDES[] = {"Thousand", "Million", "Billion", "Trillion"};

/* numberToWords' lookup(num, prev, ord) */
static void words_of(sb_t *o, double num, int prev, int ord) {
    if (num <= 19) {
        if (prev) sb_puts(o, " and ");
        sb_puts(o, ord ? ORDINALS[(int)num] : FEW[(int)num]);
    } else if (num < 100) {
        int tens = (int)floor(num / 10), rem = (int)fmod(num, 10);
        if (prev) sb_puts(o, " and ");
        if (rem > 0) {
            sb_puts(o, DECADES[tens - 2]);
            sb_puts(o, "-");
            words_of(o, rem, 0, ord);
        } else if (ord) {
            sb_put(o, DECADES[tens - 2], strlen(DECADES[tens - 2]) - 1);
            sb_puts(o, "ieth");
        } else
            sb_puts(o, DECADES[tens - 2]);
    } else if (num < 1000) {
        double hundreds = floor(num / 100), rem = fmod(num, 100);
        if (prev) sb_puts(o, ", ");
        sb_puts(o, FEW[(int)hundreds]);
        sb_puts(o, " Hundred");
        if (rem > 0)
            words_of(o, rem, 1, ord);
        else if (ord)
            sb_puts(o, "th");
    } else {
        int mag = (int)floor(log10(num) / 3);
        if (mag > 4) mag = 4; /* the largest word */
        double factor = pow(10, mag * 3), mant = floor(num / factor), rem = num - mant * factor;
        if (prev) sb_puts(o, ", ");
        words_of(o, mant, 0, 0);
        sb_puts(o, " ");
        sb_puts(o, MAGNITUDES[mag - 1]);
        if (rem > 0)
            words_of(o, rem, 1, ord);
        else if (ord)
            sb_puts(o, "th");
    }
}

enum { IP_DECIMAL, IP_LETTERS, IP_ROMAN, IP_WORDS, IP_SEQUENCE };
enum { IC_LOWER, IC_UPPER, IC_TITLE };
typedef struct {
    int primary, tcase, ordinal;
    unsigned zero;      /* the decimal digit family's zero */
    int mandatory;      /* decimal digit signs */
    int optional;       /* '#' signs (a date picture's year width counts them) */
    int regular, every; /* grouping: one separator every `every` digits */
    unsigned *sep_cp;   /* otherwise each separator (code point) ... */
    int *sep_pos;       /* ... at its position counted from the right */
    int nsep;
    char *token; /* IP_SEQUENCE: the primary format */
} ipic_t;

static const unsigned DECIMAL_GROUPS[] = {
    0x30,   0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66,
    0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50,
    0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10};

static void ipic_free(ipic_t *f) {
    free(f->sep_cp);
    free(f->sep_pos);
    free(f->token);
}
static int gcd_i(int a, int b) {
    return b == 0 ? a : gcd_i(b, a % b);
}

/* analyseIntegerPicture; -1 with D3131 when digits of two families are mixed */
static int ipic_analyse(ev_t *E, const char *pic, ipic_t *f) {
    memset(f, 0, sizeof *f);
    const char *semi = strrchr(pic, ';');
    size_t plen = semi ? (size_t)(semi - pic) : strlen(pic);
    if (semi && semi[1] == 'o') f->ordinal = 1;
    char *prim = strndup(pic, plen);
    if (!strcmp(prim, "A") || !strcmp(prim, "a") || !strcmp(prim, "I") || !strcmp(prim, "i")) {
        f->primary = prim[0] == 'A' || prim[0] == 'a' ? IP_LETTERS : IP_ROMAN;
        f->tcase = isupper((unsigned char)prim[0]) ? IC_UPPER : IC_LOWER;
    } else if (!strcmp(prim, "W") || !strcmp(prim, "Ww") || !strcmp(prim, "w")) {
        f->primary = IP_WORDS;
        f->tcase = !strcmp(prim, "W") ? IC_UPPER : !strcmp(prim, "Ww") ? IC_TITLE : IC_LOWER;
    } else {
        /* a decimal digit pattern, read from the right: digits of one family, '#', separators */
        size_t ncp = 0;
        unsigned *cps = malloc(sizeof *cps * (plen + 1));
        for (const char *p = prim; *p;)
            cps[ncp++] = utf8_next(&p);
        int pos = 0;
        f->sep_cp = malloc(sizeof *f->sep_cp * (ncp + 1));
        f->sep_pos = malloc(sizeof *f->sep_pos * (ncp + 1));
        for (size_t i = ncp; i-- > 0;) {
            unsigned cp = cps[i], group = 0;
            int digit = 0;
            for (size_t g = 0; g < sizeof DECIMAL_GROUPS / sizeof *DECIMAL_GROUPS && !digit; g++)
                if (cp >= DECIMAL_GROUPS[g] && cp <= DECIMAL_GROUPS[g] + 9)
                    digit = 1, group = DECIMAL_GROUPS[g];
            if (digit) {
                f->mandatory++;
                pos++;
                if (!f->zero)
                    f->zero = group;
                else if (group != f->zero) {
                    free(cps);
                    free(prim);
                    return efail(
                        E, "D3131",
                        "In a decimal digit pattern, all digits must be from the same decimal group");
                }
            } else if (cp == '#') {
                pos++;
                f->optional++;
            } else {
                f->sep_cp[f->nsep] = cp;
                f->sep_pos[f->nsep++] = pos;
            }
        }
        free(cps);
        if (f->mandatory > 0) {
            f->primary = IP_DECIMAL;
            int factor = 0, same = f->nsep > 0;
            for (int i = 1; i < f->nsep && same; i++)
                same = f->sep_cp[i] == f->sep_cp[0];
            if (same) {
                factor = f->sep_pos[0];
                for (int i = 1; i < f->nsep; i++)
                    factor = gcd_i(factor, f->sep_pos[i]);
                /* every multiple k * factor (k = 1..nsep) has its separator; positions grow with i */
                char *has = calloc((size_t)pos + 1, 1);
                for (int i = 0; i < f->nsep; i++)
                    has[f->sep_pos[i]] = 1;
                for (long k = 1; k <= f->nsep && factor; k++)
                    if (k * factor > pos || !has[k * factor]) factor = 0;
                free(has);
            }
            if (factor > 0) {
                f->regular = 1;
                f->every = factor;
            }
        } else {
            f->primary = IP_SEQUENCE;
            f->token = strdup(prim);
        }
    }
    free(prim);
    return 0;
}

static int sequence_unsupported(ev_t *E, const ipic_t *f) {
    return efail(
        E, "D3130",
        "Formatting or parsing an integer as a sequence starting with \"%.100s\" is not supported by "
        "this implementation",
        f->token);
}

/* _formatInteger: value is already floored */
static char *ipic_format(ev_t *E, double value, ipic_t *f) {
    int negative = value < 0;
    value = fabs(value);
    sb_t o = {0};
    if (negative) sb_puts(&o, "-");
    switch (f->primary) {
    case IP_SEQUENCE:
        free(o.b);
        sequence_unsupported(E, f);
        return NULL;
    case IP_LETTERS: {
        if (isinf(value)) { /* jsonata-js never ends: the work bound ends it here */
            free(o.b);
            efail(E, "D1100", "Evaluation exceeded its work limit (%ld steps)", (long)MAX_STEPS);
            return NULL;
        }
        char b[400];
        int k = sizeof b - 1;
        b[k] = 0;
        while (value > 0 && k > 0) {
            b[--k] = (char)(fmod(value - 1, 26) + (f->tcase == IC_UPPER ? 'A' : 'a'));
            value = floor((value - 1) / 26);
        }
        sb_puts(&o, b + k);
        break;
    }
    case IP_ROMAN: {
        static const struct {
            int v;
            const char *s;
        } R[] = {{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"}, {90, "xc"}, {50, "l"},
                 {40, "xl"},  {10, "x"},   {9, "ix"},  {5, "v"},    {4, "iv"},  {1, "i"}};
        /* jsonata-js recurses once per numeral: from about ten thousand of them on, JavaScript's stack
         * overflows (a RangeError, no JSONata code); the bound here is that fixed count */
        if (value >= 1e7) {
            free(o.b);
            efail(E, "RangeError", "Maximum call stack size exceeded");
            return NULL;
        }
        long v = isnan(value) ? 0 : (long)value;
        for (size_t i = 0; i < sizeof R / sizeof *R; i++)
            for (; v >= R[i].v; v -= R[i].v)
                for (const char *p = R[i].s; *p; p++) {
                    char c = f->tcase == IC_UPPER ? (char)toupper((unsigned char)*p) : *p;
                    sb_put(&o, &c, 1);
                }
        break;
    }
    case IP_WORDS: {
        if (!isfinite(value)) { /* jsonata-js recurses without end */
            free(o.b);
            efail(E, "RangeError", "Maximum call stack size exceeded");
            return NULL;
        }
        sb_t w = {0};
        words_of(&w, value, 0, f->ordinal);
        char *t = sb_done(&w);
        for (char *p = t; *p; p++)
            *p = f->tcase == IC_UPPER   ? (char)toupper((unsigned char)*p)
                 : f->tcase == IC_LOWER ? (char)tolower((unsigned char)*p)
                                        : *p;
        sb_puts(&o, t);
        free(t);
        break;
    }
    case IP_DECIMAL: {
        char digits[64];
        js_num(value, digits, sizeof digits);
        long pad = f->mandatory - (long)strlen(digits);
        u16_t s = {0}, sep = {0};
        if (pad > 0) {
            if ((E->steps += pad) > MAX_STEPS) {
                free(o.b);
                efail(E, "D1100", "Evaluation exceeded its work limit (%ld steps)", (long)MAX_STEPS);
                return NULL;
            }
            for (long i = 0; i < pad; i++)
                u16_put(&s, f->zero);
        }
        for (const char *p = digits; *p; p++)
            u16_put(&s, (unsigned)*p + f->zero - 0x30);
        if (f->regular) {
            /* a separator before each position `every` digits from the right, as jsonata-js inserts them */
            u16_put(&sep, f->sep_cp[0]);
            u16_t g = {0};
            long L = (long)s.n, n = (L - 1) / f->every;
            for (long i = 0; i < L; i++) {
                long from_right = L - i;
                if (i > 0 && from_right % f->every == 0 && from_right / f->every <= n)
                    for (size_t k = 0; k < sep.n; k++)
                        u16_put(&g, sep.u[k]);
                u16_put(&g, s.u[i]);
            }
            free(s.u);
            s = g;
        } else
            for (int i = f->nsep; i-- > 0;) { /* leftmost first, each placed from the current end */
                sep.n = 0;
                u16_put(&sep, f->sep_cp[i]);
                if ((E->steps += (long)s.n) > MAX_STEPS) break;
                u16_insert(&s, (long)s.n - f->sep_pos[i], &sep);
            }
        free(sep.u);
        if (f->ordinal) {
            const char *suffix = "th";
            uint16_t last = s.n ? s.u[s.n - 1] : 0;
            if (!(s.n > 1 && s.u[s.n - 2] == '1'))
                suffix = last == '1' ? "st" : last == '2' ? "nd" : last == '3' ? "rd" : "th";
            for (const char *p = suffix; *p; p++)
                u16_put(&s, (unsigned char)*p);
        }
        char *t = u16_utf8(&s);
        free(s.u);
        if (t) sb_puts(&o, t);
        free(t);
        if (E->steps > MAX_STEPS) {
            free(o.b);
            efail(E, "D1100", "Evaluation exceeded its work limit (%ld steps)", (long)MAX_STEPS);
            return NULL;
        }
        break;
    }
    }
    if (o.over) {
        free(o.b);
        efail(E, "D1101", "String result longer than %d bytes", MAX_STRING);
        return NULL;
    }
    return sb_done(&o);
}

/* Arguments (v, picture) of a signature <x-s:y>: T0411 when the context stood in for a missing
 * first argument of the wrong type, T0410 otherwise. */
static int picture_args(ev_t *E, cJSON **a, int n, const cJSON *in, int want_num, const char **pic) {
    *pic = NULL;
    int ok0 = !a[0] || (want_num ? is_num(a[0]) : is_str(a[0]));
    if (!ok0) {
        if (a[0] == in && n == 2 && is_str(a[1]))
            return efail(E, "T0411",
                         "Context value is not a compatible type with argument 1 of function \"%s\"",
                         E->fname);
        return bad_arg(E, 0);
    }
    if (n < 2 || !is_str(a[1])) return bad_arg(E, 1);
    *pic = a[1]->valuestring;
    return 0;
}

static cJSON *f_format_integer(ev_t *E, cJSON **a, int n, const cJSON *in) {
    const char *pic;
    if (picture_args(E, a, n, in, 1, &pic) || !a[0]) return NULL;
    ipic_t f;
    if (ipic_analyse(E, pic, &f)) {
        ipic_free(&f);
        return NULL;
    }
    char *s = ipic_format(E, floor(a[0]->valuedouble), &f);
    ipic_free(&f);
    return s ? str_take(s) : NULL;
}

static int js_space(unsigned c) {
    return (c >= 9 && c <= 13) || c == ' ' || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) ||
           c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

/* JavaScript's parseInt(s) (radix 10, or 16 after 0x): NaN when no digit starts the string */
static double js_parse_int(const u16_t *s) {
    size_t i = 0;
    while (i < s->n && js_space(s->u[i]))
        i++;
    int neg = 0, radix = 10;
    if (i < s->n && (s->u[i] == '-' || s->u[i] == '+')) neg = s->u[i++] == '-';
    if (i + 1 < s->n && s->u[i] == '0' && (s->u[i + 1] == 'x' || s->u[i + 1] == 'X')) radix = 16, i += 2;
    char b[400];
    size_t k = 0, nd = 0;
    double hex = 0;
    for (; i < s->n; i++) {
        unsigned c = s->u[i];
        int d = -1;
        if (c >= '0' && c <= '9')
            d = (int)c - '0';
        else if (radix == 16 && c < 128 && isxdigit((int)c))
            d = tolower((int)c) - 'a' + 10;
        if (d < 0) break;
        nd++;
        if (radix == 16)
            hex = hex * 16 + d;
        else if (k >= sizeof b - 1)
            k = sizeof b; /* more digits than a double's range: Infinity */
        else if (k || d)  /* leading zeros are not kept */
            b[k++] = (char)c;
    }
    if (!nd) return NAN;
    double v = hex;
    if (radix == 10) {
        if (k >= sizeof b)
            v = INFINITY;
        else {
            b[k] = 0;
            v = k ? strtod(b, NULL) : 0;
        }
    }
    return neg ? -v : v;
}

/* wordsToNumber's table: few, ordinals, decades (and their -ieth), hundredth, magnitudes (and -th) */
static double word_value(const char *w) {
    for (int i = 0; i < 20; i++)
        if (!strcasecmp(w, FEW[i]) || !strcasecmp(w, ORDINALS[i])) return i;
    size_t L = strlen(w);
    for (int i = 0; i < 9; i++) {
        size_t D = strlen(DECADES[i]); /* "twenty", and "twentieth" from "twent" + "ieth" */
        if (!strcasecmp(w, DECADES[i]) ||
            (L == D + 3 && !strncasecmp(w, DECADES[i], D - 1) && !strcmp(w + D - 1, "ieth")))
            return (i + 2) * 10;
    }
    if (!strcmp(w, "hundredth")) return 100;
    for (int i = 0; i < 4; i++) {
        size_t M = strlen(MAGNITUDES[i]);
        if (!strncasecmp(w, MAGNITUDES[i], M) && (!w[M] || !strcmp(w + M, "th"))) return pow(10, (i + 1) * 3);
    }
    return NAN; /* undefined in jsonata-js: it makes the sum NaN */
}

/* wordsToNumber(text.toLowerCase()): parts split at ", " / " and " / a space, '\' or '-' */
static double words_to_number(ev_t *E, const char *text_in) {
    char *text = strdup(text_in);
    for (char *x = text; *x; x++)
        *x = (char)tolower((unsigned char)*x);
    int ns = 1, cap = 16;
    double *segs = malloc(sizeof *segs * (size_t)cap);
    segs[0] = 0;
    sb_t w = {0};
    const char *p = text;
    int done = 0;
    while (!done) {
        const char *q = p;
        unsigned c = *p ? utf8_next(&q) : 0;
        size_t skip = 0; /* bytes of a separator starting at p */
        if (!c)
            done = 1;
        else if (c == ',' && *q) {
            const char *r = q;
            if (js_space(utf8_next(&r))) skip = (size_t)(r - p);
        }
        if (!done && !skip && js_space(c)) {
            const char *r = q;
            if (!strncmp(r, "and", 3)) {
                r += 3;
                const char *r2 = r;
                if (*r && js_space(utf8_next(&r2))) skip = (size_t)(r2 - p);
            }
            if (!skip) skip = (size_t)(q - p);
        }
        if (!done && !skip && (c == '\\' || c == '-')) skip = 1;
        if (!done && !skip) {
            sb_put(&w, p, (size_t)(q - p));
            p = q;
            continue;
        }
        if (step(E)) break;
        if (ns + 2 > cap) {
            cap *= 2;
            segs = realloc(segs, sizeof *segs * (size_t)cap);
        }
        char *part = sb_done(&w);
        w = (sb_t){0};
        double v = word_value(part);
        free(part);
        if (v < 100) {
            double top = segs[--ns];
            if (top >= 1000) {
                segs[ns++] = top;
                top = 0;
            }
            segs[ns++] = top + v;
        } else {
            segs[ns - 1] *= v;
        }
        p += skip;
    }
    free(w.b);
    double sum = 0;
    for (int i = 0; i < ns; i++)
        sum += segs[i];
    free(segs);
    free(text);
    return sum;
}

static cJSON *f_parse_integer(ev_t *E, cJSON **a, int n, const cJSON *in) {
    const char *pic;
    if (picture_args(E, a, n, in, 0, &pic) || !a[0]) return NULL;
    ipic_t f;
    if (ipic_analyse(E, pic, &f)) {
        ipic_free(&f);
        return NULL;
    }
    const char *text = a[0]->valuestring;
    double r = NAN;
    u16_t s = {0};
    if (f.primary == IP_SEQUENCE)
        sequence_unsupported(E, &f);
    else if (f.primary == IP_WORDS)
        r = words_to_number(E, text);
    else {
        u16_from(&s, text);
        if (f.primary == IP_LETTERS) {
            unsigned aa = f.tcase == IC_UPPER ? 'A' : 'a';
            r = 0;
            for (size_t i = 0; i < s.n; i++)
                r += ((double)s.u[s.n - i - 1] - aa + 1) * pow(26, (double)i);
        } else if (f.primary == IP_ROMAN) {
            double max = 1;
            r = 0;
            for (size_t i = s.n; i-- > 0;) {
                unsigned c = s.u[i];
                if (f.tcase != IC_UPPER) c = c == 0x131 ? 'I' : c < 128 ? (unsigned)toupper((int)c) : c;
                const char *R = "MDCLXVI";
                static const double RV[] = {1000, 500, 100, 50, 10, 5, 1};
                const char *at = c && c < 128 ? strchr(R, (int)c) : NULL;
                double v = at ? RV[at - R] : NAN;
                if (v < max)
                    r -= v;
                else {
                    max = v;
                    r += v;
                }
            }
        } else { /* decimal: ordinal suffix off, separators out, digits of the family to ASCII */
            if (f.ordinal) s.n = s.n >= 2 ? s.n - 2 : 0;
            u16_t d = {0};
            int nd = 0; /* distinct separators, each removed from the text in turn by jsonata-js */
            for (int k = 0; k < f.nsep; k++) {
                int seen = 0;
                for (int j = 0; j < nd && !seen; j++)
                    seen = f.sep_cp[j] == f.sep_cp[k];
                if (!seen) f.sep_cp[nd++] = f.sep_cp[k];
                if (step(E)) break;
            }
            for (size_t i = 0; i < s.n && !E->failed; i++) {
                unsigned c = s.u[i];
                int drop = 0;
                if (!f.regular && (E->steps += nd / 16) > MAX_STEPS) {
                    efail(E, "D1100", "Evaluation exceeded its work limit (%ld steps)", (long)MAX_STEPS);
                    break;
                }
                if (f.regular)
                    drop = c == ','; /* jsonata-js strips ',' for any regular separator */
                else
                    for (int k = 0; k < nd && !drop; k++) {
                        unsigned sc = f.sep_cp[k];
                        if (sc >= 0x10000) { /* a surrogate pair */
                            drop = i + 1 < s.n && c == 0xD800 + ((sc - 0x10000) >> 10) &&
                                   s.u[i + 1] == 0xDC00 + ((sc - 0x10000) & 0x3FF);
                            if (drop) i++;
                        } else
                            drop = c == sc;
                    }
                if (drop) continue;
                if (f.zero != 0x30) {
                    long cp = (long)c - (long)f.zero + 0x30;
                    if (cp < 0) {
                        efail(E, "RangeError", "Invalid code point %ld", cp);
                        break;
                    }
                    u16_put(&d, (unsigned)cp);
                } else
                    u16_put(&d, c);
            }
            if (!E->failed) r = js_parse_int(&d);
            free(d.u);
        }
    }
    free(s.u);
    ipic_free(&f);
    return E->failed ? NULL : num(r);
}

/* ---- $fromMillis / $toMillis / $now pictures (jsonata-js datetime.js: XPath format-dateTime) ---- */

/* ECMAScript Date arithmetic on time values (doubles; NaN is an invalid date), which datetime.js
 * leans on: Date.UTC maps years 0..99 to 1900..1999, days overflow into the next month. */
#define MS_DAY 86400000.0
static double js_time_clip(double t) {
    if (!isfinite(t) || fabs(t) > 8.64e15) return NAN;
    return trunc(t) + 0.0;
}
static double dt_days_from_civil(int64_t y, int m, int d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (unsigned)((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1);
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (double)(era * 146097 + (int64_t)doe - 719468);
}
/* MakeDay(year, month from 0, date) */
static double js_make_day(double y, double m, double d) {
    if (!isfinite(y) || !isfinite(m) || !isfinite(d)) return NAN;
    y = trunc(y), m = trunc(m), d = trunc(d);
    double ym = y + floor(m / 12), mn = fmod(m, 12);
    if (mn < 0) mn += 12;
    if (fabs(ym) > 1e6) return NAN; /* far outside the time value range */
    return dt_days_from_civil((int64_t)ym, (int)mn + 1, 1) + d - 1;
}
static double js_make_time(double h, double mi, double s, double ms) {
    if (!isfinite(h) || !isfinite(mi) || !isfinite(s) || !isfinite(ms)) return NAN;
    return trunc(h) * 3600000.0 + trunc(mi) * 60000.0 + trunc(s) * 1000.0 + trunc(ms);
}
static double js_date_utc(double y, double m, double d, double h, double mi, double s, double ms) {
    if (!isnan(y) && trunc(y) >= 0 && trunc(y) <= 99) y = 1900 + trunc(y);
    return js_time_clip(js_make_day(y, m, d) * MS_DAY + js_make_time(h, mi, s, ms));
}
typedef struct {
    double t, Y, M, D, wd, H, mi, s, ms; /* getUTC*: M from 0, wd 0 = Sunday */
} jsdate_t;
static jsdate_t js_date(double t) {
    jsdate_t d = {t, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN};
    if (isnan(t)) return d;
    int64_t ms = (int64_t)t;
    int64_t days = ms >= 0 ? ms / 86400000 : -((-ms + 86399999) / 86400000);
    int64_t rem = ms - days * 86400000;
    d.H = (double)(rem / 3600000), d.mi = (double)(rem / 60000 % 60);
    d.s = (double)(rem / 1000 % 60), d.ms = (double)(rem % 1000);
    d.wd = (double)((days % 7 + 11) % 7); /* 1970-01-01 was a Thursday */
    int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    d.D = (double)(doy - (153 * mp + 2) / 5 + 1);
    d.M = (double)(mp < 10 ? mp + 2 : mp - 10);
    d.Y = (double)((int64_t)yoe + era * 400 + (d.M <= 1));
    return d;
}

/* startOfFirstWeek: ISO weeks start on Monday; week 1 holds the first Thursday (of a year or month) */
static double dt_first_week(double y, double m) {
    double jan1 = js_date_utc(y, m, 1, 0, 0, 0, 0), day = js_date(jan1).wd;
    if (day == 0) day = 7;
    return day > 4 ? jan1 + (8 - day) * MS_DAY : jan1 - (day - 1) * MS_DAY;
}
static double dt_delta_weeks(double start, double end) {
    return (end - start) / (MS_DAY * 7) + 1;
}
enum { FR_NUM, FR_STR, FR_UNDEF };
typedef struct {
    int kind;
    double v;
    const char *s;
} frag_t;
/* getDateTimeFragment */
static frag_t dt_fragment(const jsdate_t *d, unsigned comp) {
    frag_t r = {FR_NUM, NAN, NULL};
    double Y = d->Y, M = d->M;
    switch (comp) {
    case 'Y':
        r.v = Y;
        break;
    case 'M':
        r.v = M + 1;
        break;
    case 'D':
        r.v = d->D;
        break;
    case 'd':
        r.v = (js_date_utc(Y, M, d->D, 0, 0, 0, 0) - js_date_utc(Y, 0, 1, 0, 0, 0, 0)) / MS_DAY + 1;
        break;
    case 'F':
        r.v = d->wd == 0 ? 7 : d->wd;
        break;
    case 'W': {
        double today = js_date_utc(Y, M, d->D, 0, 0, 0, 0), week = dt_delta_weeks(dt_first_week(Y, 0), today);
        if (week > 52) {
            if (today >= dt_first_week(Y + 1, 0)) week = 1;
        } else if (week < 1)
            week = dt_delta_weeks(dt_first_week(Y - 1, 0), today);
        r.v = floor(week);
        break;
    }
    case 'w': {
        double today = js_date_utc(Y, M, d->D, 0, 0, 0, 0), week = dt_delta_weeks(dt_first_week(Y, M), today);
        if (week > 4) {
            if (today >= (M == 11 ? dt_first_week(Y + 1, 0) : dt_first_week(Y, M + 1))) week = 1;
        } else if (week < 1)
            week = dt_delta_weeks(M == 0 ? dt_first_week(Y - 1, 11) : dt_first_week(Y, M - 1), today);
        r.v = floor(week);
        break;
    }
    case 'X': /* the ISO week-numbering year (jsonata-js's extension) */
        r.v = d->t < dt_first_week(Y, 0) ? Y - 1 : d->t >= dt_first_week(Y + 1, 0) ? Y + 1 : Y;
        break;
    case 'x': { /* the week-numbering month */
        double next = M == 11 ? 0 : M + 1, end = M == 11 ? dt_first_week(Y + 1, 0) : dt_first_week(Y, M + 1);
        r.v = d->t < dt_first_week(Y, M) ? (M == 0 ? 11 : M - 1) + 1 : d->t >= end ? next + 1 : M + 1;
        break;
    }
    case 'H':
        r.v = d->H;
        break;
    case 'h':
        r.v = fmod(d->H, 12) == 0 ? 12 : fmod(d->H, 12);
        break;
    case 'P':
        r.kind = FR_STR, r.s = d->H >= 12 ? "pm" : "am";
        break;
    case 'm':
        r.v = d->mi;
        break;
    case 's':
        r.v = d->s;
        break;
    case 'f':
        r.v = d->ms;
        break;
    case 'C':
    case 'E':
        r.kind = FR_STR, r.s = "ISO";
        break;
    default:
        r.kind = FR_UNDEF; /* Z, z and unknown components */
    }
    return r;
}

static const char *DT_MONTHS[] = {"January", "February", "March",     "April",   "May",      "June",
                                  "July",    "August",   "September", "October", "November", "December"};
static const char *DT_DAYS[] = {"",         "Monday", "Tuesday",  "Wednesday",
                                "Thursday", "Friday", "Saturday", "Sunday"};

enum { NM_NONE, NM_LOWER, NM_UPPER, NM_TITLE };
/* one part of an analysed date/time picture (analyseDateTimePicture) */
typedef struct {
    char *literal;  /* a literal part, else a variable marker: */
    unsigned comp;  /* the component specifier (the marker's first UTF-16 unit; 0 when empty) */
    unsigned pres2; /* a trailing a/t/c/o split off the presentation modifier, else 0 */
    int has_width;  /* a width modifier ',min[-max]'; min/max NaN for text parseInt refuses */
    int has_min, has_max;
    double wmin, wmax;
    int names;    /* NM_*: month/day names (N, n, Nn) */
    int has_ifmt; /* an integer picture for the value */
    ipic_t ifmt;
    double n; /* Y/M/D: digits kept (-1 all), NaN when not set */
} dpart_t;
typedef struct {
    dpart_t *p;
    int np, cap;
} dpic_t;

static void dpic_free(dpic_t *P) {
    for (int i = 0; i < P->np; i++) {
        free(P->p[i].literal);
        if (P->p[i].has_ifmt) ipic_free(&P->p[i].ifmt);
    }
    free(P->p);
}
static dpart_t *dpic_add(dpic_t *P) {
    if (P->np == P->cap) {
        P->cap = P->cap ? P->cap * 2 : 8;
        P->p = realloc(P->p, sizeof *P->p * (size_t)P->cap);
    }
    dpart_t *d = &P->p[P->np++];
    memset(d, 0, sizeof *d);
    d->n = NAN;
    return d;
}
/* a literal between markers, "]]" read as "]" */
static void dpic_literal(dpic_t *P, const char *s, size_t len) {
    if (!len) return;
    char *t = malloc(len + 1);
    size_t k = 0;
    for (size_t i = 0; i < len; i++) {
        t[k++] = s[i];
        if (s[i] == ']' && i + 1 < len && s[i + 1] == ']') i++;
    }
    t[k] = 0;
    dpic_add(P)->literal = t;
}
/* JavaScript's s.substring(a, b) of UTF-16 text */
static void u16_sub(const u16_t *s, long a, long b, u16_t *out) {
    a = a < 0 ? 0 : a > (long)s->n ? (long)s->n : a;
    b = b < 0 ? 0 : b > (long)s->n ? (long)s->n : b;
    if (a > b) {
        long t = a;
        a = b, b = t;
    }
    out->n = 0;
    for (long i = a; i < b; i++)
        u16_put(out, s->u[i]);
}
static void comp_name(unsigned comp, char *b, size_t n) {
    char *p = b;
    size_t k = 0;
    if (comp) put_utf8(&p, &k, comp >= 0xD800 && comp < 0xE000 ? 0xFFFD : comp);
    b[k < n ? k : n - 1] = 0;
}

/* one variable marker (the text between '[' and ']') */
static int dpic_marker(ev_t *E, dpic_t *P, const char *s, size_t len) {
    u16_t m = {0}, pm = {0}, w = {0}, t = {0};
    for (const char *q = s, *end = s + len; q < end;) { /* whitespace inside a marker is ignored */
        unsigned cp = utf8_next(&q);
        if (!js_space(cp)) u16_put(&m, cp);
    }
    dpart_t *d = dpic_add(P);
    d->comp = m.n ? m.u[0] : 0;
    long comma = -1;
    for (size_t i = 0; i < m.n; i++)
        if (m.u[i] == ',') comma = (long)i;
    if (comma >= 0) { /* the width modifier */
        d->has_width = 1;
        u16_sub(&m, comma + 1, (long)m.n, &w);
        long dash = -1;
        for (size_t i = 0; i < w.n && dash < 0; i++)
            if (w.u[i] == '-') dash = (long)i;
        for (int k = 0; k < 2; k++) {
            if (k == 1 && dash < 0) break;
            if (dash < 0)
                u16_sub(&w, 0, (long)w.n, &t);
            else
                u16_sub(&w, k ? dash + 1 : 0, k ? (long)w.n : dash, &t);
            if (t.n == 1 && t.u[0] == '*') continue;
            double v = js_parse_int(&t);
            if (k)
                d->has_max = 1, d->wmax = v;
            else
                d->has_min = 1, d->wmin = v;
        }
        u16_sub(&m, 1, comma, &pm);
    } else
        u16_sub(&m, 1, (long)m.n, &pm);
    char *pres1 = NULL;
    if (pm.n == 1)
        pres1 = u16_utf8(&pm);
    else if (pm.n > 1) {
        unsigned last = pm.u[pm.n - 1];
        if (last == 'a' || last == 't' || last == 'c' || last == 'o') {
            d->pres2 = last;
            pm.n--;
        }
        pres1 = u16_utf8(&pm);
    } else {
        /* defaultPresentationModifiers */
        static const char *DEF[][2] = {{"Y", "1"},     {"M", "1"},     {"D", "1"},  {"d", "1"},  {"F", "n"},
                                       {"W", "1"},     {"w", "1"},     {"X", "1"},  {"x", "1"},  {"H", "1"},
                                       {"h", "1"},     {"P", "n"},     {"m", "01"}, {"s", "01"}, {"f", "1"},
                                       {"Z", "01:01"}, {"z", "01:01"}, {"C", "n"},  {"E", "n"}};
        for (size_t i = 0; i < sizeof DEF / sizeof *DEF && !pres1; i++)
            if (d->comp == (unsigned char)DEF[i][0][0]) pres1 = strdup(DEF[i][1]);
    }
    free(m.u), free(pm.u), free(w.u), free(t.u);
    if (!pres1) {
        char c[8];
        comp_name(d->comp, c, sizeof c);
        return efail(E, "D3132", "Unknown component specifier %s in date/time picture string", c);
    }
    int rc = 0;
    unsigned c = d->comp;
    if (pres1[0] == 'n')
        d->names = NM_LOWER;
    else if (pres1[0] == 'N')
        d->names = pres1[1] == 'n' ? NM_TITLE : NM_UPPER;
    else if (c && c < 128 && strchr("YMDdFWwXxHhmsf", (int)c)) {
        char *pat = malloc(strlen(pres1) + 3);
        sprintf(pat, d->pres2 ? "%s;%c" : "%s", pres1, (char)d->pres2);
        d->has_ifmt = 1;
        rc = ipic_analyse(E, pat, &d->ifmt);
        free(pat);
        int decimal = d->ifmt.primary == IP_DECIMAL;
        double mand = d->ifmt.mandatory;
        if (!rc && decimal && d->has_min && mand < d->wmin) mand = d->wmin;
        if (!rc && (c == 'Y' || c == 'M' || c == 'D')) { /* §9.8.4.4 */
            d->n = -1;
            if (d->has_max) {
                d->n = d->wmax;
                mand = d->n;
            } else if (decimal && mand + d->ifmt.optional >= 2)
                d->n = mand + d->ifmt.optional;
        }
        /* digits to pad to; a NaN width pads nothing; a huge one runs into the work bound */
        if (decimal) d->ifmt.mandatory = isnan(mand) || mand < 0 ? 0 : mand > 1e8 ? 100000000 : (int)mand;
    }
    if (!rc && (c == 'Z' || c == 'z')) {
        d->has_ifmt = 1;
        rc = ipic_analyse(E, pres1, &d->ifmt);
    }
    free(pres1);
    return rc;
}

/* analyseDateTimePicture */
static int dpic_analyse(ev_t *E, const char *pic, dpic_t *P) {
    memset(P, 0, sizeof *P);
    size_t len = strlen(pic), start = 0, pos = 0;
    while (pos < len) {
        if (pic[pos] == '[') {
            if (pic[pos + 1] == '[') { /* a literal '[' */
                dpic_literal(P, pic + start, pos - start);
                dpic_literal(P, "[", 1);
                pos += 2;
                start = pos;
                continue;
            }
            dpic_literal(P, pic + start, pos - start);
            start = pos;
            const char *close = strchr(pic + start, ']');
            if (!close)
                return efail(E, "D3135", "No matching closing bracket ']' in date/time picture string");
            pos = (size_t)(close - pic);
            if (step(E) || dpic_marker(E, P, pic + start + 1, pos - start - 1)) return -1;
            start = pos + 1;
        }
        pos++;
    }
    dpic_literal(P, pic + start, pos - start);
    return 0;
}

/* _formatInteger into o; -1 on error */
static int dt_put_integer(ev_t *E, sb_t *o, double v, ipic_t *f) {
    char *s = ipic_format(E, v, f);
    if (!s) return -1;
    sb_puts(o, s);
    free(s);
    return 0;
}

/* formatComponent */
static int dt_format_part(ev_t *E, sb_t *o, const jsdate_t *d, dpart_t *p, double oh, double om) {
    unsigned c = p->comp;
    char cn[8];
    comp_name(c, cn, sizeof cn);
    frag_t f = dt_fragment(d, c);
    if (c && c < 128 && strchr("YMDdFWwXxHhms", (int)c)) {
        double v = f.v;
        if (c == 'Y' && p->n != -1) v = fmod(v, pow(10, p->n));
        if (!p->names) return dt_put_integer(E, o, v, &p->ifmt);
        const char *nm = NULL;
        if (c == 'M' || c == 'x')
            nm = v >= 1 && v <= 12 && v == floor(v) ? DT_MONTHS[(int)v - 1] : NULL;
        else if (c == 'F')
            nm = v >= 0 && v <= 7 && v == floor(v) ? DT_DAYS[(int)v] : NULL;
        else
            return efail(
                E, "D3133",
                "The 'name' modifier can only be applied to months and days in the date/time picture "
                "string, not %s",
                cn);
        if (!nm) { /* an invalid date: jsonata-js reads a property of undefined, or prints it */
            if (p->names != NM_TITLE || p->has_width)
                return efail(E, "TypeError", "Cannot read properties of undefined (reading '%s')",
                             p->names == NM_UPPER   ? "toUpperCase"
                             : p->names == NM_LOWER ? "toLowerCase"
                                                    : "length");
            sb_puts(o, "undefined");
            return 0;
        }
        char b[16];
        size_t k = 0;
        for (; nm[k]; k++)
            b[k] = p->names == NM_UPPER   ? (char)toupper((unsigned char)nm[k])
                   : p->names == NM_LOWER ? (char)tolower((unsigned char)nm[k])
                                          : nm[k];
        if (p->has_width && p->has_max && (double)k > p->wmax) k = p->wmax < 0 ? 0 : (size_t)p->wmax;
        sb_put(o, b, k);
        return 0;
    }
    if (c == 'f') {
        if (!p->has_ifmt)
            return efail(E, "TypeError", "Cannot read properties of undefined (reading 'primary')");
        return dt_put_integer(E, o, f.v, &p->ifmt);
    }
    if (c == 'Z' || c == 'z') { /* §9.8.4.6: the offset as hours (and minutes) or as a four-digit number */
        double off = oh * 100 + om;
        sb_t z = {0};
        int rc = 0, decimal = p->ifmt.primary == IP_DECIMAL;
        if (decimal && p->ifmt.regular)
            rc = dt_put_integer(E, &z, off, &p->ifmt);
        else if (decimal && (p->ifmt.mandatory == 1 || p->ifmt.mandatory == 2)) {
            rc = dt_put_integer(E, &z, oh, &p->ifmt);
            if (!rc && om != 0) {
                ipic_t two;
                ipic_analyse(E, "00", &two);
                sb_puts(&z, ":");
                rc = dt_put_integer(E, &z, floor(om), &two);
                ipic_free(&two);
            }
        } else if (decimal && (p->ifmt.mandatory == 3 || p->ifmt.mandatory == 4))
            rc = dt_put_integer(E, &z, off, &p->ifmt);
        else
            rc = efail(E, "D3134", "The timezone integer format specifier cannot have more than four digits");
        if (!rc) {
            if (off == 0 && p->pres2 == 't')
                sb_puts(o, "Z");
            else {
                if (c == 'z') sb_puts(o, "GMT");
                if (off >= 0) sb_puts(o, "+");
                sb_puts(o, z.b ? z.b : "");
            }
        }
        free(z.b);
        return rc;
    }
    if (f.kind == FR_STR) { /* P (upper case only for N), C and E */
        for (const char *q = f.s; *q; q++) {
            char ch = c == 'P' && p->names == NM_UPPER ? (char)toupper((unsigned char)*q) : *q;
            sb_put(o, &ch, 1);
        }
        return 0;
    }
    sb_puts(o, "undefined"); /* a component jsonata-js does not know, given a presentation modifier */
    return 0;
}

/* formatDateTime: the ISO 8601 picture by default; timezone "±HHMM" read by parseInt as jsonata-js does */
static char *dt_format(ev_t *E, double millis, const char *pic, const char *tz) {
    double oh = 0, om = 0;
    if (tz) {
        u16_t t = {0};
        u16_from(&t, tz);
        double off = js_parse_int(&t);
        free(t.u);
        oh = floor(off / 100), om = fmod(off, 100);
    }
    dpic_t P;
    if (dpic_analyse(E, pic ? pic : "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]", &P)) {
        dpic_free(&P);
        return NULL;
    }
    jsdate_t d = js_date(js_time_clip(millis + (60 * oh + om) * 60 * 1000));
    sb_t o = {0};
    for (int i = 0; i < P.np && !E->failed; i++)
        if (P.p[i].literal)
            sb_puts(&o, P.p[i].literal);
        else
            dt_format_part(E, &o, &d, &P.p[i], oh, om);
    dpic_free(&P);
    if (!E->failed && o.over) efail(E, "D1101", "String result longer than %d bytes", MAX_STRING);
    if (E->failed) {
        free(o.b);
        return NULL;
    }
    return sb_done(&o);
}

/* parseDateTime matches the text against a regular expression built from the picture
 * (generateRegex), anchored and case-insensitive; this matcher follows JavaScript's backtracking
 * over the few forms that expression takes. */
enum { ME_LIT, ME_CLASS, ME_ORD, ME_WORDS };
enum { CL_DIGIT, CL_SIGN, CL_ALPHA, CL_ROMAN, CL_ANY };
typedef struct {
    int type, part, cls;
    double min, max;
    u16_t lit;
} melem_t;
typedef struct {
    ev_t *E;
    const uint16_t *s;
    size_t n;
    melem_t *el;
    int nel, depth;
    long *pstart, *pend;
    const char **words;
    int nwords;
} mctx_t;

/* Canonicalize of a non-unicode /i regular expression, for ASCII, Latin-1, Greek and Cyrillic (a
 * picture's literal text in other scripts matches in its own case only) */
static unsigned re_fold(unsigned c) {
    if ((c >= 'a' && c <= 'z') || (c >= 0xE0 && c <= 0xFE && c != 0xF7) ||
        (c >= 0x3B1 && c <= 0x3CB && c != 0x3C2) || (c >= 0x430 && c <= 0x44F))
        return c - 0x20;
    if (c == 0x3C2) return 0x3A3;
    if (c >= 0x450 && c <= 0x45F) return c - 0x50;
    if (c == 0xFF) return 0x178;
    return c;
}
static int re_class(int cls, unsigned c) {
    switch (cls) {
    case CL_DIGIT:
        return c >= '0' && c <= '9';
    case CL_SIGN:
        return c == '-' || c == '+';
    case CL_ALPHA:
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    case CL_ROMAN:
        return c < 128 && c && strchr("MDCLXVImdclxvi", (int)c);
    default:
        return c != '\n' && c != '\r' && c != 0x2028 && c != 0x2029;
    }
}
static int re_lit_at(const mctx_t *M, size_t pos, const uint16_t *l, size_t ln) {
    if (pos + ln > M->n) return 0;
    for (size_t i = 0; i < ln; i++)
        if (re_fold(M->s[pos + i]) != re_fold(l[i])) return 0;
    return 1;
}
static int re_ascii_at(const mctx_t *M, size_t pos, const char *w) {
    size_t ln = strlen(w);
    if (pos + ln > M->n) return 0;
    for (size_t i = 0; i < ln; i++)
        if (re_fold(M->s[pos + i]) != re_fold((unsigned char)w[i])) return 0;
    return 1;
}
static int m_at(mctx_t *M, int ei, size_t pos);
/* element ei matched [pos, end): go on, and on success record the capture bounds */
static int m_next(mctx_t *M, int ei, size_t pos, size_t end) {
    if (!m_at(M, ei + 1, end)) return 0;
    int part = M->el[ei].part;
    if (ei == 0 || M->el[ei - 1].part != part) M->pstart[part] = (long)pos;
    if (ei + 1 == M->nel || M->el[ei + 1].part != part) M->pend[part] = (long)end;
    return 1;
}
/* (?:word|...|and|[\-, ])+ greedy: another word first, then the rest */
static int m_words(mctx_t *M, int ei, size_t from, size_t pos, int count) {
    if (M->E->failed || step(M->E)) return 0;
    if (++M->depth > 5000) {
        efail(M->E, "D1100", "Evaluation exceeded its work limit (%ld steps)", (long)MAX_STEPS);
        return 0;
    }
    int ok = 0;
    for (int i = 0; i < M->nwords && !ok && !M->E->failed; i++)
        if (re_ascii_at(M, pos, M->words[i])) ok = m_words(M, ei, from, pos + strlen(M->words[i]), count + 1);
    if (!ok && !M->E->failed && pos < M->n && (M->s[pos] == '-' || M->s[pos] == ',' || M->s[pos] == ' '))
        ok = m_words(M, ei, from, pos + 1, count + 1);
    if (!ok && !M->E->failed && count > 0) ok = m_next(M, ei, from, pos);
    M->depth--;
    return ok;
}
static int m_at(mctx_t *M, int ei, size_t pos) {
    if (M->E->failed || step(M->E)) return 0;
    if (ei == M->nel) return pos == M->n;
    melem_t *e = &M->el[ei];
    if (++M->depth > 5000) {
        efail(M->E, "D1100", "Evaluation exceeded its work limit (%ld steps)", (long)MAX_STEPS);
        return 0;
    }
    int ok = 0;
    switch (e->type) {
    case ME_LIT: /* comparing is work too: charged, as a run's scan below */
        M->E->steps += (long)e->lit.n / 8;
        ok = re_lit_at(M, pos, e->lit.u, e->lit.n) && m_next(M, ei, pos, pos + e->lit.n);
        break;
    case ME_ORD:
        ok = (re_ascii_at(M, pos, "th") || re_ascii_at(M, pos, "st") || re_ascii_at(M, pos, "nd") ||
              re_ascii_at(M, pos, "rd")) &&
             m_next(M, ei, pos, pos + 2);
        break;
    case ME_WORDS:
        ok = m_words(M, ei, pos, pos, 0);
        break;
    default: {
        size_t k = 0;
        while (pos + k < M->n && (double)k < e->max && re_class(e->cls, M->s[pos + k]))
            k++;
        M->E->steps += (long)k / 8;
        for (;; k--) {
            if ((double)k < e->min || M->E->failed) break;
            if (m_next(M, ei, pos, pos + k)) {
                ok = 1;
                break;
            }
            if (!k) break;
        }
    }
    }
    M->depth--;
    return ok;
}

typedef struct {
    melem_t *el;
    int nel, cap;
} mlist_t;
static melem_t *mlist_add(mlist_t *L, int type, int part) {
    if (L->nel == L->cap) {
        L->cap = L->cap ? L->cap * 2 : 16;
        L->el = realloc(L->el, sizeof *L->el * (size_t)L->cap);
    }
    melem_t *e = &L->el[L->nel++];
    memset(e, 0, sizeof *e);
    e->type = type, e->part = part, e->min = 1, e->max = INFINITY;
    return e;
}
static void mlist_free(mlist_t *L) {
    for (int i = 0; i < L->nel; i++)
        free(L->el[i].lit.u);
    free(L->el);
}

/* the keys of datetime.js's wordValues, in their order */
static int dt_word_keys(char (*buf)[16], const char **keys) {
    int n = 0;
    for (int i = 0; i < 20; i++)
        snprintf(buf[n], 16, "%s", FEW[i]), n++;
    for (int i = 0; i < 20; i++)
        snprintf(buf[n], 16, "%s", ORDINALS[i]), n++;
    for (int i = 0; i < 9; i++) {
        snprintf(buf[n++], 16, "%s", DECADES[i]);
        snprintf(buf[n++], 16, "%.*sieth", (int)strlen(DECADES[i]) - 1, DECADES[i]);
    }
    snprintf(buf[n++], 16, "hundredth");
    for (int i = 0; i < 4; i++) {
        snprintf(buf[n++], 16, "%s", MAGNITUDES[i]);
        snprintf(buf[n++], 16, "%sth", MAGNITUDES[i]);
    }
    snprintf(buf[n++], 16, "and");
    for (int i = 0; i < n; i++) {
        for (char *p = buf[i]; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        keys[i] = buf[i];
    }
    return n;
}

/* generateRegex for one marker: D3130 for a numbering sequence, D3133 for names of other components */
static int dt_regex_part(ev_t *E, mlist_t *L, int part, dpart_t *p) {
    unsigned c = p->comp;
    if (c == 'Z' || c == 'z') {
        if (c == 'z') u16_from(&mlist_add(L, ME_LIT, part)->lit, "GMT");
        mlist_add(L, ME_CLASS, part)->cls = CL_SIGN;
        L->el[L->nel - 1].max = 1;
        mlist_add(L, ME_CLASS, part)->cls = CL_DIGIT;
        if (p->ifmt.primary == IP_DECIMAL && p->ifmt.regular) {
            unsigned sc = p->ifmt.sep_cp[0];
            if (sc == '.') { /* the separator goes into jsonata-js's expression unescaped: '.' is any
                             character (other metacharacters, a SyntaxError there, are literal here) */
                melem_t *e = mlist_add(L, ME_CLASS, part);
                e->cls = CL_ANY, e->max = 1;
            } else
                u16_put(&mlist_add(L, ME_LIT, part)->lit, sc);
            mlist_add(L, ME_CLASS, part)->cls = CL_DIGIT;
        }
        return 0;
    }
    if (p->has_ifmt) {
        ipic_t *f = &p->ifmt;
        melem_t *e;
        switch (f->primary) {
        case IP_LETTERS:
            mlist_add(L, ME_CLASS, part)->cls = CL_ALPHA;
            break;
        case IP_ROMAN:
            mlist_add(L, ME_CLASS, part)->cls = CL_ROMAN;
            break;
        case IP_WORDS:
            mlist_add(L, ME_WORDS, part);
            break;
        case IP_DECIMAL:
            e = mlist_add(L, ME_CLASS, part);
            e->cls = CL_DIGIT;
            if (p->n > 0) { /* {n} or {n - optional, n} */
                double lo = f->optional ? p->n - f->optional : p->n;
                if (lo < 0 || p->n >= 1e21) { /* not a quantifier to JavaScript: literal text */
                    char q[80], a[32], b[32];
                    js_num(lo, a, sizeof a), js_num(p->n, b, sizeof b);
                    snprintf(q, sizeof q, f->optional ? "{%s,%s}" : "{%s}", f->optional ? a : b, b);
                    e->max = 1;
                    u16_from(&mlist_add(L, ME_LIT, part)->lit, q);
                } else
                    e->min = lo, e->max = p->n;
            }
            if (f->ordinal) mlist_add(L, ME_ORD, part);
            break;
        default:
            return sequence_unsupported(E, f);
        }
        return 0;
    }
    if (c != 'M' && c != 'x' && c != 'F' && c != 'P') {
        char cn[8];
        comp_name(c, cn, sizeof cn);
        return efail(
            E, "D3133",
            "The 'name' modifier can only be applied to months and days in the date/time picture string, "
            "not %s",
            cn);
    }
    mlist_add(L, ME_CLASS, part)->cls = CL_ALPHA;
    return 0;
}

/* a component's parsed value: absent, present but undefined (a name not found), or a number */
typedef struct {
    int key, def;
    double v;
} dcomp_t;

/* the part's parse function on the captured text */
static int dt_parse_part(ev_t *E, dpart_t *p, const u16_t *val, dcomp_t *out) {
    unsigned c = p->comp;
    out->key = 1, out->def = 1, out->v = NAN;
    u16_t a = {0}, b = {0};
    if (c == 'Z' || c == 'z') {
        u16_t v = {0};
        u16_sub(val, c == 'z' ? 3 : 0, (long)val->n, &v);
        double oh = 0, om = 0;
        if (p->ifmt.primary == IP_DECIMAL && p->ifmt.regular) {
            u16_t sep = {0};
            u16_put(&sep, p->ifmt.sep_cp[0]);
            long at = -1;
            for (size_t i = 0; i + sep.n <= v.n && at < 0; i++)
                if (!memcmp(v.u + i, sep.u, sep.n * sizeof *sep.u)) at = (long)i;
            free(sep.u);
            u16_sub(&v, 0, at, &a);
            u16_sub(&v, at + 1, (long)v.n, &b);
            oh = js_parse_int(&a), om = js_parse_int(&b);
        } else if (v.n <= 3)
            oh = js_parse_int(&v);
        else {
            u16_sub(&v, 0, 3, &a);
            u16_sub(&v, 3, (long)v.n, &b);
            oh = js_parse_int(&a), om = js_parse_int(&b);
        }
        free(v.u);
        out->v = oh * 60 + om;
    } else if (p->has_ifmt) {
        ipic_t *f = &p->ifmt;
        int upper = f->tcase == IC_UPPER;
        if (f->primary == IP_LETTERS) {
            out->v = 0;
            for (size_t i = 0; i < val->n; i++)
                out->v += ((double)val->u[val->n - i - 1] - (upper ? 'A' : 'a') + 1) * pow(26, (double)i);
        } else if (f->primary == IP_ROMAN) {
            double max = 1, r = 0;
            for (size_t i = val->n; i-- > 0;) {
                unsigned ch = val->u[i];
                if (!upper) ch = (unsigned)toupper((int)ch);
                const char *R = "MDCLXVI", *at = strchr(R, (int)ch);
                static const double RV[] = {1000, 500, 100, 50, 10, 5, 1};
                double v = at ? RV[at - R] : NAN;
                if (v < max)
                    r -= v;
                else
                    max = v, r += v;
            }
            out->v = r;
        } else if (f->primary == IP_WORDS) {
            char *t = u16_utf8(val);
            out->v = t ? words_to_number(E, t) : NAN;
            free(t);
        } else { /* decimal: ordinal suffix off, separators out, parseInt */
            u16_sub(val, 0, f->ordinal ? (long)val->n - 2 : (long)val->n, &a);
            for (size_t i = 0; i < a.n; i++) {
                unsigned ch = a.u[i];
                int drop = f->regular ? ch == ',' : 0; /* jsonata-js strips ',' for any regular separator */
                for (int k = 0; k < f->nsep && !f->regular && !drop; k++)
                    drop = ch == f->sep_cp[k];
                if (drop) continue;
                if (f->zero != 0x30) { /* digits matched are ASCII: below the family's zero */
                    efail(E, "RangeError", "Invalid code point %ld", (long)ch - (long)f->zero + 0x30);
                    break;
                }
                u16_put(&b, ch);
            }
            out->v = js_parse_int(&b);
        }
    } else { /* a name: exact spelling (truncated to the width), the last one of equal spellings */
        char *t = u16_utf8(val);
        out->def = 0;
        int cut = p->has_width && p->has_max && p->wmax != 0 && !isnan(p->wmax);
        size_t maxlen = !cut ? 64 : p->wmax < 0 ? 0 : p->wmax > 64 ? 64 : (size_t)p->wmax;
        if (c == 'P') {
            if (t && (!strcmp(t, "am") || !strcmp(t, "AM"))) out->def = 1, out->v = 0;
            if (t && (!strcmp(t, "pm") || !strcmp(t, "PM"))) out->def = 1, out->v = 1;
        } else
            for (int i = c == 'F' ? 1 : 0; i < (c == 'F' ? 8 : 12) && t; i++) {
                const char *nm = c == 'F' ? DT_DAYS[i] : DT_MONTHS[i];
                size_t l = strlen(nm) < maxlen ? strlen(nm) : maxlen;
                if (strlen(t) == l && !strncmp(t, nm, l)) out->def = 1, out->v = c == 'F' ? i : i + 1;
            }
        free(t);
    }
    free(a.u), free(b.u);
    return E->failed ? -1 : 0;
}

static int dt_truthy(const dcomp_t *c) {
    return c->def && c->v != 0 && !isnan(c->v);
}
/* parseDateTime: NaN for an invalid date, *undef when the text does not match or names nothing */
static double dt_parse(ev_t *E, const char *text, const char *pic, int *undef) {
    *undef = 0;
    dpic_t P;
    mlist_t L = {0};
    u16_t s = {0};
    double r = NAN;
    long *ps = NULL, *pe = NULL;
    if (dpic_analyse(E, pic, &P)) goto done;
    for (int i = 0; i < P.np; i++) {
        if (P.p[i].literal)
            u16_from(&mlist_add(&L, ME_LIT, i)->lit, P.p[i].literal);
        else if (dt_regex_part(E, &L, i, &P.p[i]))
            goto done;
    }
    u16_from(&s, text);
    ps = calloc((size_t)P.np + 1, sizeof *ps), pe = calloc((size_t)P.np + 1, sizeof *pe);
    const char *words[80];
    char wbuf[80][16];
    mctx_t M = {E, s.u, s.n, L.el, L.nel, 0, ps, pe, words, dt_word_keys(wbuf, words)};
    if (!m_at(&M, 0, 0)) {
        *undef = !E->failed;
        goto done;
    }
    dcomp_t comps[128] = {{0}};
    int any = 0;
    for (int i = 0; i < P.np; i++) {
        dpart_t *p = &P.p[i];
        if (p->literal || p->comp >= 128) continue;
        u16_t v = {0};
        u16_sub(&s, ps[i], pe[i], &v);
        int rc = dt_parse_part(E, p, &v, &comps[p->comp]);
        free(v.u);
        if (rc) goto done;
        any = 1;
    }
    if (!any) {
        *undef = 1;
        goto done;
    }
    /* Which date (Y M D | Y d | X x w F | X W F) and time (H m s f | P h m s f) the picture gives;
     * components before the first given default to now, those after it to their start; a gap
     * between given ones is D3136. */
    int mask = 0;
    for (const char *q = "YXMxWwdD"; *q; q++)
        mask = mask << 1 | dt_truthy(&comps[(int)*q]);
#define IS_TYPE(t) (!(~(t)&mask) && ((t)&mask))
    int dateA = IS_TYPE(161), dateB = !dateA && IS_TYPE(130), dateC = IS_TYPE(84),
        dateD = !dateC && IS_TYPE(72);
    mask = 0;
    for (const char *q = "PHhmsf"; *q; q++)
        mask = mask << 1 | dt_truthy(&comps[(int)*q]);
    int timeA = IS_TYPE(23), timeB = !timeA && IS_TYPE(47);
#undef IS_TYPE
    char order[16];
    snprintf(order, sizeof order, "%s%s",
             dateB   ? "YD"
             : dateC ? "XxwF"
             : dateD ? "XWF"
                     : "YMD",
             timeB ? "Phmsf" : "Hmsf");
    jsdate_t now = js_date((double)E->c->now_ms);
    int started = 0, ended = 0;
    for (const char *q = order; *q; q++) {
        dcomp_t *c = &comps[(int)*q];
        if (!c->def) {
            c->key = c->def = 1;
            if (started) {
                c->v = strchr("MDd", *q) ? 1 : 0;
                ended = 1;
            } else {
                frag_t f = dt_fragment(&now, (unsigned)*q);
                c->v = f.kind == FR_NUM ? f.v : NAN; /* P: 'am'/'pm', never 1 */
            }
        } else {
            started = 1;
            if (ended) {
                efail(E, "D3136",
                      "The date/time picture string is missing specifiers required to parse the timestamp");
                goto done;
            }
        }
    }
    dcomp_t *Y = &comps['Y'], *Mo = &comps['M'], *D = &comps['D'], *H = &comps['H'];
    double month = Mo->def && Mo->v > 0 ? Mo->v - 1 : 0, day = D->v;
    if (dateB) {
        jsdate_t dd =
            js_date(js_time_clip(js_date_utc(Y->v, 0, 1, 0, 0, 0, 0) + (comps['d'].v - 1) * MS_DAY));
        month = dd.M, day = dd.D;
    }
    if (dateC || dateD) { /* jsonata-js does not parse week dates */
        efail(E, "D3136",
              "The date/time picture string is missing specifiers required to parse the timestamp");
        goto done;
    }
    double hour = H->v;
    if (timeB) {
        hour = comps['h'].v == 12 ? 0 : comps['h'].v;
        if (comps['P'].def && comps['P'].v == 1) hour += 12;
    }
    r = js_date_utc(Y->v, month, day, hour, comps['m'].v, comps['s'].v, comps['f'].v);
    dcomp_t *tz = dt_truthy(&comps['Z']) ? &comps['Z'] : &comps['z'];
    if (dt_truthy(tz)) r -= tz->v * 60 * 1000;
done:
    free(ps), free(pe), free(s.u);
    mlist_free(&L);
    dpic_free(&P);
    return r;
}

/* toMillis without a picture: the text must match jsonata-js's ISO 8601 expression
 * ^\d{4}(-[01]\d)*(-[0-3]\d)*(T[0-2]\d:[0-5]\d:[0-5]\d)*(\.\d+)?([+-][0-2]\d:?[0-5]\d|Z)?$ */
static int dt_iso_tail(const char *s) {
#define D(i) isdigit((unsigned char)s[i])
    while (s[0] == 'T' && s[1] >= '0' && s[1] <= '2' && D(2) && s[3] == ':' && s[4] >= '0' && s[4] <= '5' &&
           D(5) && s[6] == ':' && s[7] >= '0' && s[7] <= '5' && D(8))
        s += 9;
    if (s[0] == '.' && D(1))
        for (s++; D(0); s++)
            ;
    if (s[0] == 'Z')
        s++;
    else if ((s[0] == '+' || s[0] == '-') && s[1] >= '0' && s[1] <= '2' && D(2)) {
        s += 3;
        if (s[0] == ':') s++;
        if (!(s[0] >= '0' && s[0] <= '5' && D(1))) return 0;
        s += 2;
    }
    return !*s;
#undef D
}
static int dt_iso_shape(const char *s) {
    for (int i = 0; i < 4; i++)
        if (!isdigit((unsigned char)s[i])) return 0;
    size_t k = 0; /* "-dd" groups: as many as match, given back one by one to a "-hhmm" offset */
    while (s[4 + 3 * k] == '-' && s[5 + 3 * k] >= '0' && s[5 + 3 * k] <= '3' &&
           isdigit((unsigned char)s[6 + 3 * k]))
        k++;
    for (;; k--) {
        if (dt_iso_tail(s + 4 + 3 * k)) return 1;
        if (!k) return 0;
    }
}
/* then Date.parse (V8): YYYY[-MM[-DD]][THH:mm:ss[.s+]][Z|±HH:mm|±HHmm], a date alone in UTC, a
 * date-time without offset in local time (UTC here, as in Step Functions); of what V8's fallback
 * parser reads, "YYYY.M", "YYYY-MM.D" and a date with Z (two-digit years) are, others ("2017-05:30")
 * are NaN here */
static double dt_date_parse(const char *s) {
    double f[3] = {atoi(s) * 1.0, 1, 1}, hh = 0, mm = 0, ss = 0, ms = 0, off = 0;
    int nf = 1, has_time = 0, legacy = 0;
    const char *p = s + 4;
    for (; *p == '-' && p[3] != ':' && !isdigit((unsigned char)p[3]); p += 3) {
        if (nf == 3) return NAN;
        f[nf++] = (p[1] - '0') * 10 + (p[2] - '0');
    }
    if (*p == 'T') {
        hh = (p[1] - '0') * 10 + (p[2] - '0'), mm = (p[4] - '0') * 10 + (p[5] - '0');
        ss = (p[7] - '0') * 10 + (p[8] - '0');
        p += 9, has_time = 1;
        if (*p == 'T') return NAN;
    }
    if (*p == '.') {
        p++;
        if (has_time) {
            for (int i = 0; i < 3; i++)
                ms = ms * 10 + (isdigit((unsigned char)*p) ? *p++ - '0' : 0);
            while (isdigit((unsigned char)*p))
                p++;
        } else {
            if (nf == 3) return NAN;
            double v = 0;
            while (isdigit((unsigned char)*p) && v < 1000)
                v = v * 10 + (*p++ - '0');
            if (isdigit((unsigned char)*p)) return NAN;
            f[nf++] = v;
            if (nf == 2 && (v < 1 || v > 12)) return NAN;
            legacy = 1;
        }
    }
    if (*p == 'Z' && !has_time) legacy = 1;
    if (*p == '+' || *p == '-') {
        if (!has_time && (!legacy || *p == '+' || p[3] != ':')) return NAN; /* the fallback's "-hh:mm" */
        int sign = *p == '-' ? -1 : 1;
        double oh = (p[1] - '0') * 10 + (p[2] - '0');
        p += 3 + (p[3] == ':');
        if (oh > 23) return NAN;
        off = sign * (oh * 60 + (p[0] - '0') * 10 + (p[1] - '0'));
    }
    if (legacy && f[0] < 50) /* the fallback reads a two-digit year */
        f[0] += 2000;
    else if (legacy && f[0] < 100)
        f[0] += 1900;
    if (f[1] < 1 || f[1] > 12 || f[2] < 1 || f[2] > 31 || hh > 24 || (hh == 24 && (mm || ss || ms)))
        return NAN;
    return js_time_clip(js_make_day(f[0], f[1] - 1, f[2]) * MS_DAY + js_make_time(hh, mm, ss, ms) -
                        off * 60000);
}

/* ---- aggregation ---- */
/* Items of an "array of numbers" argument (a single number counts as a one-item array). */
static int num_items(ev_t *E, cJSON **a, int i, const cJSON ***out, int *cnt) {
    *out = NULL;
    *cnt = 0;
    if (!a[i]) return 0;
    if (is_num(a[i])) {
        *out = malloc(sizeof **out);
        (*out)[0] = a[i];
        *cnt = 1;
        return 1;
    }
    if (!is_arr(a[i])) {
        efail(E, "T0412", "Argument %d of function %s must be an array of numbers", i + 1, E->fname);
        return -1;
    }
    int n = cJSON_GetArraySize(a[i]);
    *out = malloc(sizeof **out * (size_t)(n + 1));
    for (const cJSON *c = a[i]->child; c; c = c->next) {
        if (!is_num(c)) {
            free(*out);
            *out = NULL;
            efail(E, "T0412", "Argument %d of function %s must be an array of numbers", i + 1, E->fname);
            return -1;
        }
        (*out)[(*cnt)++] = c;
    }
    return 1;
}
static cJSON *aggregate(ev_t *E, cJSON **a, int kind) {
    const cJSON **it;
    int cnt;
    if (num_items(E, a, 0, &it, &cnt) <= 0) return NULL;
    double acc = kind == 0 || kind == 3 ? 0 : NAN;
    for (int i = 0; i < cnt; i++) {
        double d = it[i]->valuedouble;
        if (kind == 0 || kind == 3)
            acc += d;
        else if (kind == 1)
            acc = isnan(acc) || d > acc ? d : acc;
        else
            acc = isnan(acc) || d < acc ? d : acc;
    }
    free(it);
    if (kind == 3) return cnt ? num(acc / cnt) : NULL;
    if (kind != 0 && !cnt) return NULL;
    return num(acc);
}
static cJSON *f_sum(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    return aggregate(E, a, 0);
}
static cJSON *f_max(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    return aggregate(E, a, 1);
}
static cJSON *f_min(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    return aggregate(E, a, 2);
}
static cJSON *f_average(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    return aggregate(E, a, 3);
}
static cJSON *f_count(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)E, (void)n, (void)in;
    if (!a[0]) return num(0);
    return num(is_arr(a[0]) ? cJSON_GetArraySize(a[0]) : 1);
}

/* ---- booleans ---- */
static cJSON *f_boolean(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    return a[0] ? cJSON_CreateBool(boolean(E, a[0])) : NULL;
}
static cJSON *f_not(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    return a[0] ? cJSON_CreateBool(!boolean(E, a[0])) : NULL;
}
static cJSON *f_exists(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)E, (void)n, (void)in;
    return cJSON_CreateBool(a[0] != NULL);
}

/* ---- arrays ---- */
static cJSON *as_array(const cJSON *v) {
    if (is_arr(v)) {
        cJSON *d = dup(v);
        d->type &= ~(F_SEQ | F_KEEP | F_CONS);
        return d;
    }
    cJSON *r = cJSON_CreateArray();
    push(r, dup(v));
    return r;
}
static cJSON *f_append(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)E, (void)n, (void)in;
    if (!a[0]) return dup(a[1]);
    if (!a[1]) return dup(a[0]);
    cJSON *r = as_array(a[0]);
    if (is_arr(a[1]))
        for (cJSON *c = a[1]->child; c; c = c->next)
            push(r, dup(c));
    else
        push(r, dup(a[1]));
    return r;
}
static cJSON *f_reverse(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)E, (void)n, (void)in;
    if (!a[0]) return NULL;
    cJSON *src = as_array(a[0]), *r = cJSON_CreateArray(), *x;
    while ((x = cJSON_DetachItemFromArray(src, 0)))
        cJSON_InsertItemInArray(r, 0, x);
    cJSON_Delete(src);
    return r;
}
static cJSON *f_distinct(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    if (!a[0]) return NULL;
    if (!is_arr(a[0])) return dup(a[0]);
    cJSON *r = is_seq(a[0]) ? seq_new() : cJSON_CreateArray();
    for (cJSON *c = a[0]->child; c; c = c->next) {
        if (step(E)) break;
        int seen = 0;
        for (cJSON *d = r->child; d && !seen; d = d->next)
            seen = deep_equal(c, d);
        if (!seen) push(r, dup(c));
    }
    return r;
}
static cJSON *f_zip(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)E, (void)in;
    cJSON *r = cJSON_CreateArray();
    int len = -1;
    for (int i = 0; i < n; i++) {
        int l = !a[i] ? 0 : is_arr(a[i]) ? cJSON_GetArraySize(a[i]) : 1;
        if (len < 0 || l < len) len = l;
    }
    for (int k = 0; k < len; k++) {
        cJSON *t = cJSON_CreateArray();
        for (int i = 0; i < n; i++)
            push(t, dup(is_arr(a[i]) ? cJSON_GetArrayItem(a[i], k) : a[i]));
        push(r, t);
    }
    return r;
}
static cJSON *f_shuffle(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    if (!a[0]) return NULL;
    cJSON *src = as_array(a[0]);
    int cnt = cJSON_GetArraySize(src);
    cJSON **it = malloc(sizeof *it * (size_t)(cnt + 1));
    for (int i = 0; i < cnt; i++)
        it[i] = cJSON_DetachItemFromArray(src, 0);
    for (int i = cnt - 1; i > 0; i--) {
        int j = (int)(rnd(E) * (i + 1));
        cJSON *t = it[i];
        it[i] = it[j];
        it[j] = t;
    }
    for (int i = 0; i < cnt; i++)
        push(src, it[i]);
    free(it);
    return src;
}

typedef struct {
    cJSON **items;
    const cJSON *fn;
    const cJSON *in;
} sortfn_t;
static int sort_after_default(ev_t *E, void *ud, int i, int j) {
    sortfn_t *s = ud;
    const cJSON *x = s->items[i], *y = s->items[j];
    if (is_num(x)) return x->valuedouble > y->valuedouble;
    (void)E;
    return strcmp(x->valuestring, y->valuestring) > 0;
}
static int sort_after_fn(ev_t *E, void *ud, int i, int j) {
    sortfn_t *s = ud;
    cJSON *args[2] = {s->items[i], s->items[j]};
    cJSON *r = apply_fn(E, s->fn, args, 2, s->in);
    int b = boolean(E, r);
    cJSON_Delete(r);
    return b;
}
static cJSON *f_sort(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n;
    if (!a[0]) return NULL;
    cJSON *src = as_array(a[0]);
    int cnt = cJSON_GetArraySize(src);
    if (a[1] && arg_fn(E, a, 1)) {
        cJSON_Delete(src);
        return NULL;
    }
    if (!a[1]) {
        int nums = 1, strs = 1;
        for (cJSON *c = src->child; c; c = c->next) {
            nums &= is_num(c);
            strs &= is_str(c);
        }
        if (!nums && !strs) {
            cJSON_Delete(src);
            return efail(E, "D3070",
                         "The single argument form of the sort function can only be applied to an array of "
                         "strings or an array of numbers.  Use the second argument to specify a comparison "
                         "function"),
                   NULL;
        }
    }
    cJSON **it = malloc(sizeof *it * (size_t)(cnt + 1));
    int *idx = malloc(sizeof *idx * (size_t)(cnt + 1)), *tmp = malloc(sizeof *tmp * (size_t)(cnt + 1));
    int i = 0;
    for (cJSON *c = src->child; c; c = c->next, i++) {
        it[i] = c;
        idx[i] = i;
    }
    sortfn_t sf = {it, a[1], in};
    msort(E, idx, tmp, cnt, a[1] ? sort_after_fn : sort_after_default, &sf);
    cJSON *r = cJSON_CreateArray();
    if (!E->failed)
        for (i = 0; i < cnt; i++)
            push(r, dup(it[idx[i]]));
    free(it);
    free(idx);
    free(tmp);
    cJSON_Delete(src);
    return r;
}

/* Call a function-argument with (v, i, array) cut to its arity. */
static cJSON *hof_call(ev_t *E, const cJSON *fn, cJSON *v, int i, cJSON *arr, const cJSON *in) {
    int ar = fn_arity(E, fn);
    cJSON *idx = num(i);
    cJSON *args[3] = {v, idx, arr};
    cJSON *r = apply_fn(E, fn, args, ar < 1 ? 1 : ar > 3 ? 3 : ar, in);
    cJSON_Delete(idx);
    return r;
}
static cJSON *f_map(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n;
    if (!a[0]) return NULL;
    if (arg_fn(E, a, 1)) return NULL;
    cJSON *src = as_array(a[0]), *r = seq_new();
    int i = 0;
    for (cJSON *c = src->child; c && !E->failed; c = c->next, i++)
        push(r, hof_call(E, a[1], c, i, src, in));
    cJSON_Delete(src);
    return r;
}
static cJSON *f_filter(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n;
    if (!a[0]) return NULL;
    if (arg_fn(E, a, 1)) return NULL;
    cJSON *src = as_array(a[0]), *r = seq_new();
    int i = 0;
    for (cJSON *c = src->child; c && !E->failed; c = c->next, i++) {
        cJSON *v = hof_call(E, a[1], c, i, src, in);
        if (boolean(E, v)) push(r, dup(c));
        cJSON_Delete(v);
    }
    cJSON_Delete(src);
    return r;
}
static cJSON *f_single(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n;
    if (!a[0]) return NULL;
    if (a[1] && arg_fn(E, a, 1)) return NULL;
    cJSON *src = as_array(a[0]), *hit = NULL;
    int i = 0, cnt = 0;
    for (cJSON *c = src->child; c && !E->failed; c = c->next, i++) {
        int ok = 1;
        if (a[1]) {
            cJSON *v = hof_call(E, a[1], c, i, src, in);
            ok = boolean(E, v);
            cJSON_Delete(v);
        }
        if (ok) {
            if (++cnt > 1) {
                efail(E, "D3138",
                      "The $single() function expected exactly 1 matching result.  Instead it matched more.");
                break;
            }
            hit = c;
        }
    }
    cJSON *r = NULL;
    if (!E->failed && !cnt)
        efail(E, "D3139",
              "The $single() function expected exactly 1 matching result.  Instead it matched 0.");
    else if (!E->failed)
        r = dup(hit);
    cJSON_Delete(src);
    return r;
}
static cJSON *f_reduce(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n;
    if (!a[0]) return NULL;
    if (arg_fn(E, a, 1)) return NULL;
    if (fn_arity(E, a[1]) < 2 && (fn_of(E, a[1])->kind == FK_LAMBDA || fn_of(E, a[1])->kind == FK_CHAIN))
        return efail(E, "D3050",
                     "The second argument of reduce function must be a function with at least two arguments"),
               NULL;
    cJSON *src = as_array(a[0]);
    cJSON *acc;
    cJSON *c = src->child;
    int i = 0;
    if (a[2])
        acc = dup(a[2]);
    else {
        acc = dup(c);
        if (c) c = c->next, i = 1;
    }
    for (; c && !E->failed; c = c->next, i++) {
        int ar = fn_arity(E, a[1]);
        cJSON *idx = num(i);
        cJSON *args[4] = {acc, c, idx, src};
        cJSON *v = apply_fn(E, a[1], args, ar < 2 ? 2 : ar > 4 ? 4 : ar, in);
        cJSON_Delete(idx);
        cJSON_Delete(acc);
        acc = v;
    }
    cJSON_Delete(src);
    return acc;
}

/* ---- objects ---- */
static cJSON *f_keys(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    cJSON *r = seq_new();
    const cJSON *v = a[0];
    if (is_obj(v)) {
        for (cJSON *c = v->child; c; c = c->next)
            push(r, cJSON_CreateString(c->string));
    } else if (is_arr(v)) {
        for (cJSON *o = v->child; o; o = o->next)
            if (is_obj(o))
                for (cJSON *c = o->child; c; c = c->next) {
                    int seen = 0;
                    for (cJSON *d = r->child; d && !seen; d = d->next)
                        seen = !strcmp(d->valuestring, c->string);
                    if (!seen) push(r, cJSON_CreateString(c->string));
                    if (step(E)) return r;
                }
    }
    return r;
}
static cJSON *f_lookup(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    const char *k = arg_s(E, a, 1);
    if (!k) return E->failed ? NULL : (bad_arg(E, 1), NULL);
    return lookup(E, a[0], k);
}
static cJSON *f_spread(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n;
    const cJSON *v = a[0];
    if (is_arr(v)) {
        cJSON *r = seq_new();
        for (cJSON *c = v->child; c; c = c->next) {
            cJSON *x = c;
            cJSON *s = f_spread(E, &x, 1, in);
            if (is_arr(s)) {
                cJSON *y;
                while ((y = cJSON_DetachItemFromArray(s, 0)))
                    push(r, y);
                cJSON_Delete(s);
            } else
                push(r, s);
        }
        return r;
    }
    if (is_obj(v)) {
        cJSON *r = seq_new();
        for (cJSON *c = v->child; c; c = c->next) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddItemToObject(o, c->string, dup(c));
            push(r, o);
        }
        return r;
    }
    return dup(v);
}
static cJSON *f_merge(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    if (!a[0]) return NULL;
    cJSON *r = cJSON_CreateObject();
    const cJSON *one[1] = {a[0]};
    int cnt = is_arr(a[0]) ? cJSON_GetArraySize(a[0]) : 1;
    const cJSON *c = is_arr(a[0]) ? a[0]->child : one[0];
    for (int i = 0; i < cnt && c; i++, c = c->next) {
        if (!is_obj(c)) {
            cJSON_Delete(r);
            return bad_arg(E, 0), NULL;
        }
        for (cJSON *m = c->child; m; m = m->next) {
            if (cJSON_HasObjectItem(r, m->string))
                cJSON_ReplaceItemInObjectCaseSensitive(r, m->string, dup(m));
            else
                cJSON_AddItemToObject(r, m->string, dup(m));
        }
        if (!is_arr(a[0])) break;
    }
    return r;
}
static cJSON *obj_iter(ev_t *E, cJSON **a, const cJSON *in, int sift) {
    if (!a[0]) return NULL;
    if (!is_obj(a[0])) return bad_arg(E, 0), NULL;
    if (arg_fn(E, a, 1)) return NULL;
    cJSON *r = sift ? cJSON_CreateObject() : seq_new();
    int ar = fn_arity(E, a[1]);
    for (cJSON *c = a[0]->child; c && !E->failed; c = c->next) {
        cJSON *k = cJSON_CreateString(c->string);
        cJSON *args[3] = {c, k, a[0]};
        cJSON *v = apply_fn(E, a[1], args, ar < 1 ? 1 : ar > 3 ? 3 : ar, in);
        cJSON_Delete(k);
        if (sift) {
            if (boolean(E, v)) cJSON_AddItemToObject(r, c->string, dup(c));
            cJSON_Delete(v);
        } else
            push(r, v);
    }
    if (sift && !r->child) {
        cJSON_Delete(r);
        return NULL;
    }
    return r;
}
static cJSON *f_each(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n;
    return obj_iter(E, a, in, 0);
}
static cJSON *f_sift(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n;
    return obj_iter(E, a, in, 1);
}
static cJSON *f_type(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)E, (void)n, (void)in;
    return a[0] ? cJSON_CreateString(type_name(a[0])) : NULL;
}
static cJSON *f_error(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    const char *m = arg_s(E, a, 0);
    if (E->failed) return NULL;
    efail(E, "D3137", "%s", m ? m : "$error() function evaluated");
    return NULL;
}
static cJSON *f_assert(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    if (!is_bool(a[0])) return bad_arg(E, 0), NULL;
    if (TYPE(a[0]) == cJSON_False) {
        const char *m = arg_s(E, a, 1);
        if (!E->failed) efail(E, "D3141", "%s", m ? m : "$assert() statement failed");
    }
    return NULL;
}
static cJSON *f_eval(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)a, (void)n, (void)in;
    /* Step Functions does not provide $eval; $parse() deserialises JSON instead */
    efail(E, "T1006", "The function $eval is not supported in Step Functions; use $parse()");
    return NULL;
}

/* ---- date/time (UTC; the clock is the evaluation context's) ---- */
/* $now([picture [, timezone]]): the evaluation's clock (the host's virtual clock), fixed for one evaluation
 */
static cJSON *f_now(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    const char *pic = arg_s(E, a, 0), *tz = arg_s(E, a, 1);
    if (E->failed) return NULL;
    char *s = dt_format(E, (double)E->c->now_ms, pic, tz);
    return s ? str_take(s) : NULL;
}
static cJSON *f_millis(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)a, (void)n, (void)in;
    return num((double)E->c->now_ms);
}
static cJSON *f_from_millis(ev_t *E, cJSON **a, int n, const cJSON *in) {
    /* signature <n-s?s?:s>: string arguments alone are the picture (and timezone) of the context */
    if (a[0] && is_str(a[0]) && (n == 1 || (n == 2 && (!a[1] || is_str(a[1]))))) {
        if (!in) return NULL;
        if (!is_num(in))
            return efail(E, "T0411",
                         "Context value is not a compatible type with argument 1 of function \"%s\"",
                         E->fname),
                   NULL;
        char *s = dt_format(E, in->valuedouble, a[0]->valuestring, n == 2 && a[1] ? a[1]->valuestring : NULL);
        return s ? str_take(s) : NULL;
    }
    double ms = 0;
    if (arg_n(E, a, 0, &ms) <= 0) return NULL;
    const char *pic = arg_s(E, a, 1), *tz = arg_s(E, a, 2);
    if (E->failed) return NULL;
    char *s = dt_format(E, ms, pic, tz);
    return s ? str_take(s) : NULL;
}
static cJSON *f_to_millis(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    const char *s = arg_s(E, a, 0), *pic = arg_s(E, a, 1);
    if (!s || E->failed) return NULL;
    if (!pic) {
        if (!dt_iso_shape(s))
            return efail(
                       E, "D3110",
                       "The argument of the toMillis function must be an ISO 8601 formatted timestamp. Given "
                       "%.100s",
                       s),
                   NULL;
        return num(dt_date_parse(s));
    }
    int undef = 0;
    double r = dt_parse(E, s, pic, &undef);
    return E->failed || undef ? NULL : num(r);
}

/* ---- Step Functions extensions ---- */
static cJSON *f_partition(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    double sz = 0;
    if (!a[0]) return NULL;
    if (!is_arr(a[0])) return bad_arg(E, 0), NULL;
    if (arg_n(E, a, 1, &sz) <= 0) return E->failed ? NULL : (bad_arg(E, 1), NULL);
    if (sz < 1 || sz != floor(sz))
        return efail(E, "D3150", "The chunk size of $partition must be a positive integer: %g", sz), NULL;
    cJSON *r = cJSON_CreateArray(), *cur = NULL;
    for (cJSON *c = a[0]->child; c; c = c->next) {
        if (!cur || cJSON_GetArraySize(cur) >= clampi(sz)) {
            cur = cJSON_CreateArray();
            push(r, cur);
        }
        push(cur, dup(c));
    }
    return r;
}
static cJSON *f_range(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    double s = 0, e = 0, st = 0;
    if (arg_n(E, a, 0, &s) <= 0 || arg_n(E, a, 1, &e) <= 0 || arg_n(E, a, 2, &st) <= 0)
        return E->failed ? NULL : (bad_arg(E, 0), NULL);
    if (st == 0 || s != floor(s) || e != floor(e) || st != floor(st))
        return efail(E, "D3151", "The arguments of $range must be integers with a non-zero step"), NULL;
    double cnt = floor((e - s) / st) + 1;
    /* States.ArrayRange's limit: at most 1000 items */
    if (cnt > 1000) return efail(E, "D3152", "$range would produce %.0f items; the limit is 1000", cnt), NULL;
    cJSON *r = cJSON_CreateArray();
    for (double v = s; st > 0 ? v <= e : v >= e; v += st)
        push(r, num(v));
    return r;
}
static cJSON *f_hash(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    const char *s = arg_s(E, a, 0), *alg = arg_s(E, a, 1);
    if (!s || !alg) return E->failed || !a[0] ? NULL : (bad_arg(E, 1), NULL);
    const EVP_MD *md = asl_hash_md(alg);
    if (!md)
        return efail(E, "D3153",
                     "The hash algorithm %.50s is not supported; use MD5, SHA-1, SHA-256, SHA-384 or SHA-512",
                     alg),
               NULL;
    unsigned char h[EVP_MAX_MD_SIZE];
    unsigned hl = 0;
    EVP_Digest(s, strlen(s), h, &hl, md, NULL);
    char hex[EVP_MAX_MD_SIZE * 2 + 1];
    for (unsigned i = 0; i < hl; i++)
        snprintf(hex + 2 * i, 3, "%02x", h[i]);
    return cJSON_CreateString(hex);
}
static cJSON *f_uuid(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)a, (void)n, (void)in;
    char u[37];
    if (E->c->sim)
        rng_uuid(E->c->sim, u);
    else {
        uint64_t x = splitmix(&E->rs[0]), y = splitmix(&E->rs[0]);
        snprintf(u, sizeof u, "%08x-%04x-4%03x-%04x-%012llx", (unsigned)(x >> 32),
                 (unsigned)(x >> 16) & 0xFFFF, (unsigned)x & 0xFFF, (unsigned)((y >> 48) & 0x3FFF) | 0x8000,
                 (unsigned long long)(y & 0xFFFFFFFFFFFFULL));
    }
    return cJSON_CreateString(u);
}
static cJSON *f_clone(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    if (!a[0]) return NULL;
    if (!is_obj(a[0]) && !is_arr(a[0])) return bad_arg(E, 0), NULL;
    return clone_value(E, a[0]);
}
static cJSON *f_parse(ev_t *E, cJSON **a, int n, const cJSON *in) {
    (void)n, (void)in;
    const char *s = arg_s(E, a, 0);
    if (!s) return NULL;
    cJSON *v = cJSON_Parse(s);
    if (!v) return efail(E, "D3154", "The argument of $parse is not valid JSON: %.100s", s), NULL;
    return v;
}

static const builtin_t BUILTINS[] = {
    {"string", f_string, 1, 2, 1},
    {"length", f_length, 1, 1, 1},
    {"substring", f_substring, 2, 3, 1},
    {"substringBefore", f_substring_before, 2, 2, 1},
    {"substringAfter", f_substring_after, 2, 2, 1},
    {"uppercase", f_uppercase, 1, 1, 1},
    {"lowercase", f_lowercase, 1, 1, 1},
    {"trim", f_trim, 1, 1, 1},
    {"pad", f_pad, 2, 3, 1},
    {"contains", f_contains, 2, 2, 1},
    {"split", f_split, 2, 3, 1},
    {"join", f_join, 1, 2, 0},
    {"match", f_match, 2, 3, 1},
    {"replace", f_replace, 3, 4, 1},
    {"base64encode", f_base64encode, 1, 1, 1},
    {"base64decode", f_base64decode, 1, 1, 1},
    {"encodeUrlComponent", f_encode_url_component, 1, 1, 1},
    {"encodeUrl", f_encode_url, 1, 1, 1},
    {"decodeUrlComponent", f_decode_url, 1, 1, 1},
    {"decodeUrl", f_decode_url, 1, 1, 1},
    {"number", f_number, 1, 1, 1},
    {"abs", f_abs, 1, 1, 1},
    {"floor", f_floor, 1, 1, 1},
    {"ceil", f_ceil, 1, 1, 1},
    {"round", f_round, 1, 2, 1},
    {"power", f_power, 2, 2, 1},
    {"sqrt", f_sqrt, 1, 1, 1},
    {"random", f_random, 0, 1, 0},
    {"formatNumber", f_format_number, 2, 3, 1},
    {"formatBase", f_format_base, 1, 2, 1},
    {"formatInteger", f_format_integer, 2, 2, 1},
    {"parseInteger", f_parse_integer, 2, 2, 1},
    {"sum", f_sum, 1, 1, 0},
    {"max", f_max, 1, 1, 0},
    {"min", f_min, 1, 1, 0},
    {"average", f_average, 1, 1, 0},
    {"count", f_count, 0, 1, 0},
    {"boolean", f_boolean, 1, 1, 1},
    {"not", f_not, 1, 1, 1},
    {"exists", f_exists, 1, 1, 0},
    {"append", f_append, 2, 2, 0},
    {"reverse", f_reverse, 1, 1, 0},
    {"sort", f_sort, 1, 2, 0},
    {"distinct", f_distinct, 1, 1, 0},
    {"zip", f_zip, 0, 16, 0},
    {"shuffle", f_shuffle, 1, 1, 0},
    {"map", f_map, 2, 2, 0},
    {"filter", f_filter, 2, 2, 0},
    {"single", f_single, 1, 2, 0},
    {"reduce", f_reduce, 2, 3, 0},
    {"keys", f_keys, 1, 1, 1},
    {"lookup", f_lookup, 2, 2, 1},
    {"spread", f_spread, 1, 1, 1},
    {"merge", f_merge, 1, 1, 0},
    {"each", f_each, 2, 2, 1},
    {"sift", f_sift, 2, 2, 1},
    {"type", f_type, 1, 1, 0},
    {"error", f_error, 0, 1, 0},
    {"assert", f_assert, 1, 2, 0},
    {"eval", f_eval, 0, 2, 0},
    {"now", f_now, 0, 2, 0},
    {"millis", f_millis, 0, 0, 0},
    {"fromMillis", f_from_millis, 1, 3, 1},
    {"toMillis", f_to_millis, 1, 2, 1},
    {"partition", f_partition, 2, 2, 0},
    {"range", f_range, 3, 3, 0},
    {"hash", f_hash, 2, 2, 0},
    {"uuid", f_uuid, 0, 0, 0},
    {"parse", f_parse, 1, 1, 0},
    {"clone", f_clone, 1, 1, 1},
};
static const int NBUILTINS = sizeof BUILTINS / sizeof *BUILTINS;

static int builtin_index(const char *name) {
    for (int i = 0; i < NBUILTINS; i++)
        if (!strcmp(BUILTINS[i].name, name)) return i;
    return -1;
}

static cJSON *call_builtin(ev_t *E, int bi, cJSON **args, int nargs, const cJSON *in) {
    const builtin_t *b = &BUILTINS[bi];
    char fname[40];
    snprintf(fname, sizeof fname, "$%s", b->name);
    const char *saved = E->fname;
    E->fname = fname;
    cJSON *a[20] = {0};
    int n = 0;
    if (b->ctx && nargs < b->min) a[n++] = (cJSON *)in; /* the context value as first argument */
    for (int i = 0; i < nargs && n < 20; i++)
        a[n++] = args[i];
    cJSON *r = NULL;
    if (n > b->max)
        bad_arg(E, b->max);
    else
        r = b->fn(E, a, n, in);
    E->fname = saved;
    if (E->failed) {
        cJSON_Delete(r);
        return NULL;
    }
    return r;
}

/* ------------------------------------------------------------------------------------------ */

/* The result as plain JSON: flags cleared, functions dropped (as JSON.stringify does). */
static cJSON *to_plain(cJSON *v) {
    if (!v) return NULL;
    if (is_fn(v)) {
        cJSON_Delete(v);
        return NULL;
    }
    v->type &= 0xFF | cJSON_IsReference | cJSON_StringIsConst;
    if (is_arr(v) || is_obj(v)) {
        cJSON *c = v->child;
        while (c) {
            cJSON *next = c->next;
            if (is_fn(c)) {
                if (is_arr(v))
                    cJSON_ReplaceItemViaPointer(v, c, cJSON_CreateNull());
                else
                    cJSON_Delete(cJSON_DetachItemViaPointer(v, c));
            } else
                to_plain(c);
            c = next;
        }
    }
    return v;
}

int jn_eval(const jn_expr_t *x, const jn_ctx_t *c, cJSON **out, jn_err_t *e) {
    memset(e, 0, sizeof *e);
    e->position = -1;
    *out = NULL;
    ev_t E = {.c = c, .e = e, .root = c->input, .fname = ""};
    E.rs[0] = 0x853c49e6748fea9bULL ^ (uint64_t)c->now_ms;
    E.grave = cJSON_CreateArray();
    frame_t *root = frame_new(&E, NULL);
    cJSON *r = eval(&E, x->root, c->input, root);
    for (int i = 0; i < E.nframes; i++)
        frame_free(E.frames[i]);
    free(E.frames);
    pcre2_match_data_free(E.re_md);
    pcre2_match_context_free(E.re_mc);
    if (!E.failed) r = to_plain(r);
    cJSON_Delete(E.grave);
    free(E.fns);
    if (E.failed) {
        cJSON_Delete(r);
        return -1;
    }
    *out = r;
    return 0;
}
