/*
 * engine.c — runs executions of a parsed definition.
 *
 * An execution is one cJSON document: status, context, threads ("th") and the history events not
 * yet handed to the host ("evt": JSON text written while running, the frequent events in a compact
 * array form). A thread runs one state at a time inside one machine (top level, a Parallel branch or
 * a Map iteration); Parallel/Map threads wait ("kids") for their children. Threads run until
 * they block on time (Wait, Retry, timeouts: a host timer with {t,k,g} payload) or on a token
 * (waitForTaskToken, activities, .sync child executions), so the host can persist the document
 * and resume it later. While a call runs, each thread's per-state fields live in a C struct (th_t),
 * written back into its object when the call ends. History events follow AWS's shape and numbering
 * (previousEventId is the previous event of the same thread; a branch's first event points at its
 * parent's Started).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#pragma GCC diagnostic ignored "-Wformat-truncation"

#include "asl/asl.h"
#include "core/clock.h"
#include "core/rng.h"

#if defined(__SANITIZE_ADDRESS__)
#define TC_CHECK 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TC_CHECK 1
#endif
#endif
#ifndef TC_CHECK
#define TC_CHECK 0
#endif

/* A thread's phase ("ph"): what it does next. PH_NONE: absent or unknown (left as stored). */
typedef enum {
    PH_NONE = 0,
    PH_ENTER,
    PH_EXEC,
    PH_JOIN,
    PH_KIDS,
    PH_WAIT,
    PH_RETRY,
    PH_TOKEN,
    PH_DEAD
} phase_t;
static const char *const PH_NAMES[] = {"", "enter", "exec", "join", "kids", "wait", "retry", "token", "dead"};

/* The fields of a thread the engine reads and writes at every state, kept as C values while a call
 * runs (TH) and written back into the thread's object when the call ends (th_flush_all): the
 * object's keys are only the stored form. */
typedef struct th {
    cJSON *t;      /* the thread's object */
    phase_t ph;    /* "ph" */
    const char *s; /* "s": the state's name: a string of the definition (alive for the call) or s_own */
    char *s_own;   /* a copy, when the name came from elsewhere */
    size_t scap;
    const asl_sinfo_t *si; /* the state (m, s), once looked up (si_ok) */
    int si_ok;
    int id, p, q, ix, m, le, g; /* "id", "p", "q", "ix", "m", "le", "g" */
    double etms;                /* "etms", when has_etms */
    int has_etms, has_ret;      /* has_ret: the object may have a "ret" object */
    /* a Map/Parallel's bookkeeping items (C_* keys), found once in the object (tc) */
    cJSON *c[10];
    unsigned c_ok; /* bit k: c[k] is the object's item (or NULL: none) */
} th_t;

/* The keys of a Map/Parallel thread the engine reads and writes once per child (tc). */
enum { C_RUNNING, C_NEXTIT, C_PEND, C_SUCC, C_FAILS, C_NITEMS, C_MAXC, C_DIST, C_RES, C_ITEMS };
static const char *const C_KEYS[] = {"running", "nextit", "pend", "succ", "fails",
                                     "nitems",  "maxc",   "dist", "res",  "items"};

typedef struct {
    asl_host_t *h;
    const asl_def_t *d;
    th_t **ths; /* by object pointer, open addressing; nths slots (a power of 2); entries never move */
    int nths, used_ths;
    th_t *last_th; /* the last one TH returned */
    /* th_t storage: the first few threads of a call and a 16-slot table need no allocation;
     * more come from blocks (thb), freed when the call ends */
    th_t th_inl[4];
    th_t *ths_inl[16];
    int nth_inl;
    struct th_block *thb;
    cJSON *x, *th;
    cJSON **ready;
    int nready, rhead, cready;
    cJSON *dead; /* dropped threads, freed when the call ends */
    int halt;
    int nev;       /* events so far */
    int64_t start; /* execution start (ms); stored times are offsets from it (integers print fast) */
    /* History written during this call: events as compact JSON text, comma-separated, handed to x
     * ("evt") when the call ends. The latest event stays open (its details object is filled by the
     * caller of emit) until the next emit or the end of the call seals it into the text. */
    asl_buf_t hist;
    int hcount;
    struct {
        cJSON *t; /* thread whose state input was just printed by its Entered event */
        int g;    /* ... in this generation */
        long off; /* at this offset of hist */
        size_t len;
    } pin;
    struct {
        const cJSON *v; /* the output thread_end is about to get, just printed by its Exited event */
        long off;       /* ... at this offset of hist */
        size_t len;
    } pout;
    int histfull; /* x has "histfull" */
    cJSON **tix;  /* live threads by id (th_find) */
    int ntix;
    /* Map/Parallel arrays indexed by item: "items" (0) and "res" (1) of the last parent used */
    struct {
        const cJSON *arr;
        cJSON **v;
        int n;
    } ac[2];
    struct {
        int open, id, prev;
        int64_t ts;
        char type[64];
        const char *dkey; /* a literal */
        cJSON *d;
    } pend;
} eng_t;

enum { CONT = 0, STOP = 1 };

static int64_t now_ms(eng_t *E) {
    return clock_now_ms(E->h->sim);
}

/* Objects built here use literal keys: cJSON_AddItemToObjectCS keeps the pointer instead of copying it. */
static cJSON *add_obj_cs(cJSON *o, const char *k) {
    cJSON *c = cJSON_CreateObject();
    cJSON_AddItemToObjectCS(o, k, c);
    return c;
}

/* cJSON_GetObjectItemCaseSensitive, faster on the engine's own objects: their keys are mostly the
 * same literals (pointer match), and a first-character test skips most strcmp calls. */
static const cJSON *G(const cJSON *o, const char *k) {
    if (!o || !k) return NULL;
    for (const cJSON *c = o->child; c; c = c->next)
        if (c->string == k || (c->string && c->string[0] == k[0] && !strcmp(c->string, k))) return c;
    return NULL;
}

static const char *S(const cJSON *o, const char *k) {
    const cJSON *v = G(o, k);
    return v && (v->type & 0xFF) == cJSON_String ? v->valuestring : NULL;
}

static int I(const cJSON *o, const char *k, int d) {
    const cJSON *v = G(o, k);
    return cJSON_IsNumber(v) ? v->valueint : d;
}

static void set(cJSON *o, const char *k, cJSON *v) {
    cJSON *old = (cJSON *)G(o, k);
    if (old) {
        /* the new item takes over the old one's key (no copy) */
        if (!(v->type & cJSON_StringIsConst)) free(v->string);
        v->string = old->string;
        v->type = (v->type & ~cJSON_StringIsConst) | (old->type & cJSON_StringIsConst);
        old->string = NULL;
        old->type &= ~cJSON_StringIsConst;
        cJSON_ReplaceItemViaPointer(o, old, v);
    } else
        cJSON_AddItemToObject(o, k, v);
}

static void set_num(cJSON *o, const char *k, double v) {
    cJSON *c = (cJSON *)G(o, k);
    if (cJSON_IsNumber(c))
        cJSON_SetNumberValue(c, v); /* in place: no allocation */
    else
        set(o, k, cJSON_CreateNumber(v));
}

static void set_str(cJSON *o, const char *k, const char *v) {
    if (!v) v = "";
    cJSON *c = (cJSON *)G(o, k);
    if (cJSON_IsString(c) && !(c->type & cJSON_IsReference) && strlen(c->valuestring) >= strlen(v))
        memmove(c->valuestring, v, strlen(v) + 1); /* in place when it fits */
    else
        set(o, k, cJSON_CreateString(v));
}

/* cJSON_DetachItemFromObjectCaseSensitive / cJSON_DeleteItemFromObjectCaseSensitive through G. */
static cJSON *detach(cJSON *o, const char *k) {
    cJSON *c = (cJSON *)G(o, k);
    return c ? cJSON_DetachItemViaPointer(o, c) : NULL;
}

static void del(cJSON *o, const char *k) {
    cJSON_Delete(detach(o, k));
}

/* ---- threads as C values (th_t) ---- */

enum { TH_INLINE = 4, TH_BLOCK = 64 };
struct th_block {
    struct th_block *next;
    int used;
    th_t v[TH_BLOCK];
};

static size_t th_slot(const cJSON *t, int n) {
    /* objects are at least 16-byte aligned: the low bits say nothing */
    uintptr_t k = (uintptr_t)t;
    return (size_t)((k >> 4) ^ (k >> 12)) & (size_t)(n - 1);
}

/* The thread's state name becomes a copy of s (NULL: none). */
static void th_set_name(th_t *h, const char *s) {
    h->si_ok = 0;
    if (!s) {
        h->s = NULL;
        return;
    }
    size_t n = strlen(s) + 1;
    if (n > h->scap) {
        h->s_own = realloc(h->s_own, n);
        h->scap = n;
    }
    memmove(h->s_own, s, n);
    h->s = h->s_own;
}

/* The thread's state name becomes s, a string of the definition (it outlives the call). */
static void th_set_def_name(th_t *h, const char *s) {
    h->s = s;
    h->si_ok = 0;
}

enum { K_OTHER = 0, K_PH, K_S, K_ETMS, K_RET, K_ID, K_P, K_Q, K_IX, K_M, K_LE, K_G };

/* Which of th_t's keys k is (the first character picks the candidates). */
static int th_key(const char *k) {
    switch (k[0]) {
    case 'p':
        return !k[1] ? K_P : !strcmp(k, "ph") ? K_PH : K_OTHER;
    case 's':
        return !k[1] ? K_S : K_OTHER;
    case 'e':
        return !strcmp(k, "etms") ? K_ETMS : K_OTHER;
    case 'r':
        return !strcmp(k, "ret") ? K_RET : K_OTHER;
    case 'i':
        return !strcmp(k, "id") ? K_ID : !strcmp(k, "ix") ? K_IX : K_OTHER;
    case 'q':
        return !k[1] ? K_Q : K_OTHER;
    case 'm':
        return !k[1] ? K_M : K_OTHER;
    case 'l':
        return !strcmp(k, "le") ? K_LE : K_OTHER;
    case 'g':
        return !k[1] ? K_G : K_OTHER;
    }
    return K_OTHER;
}

/* Read the object's fields (one pass over its keys; the first of duplicate keys counts, as for G). */
static void th_load(th_t *h, cJSON *t) {
    h->t = t;
    h->ph = PH_NONE;
    h->s = h->s_own = NULL;
    h->scap = 0;
    h->si = NULL;
    h->si_ok = 0;
    h->id = -1, h->p = -1, h->q = 0, h->ix = 0, h->m = 0, h->le = 0, h->g = 0;
    h->has_etms = h->has_ret = 0;
    h->etms = 0;
    h->c_ok = 0;
    unsigned seen = 0;
    for (const cJSON *c = t->child; c; c = c->next) {
        int key = c->string ? th_key(c->string) : K_OTHER;
        if (key == K_OTHER || (seen & (1u << key))) continue;
        seen |= 1u << key;
        int num = (c->type & 0xFF) == cJSON_Number, str = (c->type & 0xFF) == cJSON_String;
        switch (key) {
        case K_PH:
            for (int i = 1; str && i <= PH_DEAD; i++)
                if (!strcmp(c->valuestring, PH_NAMES[i])) h->ph = (phase_t)i;
            break;
        case K_S:
            if (str && (c->type & cJSON_IsReference))
                th_set_def_name(h, c->valuestring); /* th_new's: a string of the definition */
            else if (str)
                th_set_name(h, c->valuestring);
            break;
        case K_ETMS:
            if (num) h->etms = c->valuedouble, h->has_etms = 1;
            break;
        case K_RET:
            h->has_ret = 1;
            break;
        case K_ID:
            if (num) h->id = c->valueint;
            break;
        case K_P:
            if (num) h->p = c->valueint;
            break;
        case K_Q:
            if (num) h->q = c->valueint;
            break;
        case K_IX:
            if (num) h->ix = c->valueint;
            break;
        case K_M:
            if (num) h->m = c->valueint;
            break;
        case K_LE:
            if (num) h->le = c->valueint;
            break;
        case K_G:
            if (num) h->g = c->valueint;
            break;
        }
    }
}

/* Write the values back into the object (the stored form, as before). */
static void th_flush(th_t *h) {
    cJSON *t = h->t;
    if (h->ph != PH_NONE) set_str(t, "ph", PH_NAMES[h->ph]);
    if (h->s) set_str(t, "s", h->s);
    set_num(t, "m", h->m);
    set_num(t, "le", h->le);
    set_num(t, "g", h->g);
    if (h->has_etms) set_num(t, "etms", h->etms);
}

static th_t **th_get_in(th_t **tab, int n, const cJSON *t) {
    size_t i = th_slot(t, n);
    while (tab[i] && tab[i]->t != t)
        i = (i + 1) & (size_t)(n - 1);
    return &tab[i];
}

/* TH() when t is not the thread asked for last. */
static th_t *th_lookup(eng_t *E, cJSON *t) {
    if (E->ths) {
        th_t **h = th_get_in(E->ths, E->nths, t);
        if (*h) return E->last_th = *h;
    }
    if (2 * (E->used_ths + 1) > E->nths) {
        int n = E->nths ? E->nths * 2 : 16;
        th_t **tab = E->nths ? calloc((size_t)n, sizeof *tab) : E->ths_inl;
        if (!E->nths) memset(tab, 0, sizeof E->ths_inl);
        for (int i = 0; i < E->nths; i++)
            if (E->ths[i]) *th_get_in(tab, n, E->ths[i]->t) = E->ths[i];
        if (E->ths != E->ths_inl) free(E->ths);
        E->ths = tab;
        E->nths = n;
    }
    th_t *h;
    if (E->nth_inl < TH_INLINE)
        h = &E->th_inl[E->nth_inl++];
    else {
        if (!E->thb || E->thb->used == TH_BLOCK) {
            struct th_block *k = malloc(sizeof *k);
            k->next = E->thb;
            k->used = 0;
            E->thb = k;
        }
        h = &E->thb->v[E->thb->used++];
    }
    th_load(h, t);
    *th_get_in(E->ths, E->nths, t) = h;
    E->used_ths++;
    return E->last_th = h;
}

/* The C values of thread object t (loaded on first use in this call; the pointer stays valid until
 * the call ends). Mostly the same thread again: that test is inlined at each of the many calls. */
static inline th_t *TH(eng_t *E, cJSON *t) {
    return E->last_th && E->last_th->t == t ? E->last_th : th_lookup(E, t);
}

static void th_set_s(eng_t *E, cJSON *t, const char *s) {
    th_set_name(TH(E, t), s);
}

/* Item k (C_*) of thread t, as G(t, C_KEYS[k]) finds it: looked up once per call. The items stay
 * where they are while numbers change in place (tc_set); code that adds, replaces or deletes one of
 * these keys calls tc_forget. */
static cJSON *tc(eng_t *E, cJSON *t, int k) {
    th_t *h = TH(E, t);
    if (!(h->c_ok & (1u << k))) {
        h->c[k] = (cJSON *)G(t, C_KEYS[k]);
        h->c_ok |= 1u << k;
    }
#if TC_CHECK
    /* sanitizer builds hold the rule above to account: a cached item must still be the thread's */
    else if (h->c[k] != G(t, C_KEYS[k])) {
        fprintf(stderr, "engine: cached thread item \"%s\" is stale (a change without tc_forget)\n",
                C_KEYS[k]);
        abort();
    }
#endif
    return h->c[k];
}

/* I(t, C_KEYS[k], d) */
static int tc_int(eng_t *E, cJSON *t, int k, int d) {
    const cJSON *v = tc(E, t, k);
    return v && (v->type & 0xFF) == cJSON_Number ? v->valueint : d;
}

/* set_num(t, C_KEYS[k], v) */
static void tc_set(eng_t *E, cJSON *t, int k, double v) {
    cJSON *c = tc(E, t, k);
    if (c && (c->type & 0xFF) == cJSON_Number)
        cJSON_SetNumberValue(c, v);
    else {
        set_num(t, C_KEYS[k], v);
        TH(E, t)->c_ok &= ~(1u << k);
    }
}

static void tc_forget(eng_t *E, cJSON *t) {
    TH(E, t)->c_ok = 0;
}

/* Every live thread's values back into its object (a dropped one is freed with E->dead unread); the
 * table is emptied. */
static void th_flush_all(eng_t *E) {
    for (int i = 0; i < E->nths; i++)
        if (E->ths[i]) {
            if (E->ths[i]->ph != PH_DEAD) th_flush(E->ths[i]);
            free(E->ths[i]->s_own);
        }
    if (E->ths != E->ths_inl) free(E->ths);
    while (E->thb) {
        struct th_block *k = E->thb;
        E->thb = k->next;
        free(k);
    }
    E->ths = NULL;
    E->last_th = NULL;
    E->nths = E->used_ths = E->nth_inl = 0;
}

static char *dump(const cJSON *v) {
    return v ? asl_json_print(v) : strdup("null");
}

/* ---- history ---- */

/* Events of a distributed Map's iterations belong to the child executions, not to this history. */
static int quiet(eng_t *E, cJSON *t, const char *type) {
    return t && (TH(E, t)->q || (!strncmp(type, "MapIteration", 12) && tc_int(E, t, C_DIST, 0)));
}

#define PUT_LIT(b, lit) asl_buf_put((b), (lit), sizeof(lit) - 1)

/* The fixed part of an event: {"timestamp":..,"type":..,"id":..,"previousEventId":.. */
static void put_header(eng_t *E, int64_t ts, const char *type, int id, int prev) {
    asl_buf_t *b = &E->hist;
    if (E->hcount++) PUT_LIT(b, ",");
    /* "timestamp" is stored as ms since the start; asl_history_absolute() makes it absolute */
    PUT_LIT(b, "{\"timestamp\":");
    asl_buf_num(b, (double)ts);
    PUT_LIT(b, ",\"type\":");
    asl_buf_str(b, type);
    PUT_LIT(b, ",\"id\":");
    asl_buf_num(b, id);
    PUT_LIT(b, ",\"previousEventId\":");
    asl_buf_num(b, prev);
}

/* Write the open event into the history text. */
static void seal(eng_t *E) {
    if (!E->pend.open) return;
    asl_buf_t *b = &E->hist;
    put_header(E, E->pend.ts, E->pend.type, E->pend.id, E->pend.prev);
    if (E->pend.d) {
        PUT_LIT(b, ",");
        asl_buf_str(b, E->pend.dkey);
        PUT_LIT(b, ":");
        asl_json_put(b, E->pend.d);
        cJSON_Delete(E->pend.d);
        E->pend.d = NULL;
    }
    PUT_LIT(b, "}");
    E->pend.open = 0;
}

/* Whether an event of this type is recorded (1: the open event is sealed and the new one gets the next
 * id, *id), or not (0: the history is full, which halts the run, or the thread is quiet). */
static int admit(eng_t *E, cJSON *t, const char *type, int *id) {
    /* AWS: an execution's history is limited to 25,000 events; the last one is kept for the
     * ExecutionFailed that ends it, so everything else stops once 24,999 are written */
    int terminal = type[0] == 'E' && !strncmp(type, "Execution", 9) && strcmp(type, "ExecutionStarted") &&
                   strcmp(type, "ExecutionRedriven");
    if (!terminal && E->nev >= ASL_MAX_HISTORY - 1) {
        if (!E->histfull) set(E->x, "histfull", cJSON_CreateTrue());
        E->histfull = 1;
        E->halt = 1;
        return 0;
    }
    if (quiet(E, t, type)) return 0;
    seal(E);
    *id = ++E->nev;
    return 1;
}

static cJSON *emit(eng_t *E, cJSON *t, const char *type, const char *dkey) {
    int id;
    if (!admit(E, t, type, &id)) {
        /* not recorded: the caller fills a details object that is dropped */
        cJSON *e = cJSON_CreateObject();
        cJSON_AddItemToArray(E->dead, e);
        return dkey ? cJSON_AddObjectToObject(e, dkey) : NULL;
    }
    E->pend.open = 1;
    E->pend.id = id;
    E->pend.prev = t ? TH(E, t)->le : id - 1;
    E->pend.ts = now_ms(E) - E->start;
    size_t tl = strlen(type);
    if (tl >= sizeof E->pend.type) tl = sizeof E->pend.type - 1;
    memcpy(E->pend.type, type, tl);
    E->pend.type[tl] = 0;
    E->pend.dkey = dkey;
    E->pend.d = dkey ? cJSON_CreateObject() : NULL;
    if (t) TH(E, t)->le = id;
    return E->pend.d;
}

/* An event written at once rather than left open (emit): the header here, then the caller appends
 * ,"<details key>":{...} and the closing "}" to E->hist. Same text as emit + seal. 0: not recorded. */
static int emit_now(eng_t *E, cJSON *t, const char *type) {
    int id;
    if (!admit(E, t, type, &id)) return 0;
    put_header(E, now_ms(E) - E->start, type, id, t ? TH(E, t)->le : id - 1);
    if (t) TH(E, t)->le = id;
    return 1;
}

/* "$key":<value as JSON text>,"keyDetails":{"truncated":false}: add_payload's members as printed. */
static void put_payload(asl_buf_t *b, int out, const cJSON *value) {
    if (out)
        PUT_LIT(b, "\"$output\":");
    else
        PUT_LIT(b, "\"$input\":");
    asl_json_put(b, value);
    if (out)
        PUT_LIT(b, ",\"outputDetails\":{\"truncated\":false}");
    else
        PUT_LIT(b, ",\"inputDetails\":{\"truncated\":false}");
}

/* Compact events. The most frequent events are stored as arrays
 *   [timestamp, type, id, previousEventId, name, x]
 * ("…StateEntered": x is the input, "…StateExited": the output, "MapIteration…": the index), about a
 * third of their object's size; asl_history_absolute() expands them to the objects AWS returns.
 * They are written straight into the history text: room is reserved once per event and the integers
 * are formatted in place (the same digits asl_buf_num writes). */

/* A pointer to room for n more bytes (and the NUL) at the end of the history text. */
static inline char *hist_at(eng_t *E, size_t n) {
    asl_buf_t *b = &E->hist;
    if (b->n + n + 1 > b->cap) asl_buf_reserve(b, n);
    return b->b + b->n;
}

/* The history text ends at p (NUL-terminated, as the asl_buf functions leave it). */
static inline void hist_end(eng_t *E, char *p) {
    *p = 0;
    E->hist.n = (size_t)(p - E->hist.b);
}

/* Integer v at p as asl_buf_num writes it (|v| < 1e15: plain digits); returns the end. */
static inline char *put_int_at(char *p, int64_t v) {
    if ((uint64_t)v < 100) { /* ids, most offsets */
        if (v >= 10) *p++ = (char)('0' + v / 10);
        *p++ = (char)('0' + v % 10);
        return p;
    }
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    char tmp[20];
    int n = 0;
    if (v < 0) *p++ = '-';
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    while (n)
        *p++ = tmp[--n];
    return p;
}

enum { HDR_ROOM = 64 }; /* ",[" + timestamp + 2 ids + 4 commas, with margin */

/* Writes ,[timestamp,type,id,previousEventId, for thread t's event `id` (type_json: the type as JSON
 * text, tjl bytes, or NULL: type is quoted here) with room for `more` bytes after it. Returns the
 * write pointer (finish with hist_end). */
static char *put_compact_header(eng_t *E, cJSON *t, const char *type, const char *type_json, size_t tjl,
                                int id, size_t more) {
    asl_buf_t *b = &E->hist;
    size_t room = HDR_ROOM + tjl + more;
    char *p = hist_at(E, room);
    if (E->hcount++) *p++ = ',';
    *p++ = '[';
    /* "timestamp" is stored as ms since the start; asl_history_absolute() makes it absolute */
    int64_t ts = now_ms(E) - E->start;
    if (ts > -1000000000000000LL && ts < 1000000000000000LL)
        p = put_int_at(p, ts);
    else {
        hist_end(E, p);
        asl_buf_num(b, (double)ts);
        p = hist_at(E, room);
    }
    *p++ = ',';
    if (type_json) {
        memcpy(p, type_json, tjl);
        p += tjl;
    } else {
        hist_end(E, p);
        asl_buf_str(b, type);
        p = hist_at(E, room);
    }
    *p++ = ',';
    p = put_int_at(p, id);
    *p++ = ',';
    th_t *h = TH(E, t);
    p = put_int_at(p, h->le);
    *p++ = ',';
    h->le = id;
    return p;
}

/* admit() for an event of thread t that is neither an Execution… nor a MapIteration… event. */
static inline int admit_state(eng_t *E, cJSON *t, const char *type, int *id) {
    if (E->nev >= ASL_MAX_HISTORY - 1) return admit(E, t, type, id);
    if (TH(E, t)->q) return 0;
    if (E->pend.open) seal(E);
    *id = ++E->nev;
    return 1;
}

/* A state's Entered (payload = the input) or Exited event (payload = the output), as emit() + name +
 * add_payload would record it. The payload is `text` (len bytes), or len bytes at offset `from` of the
 * history text itself (text NULL, from >= 0), or `value` printed. Returns the payload's offset in
 * E->hist, -1 if the event is not recorded; *plen its length. */
static long emit_state_si(eng_t *E, cJSON *t, const char *type, const asl_sinfo_t *si, int entered,
                          const char *text, size_t len, long from, const cJSON *value, size_t *plen) {
    int id;
    if (!admit_state(E, t, type, &id)) return -1;
    asl_buf_t *b = &E->hist;
    size_t more = (value || (!text && from < 0) ? 0 : len) + 3; /* payload, ",", "]" */
    char *p;
    if (si) {
        /* the state's own event: names already as JSON */
        more += si->name_json_len;
        p = put_compact_header(E, t, type, entered ? si->entered_json : si->exited_json,
                               entered ? si->entered_json_len : si->exited_json_len, id, more);
        memcpy(p, si->name_json, si->name_json_len);
        p += si->name_json_len;
    } else {
        hist_end(E, put_compact_header(E, t, type, NULL, 0, id, 0));
        asl_buf_str(b, TH(E, t)->s);
        p = hist_at(E, more);
    }
    *p++ = ',';
    long off = p - b->b;
    if (text) {
        memcpy(p, text, len);
        p += len;
    } else if (from >= 0) {
        memcpy(p, b->b + from, len); /* an earlier part of the text: no overlap */
        p += len;
    } else {
        hist_end(E, p);
        asl_json_put(b, value);
        p = hist_at(E, 2);
    }
    if (plen) *plen = (size_t)(p - b->b) - (size_t)off;
    *p++ = ']';
    hist_end(E, p);
    return off;
}

static long emit_state(eng_t *E, cJSON *t, const char *type, const char *text, size_t len, long from,
                       const cJSON *value, size_t *plen) {
    return emit_state_si(E, t, type, NULL, 0, text, len, from, value, plen);
}

static const asl_sinfo_t *sinfo_of(eng_t *E, cJSON *t);

/* MapIterationStarted/Succeeded/Failed/Aborted of Map thread p's iteration idx (type_json: the type
 * as JSON text, tjl bytes: EMIT_ITER). */
static void emit_iter(eng_t *E, cJSON *p, const char *type, const char *type_json, size_t tjl, int idx) {
    int id;
    if (E->nev >= ASL_MAX_HISTORY - 1) {
        if (!admit(E, p, type, &id)) return;
    } else {
        if (TH(E, p)->q || tc_int(E, p, C_DIST, 0)) return; /* quiet() */
        if (E->pend.open) seal(E);
        id = ++E->nev;
    }
    const asl_sinfo_t *si = sinfo_of(E, p); /* the Map state: its name as JSON */
    size_t nl = si ? si->name_json_len : 0;
    char *w = put_compact_header(E, p, type, type_json, tjl, id, nl + 16);
    if (si) {
        memcpy(w, si->name_json, nl);
        w += nl;
    } else {
        hist_end(E, w);
        asl_buf_str(&E->hist, TH(E, p)->s);
        w = hist_at(E, 16);
    }
    *w++ = ',';
    w = put_int_at(w, idx);
    *w++ = ']';
    hist_end(E, w);
}
#define EMIT_ITER(E, p, type, idx) emit_iter((E), (p), type, "\"" type "\"", sizeof(type) + 1, (idx))

/* The object of a compact event (see put_compact_header), or NULL if a is not one. */
static cJSON *expand_event(const cJSON *a) {
    const cJSON *f[6];
    int n = 0;
    for (const cJSON *c = a->child; c && n < 7; c = c->next)
        if (n < 6)
            f[n++] = c;
        else
            n++;
    if (n != 6 || !cJSON_IsString(f[1]) || !cJSON_IsString(f[4])) return NULL;
    const char *type = f[1]->valuestring;
    size_t tl = strlen(type);
    int entered = tl >= 12 && !strcmp(type + tl - 12, "StateEntered");
    int exited = tl >= 11 && !strcmp(type + tl - 11, "StateExited");
    int iter = !strncmp(type, "MapIteration", 12);
    if (!entered && !exited && !iter) return NULL;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObjectCS(o, "timestamp", cJSON_CreateNumber(f[0]->valuedouble));
    cJSON_AddItemToObjectCS(o, "type", cJSON_CreateString(type));
    cJSON_AddItemToObjectCS(o, "id", cJSON_CreateNumber(f[2]->valuedouble));
    cJSON_AddItemToObjectCS(o, "previousEventId", cJSON_CreateNumber(f[3]->valuedouble));
    cJSON *d;
    if (iter) {
        char dkey[96];
        snprintf(dkey, sizeof dkey, "m%sEventDetails", type + 1);
        d = cJSON_AddObjectToObject(o, dkey);
        cJSON_AddItemToObjectCS(d, "name", cJSON_CreateString(f[4]->valuestring));
        cJSON_AddItemToObjectCS(d, "index", cJSON_CreateNumber(f[5]->valuedouble));
        return o;
    }
    d = add_obj_cs(o, entered ? "stateEnteredEventDetails" : "stateExitedEventDetails");
    cJSON_AddItemToObjectCS(d, "name", cJSON_CreateString(f[4]->valuestring));
    cJSON_AddItemToObjectCS(d, entered ? "$input" : "$output", cJSON_Duplicate(f[5], 1));
    cJSON *det = add_obj_cs(d, entered ? "inputDetails" : "outputDetails");
    cJSON_AddItemToObjectCS(det, "truncated", cJSON_CreateBool(0));
    return o;
}

/* A payload (input/output) already printed as JSON text (text consumed): kept under "$key" as raw
 * JSON, so the stored history holds the value; asl_history_absolute() turns it into the JSON text
 * the API returns. */
static void add_payload_text(cJSON *d, const char *key, char *text) {
    cJSON *raw = cJSON_CreateNull();
    raw->type = cJSON_Raw;
    raw->valuestring = text;
    int out = !strcmp(key, "output");
    cJSON_AddItemToObjectCS(d, out ? "$output" : "$input", raw);
    cJSON *det = cJSON_CreateObject();
    cJSON_AddItemToObjectCS(d, out ? "outputDetails" : "inputDetails", det);
    cJSON_AddItemToObjectCS(det, "truncated", cJSON_CreateBool(0));
}

/* Compact JSON text of v ("null" for NULL); *len its length. */
static char *print_len(const cJSON *v, size_t *len) {
    asl_buf_t b = {0};
    asl_json_put(&b, v);
    if (len) *len = b.n;
    return b.b;
}

static void add_payload(cJSON *d, const char *key, const cJSON *value) {
    add_payload_text(d, key, print_len(value, NULL));
}

/* ---- threads ---- */

static void ready(eng_t *E, cJSON *t) {
    if (E->nready == E->cready) {
        E->cready = E->cready ? E->cready * 2 : 16;
        E->ready = realloc(E->ready, sizeof(*E->ready) * E->cready);
    }
    E->ready[E->nready++] = t;
}

/* Live threads by id (ids are 0 .. "nt"-1), built on first use within a call. */
static void tix_set(eng_t *E, int id, cJSON *t) {
    if (!E->tix || id < 0) return;
    if (id >= E->ntix) {
        int n = E->ntix * 2 > id + 1 ? E->ntix * 2 : id + 16;
        E->tix = realloc(E->tix, sizeof(*E->tix) * (size_t)n);
        memset(E->tix + E->ntix, 0, sizeof(*E->tix) * (size_t)(n - E->ntix));
        E->ntix = n;
    }
    E->tix[id] = t;
}

static cJSON *th_find(eng_t *E, int id) {
    if (!E->tix) {
        E->ntix = I(E->x, "nt", 0) + 16;
        E->tix = calloc((size_t)E->ntix, sizeof(*E->tix));
        for (cJSON *t = E->th->child; t; t = t->next) {
            int tid = TH(E, t)->id;
            if (tid >= 0 && (tid >= E->ntix || !E->tix[tid])) tix_set(E, tid, t); /* first one, as a scan */
        }
    }
    return id >= 0 && id < E->ntix ? E->tix[id] : NULL;
}

/* A new thread in state `state`; def_name: that string belongs to the definition. */
static cJSON *th_new(eng_t *E, cJSON *parent, int idx, int machine, const char *state, int def_name,
                     cJSON *input) {
    cJSON *t = cJSON_CreateObject();
    cJSON *nt = (cJSON *)G(E->x, "nt");
    int id = cJSON_IsNumber(nt) ? nt->valueint : 0;
    if (cJSON_IsNumber(nt))
        cJSON_SetNumberValue(nt, id + 1);
    else
        set_num(E->x, "nt", id + 1);
    /* keys the engine reads on every state first (lookups scan the keys in order) */
    cJSON_AddItemToObjectCS(t, "id", cJSON_CreateNumber(id));
    /* "q": events of this thread are not part of the history (distributed Map iterations) */
    cJSON_AddItemToObjectCS(t, "q",
                            cJSON_CreateNumber(parent && (TH(E, parent)->q || tc_int(E, parent, C_DIST, 0))));
    /* "ph" and a definition's "s" refer to strings that outlive the call: the thread is registered
     * below, so th_flush_all replaces them with copies before the document leaves the engine */
    cJSON_AddItemToObjectCS(t, "ph", cJSON_CreateStringReference(PH_NAMES[PH_ENTER]));
    cJSON_AddItemToObjectCS(t, "s",
                            def_name ? cJSON_CreateStringReference(state) : cJSON_CreateString(state));
    cJSON_AddItemToObjectCS(t, "m", cJSON_CreateNumber(machine));
    cJSON_AddItemToObjectCS(t, "le", cJSON_CreateNumber(parent ? TH(E, parent)->le : 0));
    cJSON_AddItemToObjectCS(t, "g", cJSON_CreateNumber(0));
    cJSON_AddItemToObjectCS(t, "in", input);
    cJSON_AddItemToObjectCS(t, "p", cJSON_CreateNumber(parent ? TH(E, parent)->id : -1));
    cJSON_AddItemToObjectCS(t, "ix", cJSON_CreateNumber(idx));
    const cJSON *vars = parent ? G(parent, "vars") : NULL;
    cJSON *v = vars && (vars->type & 0xFF) == cJSON_Object && !vars->child
                   ? cJSON_CreateObject() /* the usual: no variables, as cJSON_Duplicate would copy it */
               : vars ? cJSON_Duplicate(vars, 1)
                      : cJSON_CreateObject();
    cJSON_AddItemToObjectCS(t, "vars", v);
    cJSON_AddItemToArray(E->th, t);
    tix_set(E, id, t);
    TH(E, t); /* registered: flushed when the call ends */
    return t;
}

static void th_drop(eng_t *E, cJSON *t) {
    const char *tok = S(t, "tok");
    if (tok && E->h->token_done) E->h->token_done(E->h->ud, E->x, tok);
    TH(E, t)->ph = PH_DEAD;
    int id = TH(E, t)->id;
    if (E->tix && id >= 0 && id < E->ntix && E->tix[id] == t) E->tix[id] = NULL;
    cJSON_DetachItemViaPointer(E->th, t);
    cJSON_AddItemToArray(E->dead, t);
}

static void set_ph(eng_t *E, cJSON *t, phase_t ph) {
    th_t *h = TH(E, t);
    h->ph = ph;
    h->g++;
}

static void schedule(eng_t *E, cJSON *t, const char *kind, int64_t due) {
    char payload[128];
    snprintf(payload, sizeof payload, "{\"t\":%d,\"k\":\"%s\",\"g\":%d}", t ? TH(E, t)->id : -1, kind,
             t ? TH(E, t)->g : 0);
    if (E->h->timer) E->h->timer(E->h->ud, E->x, due, payload);
}

static const cJSON *state_of(eng_t *E, cJSON *t) {
    return asl_state(E->d, TH(E, t)->m, TH(E, t)->s);
}

static const asl_sinfo_t *sinfo_of(eng_t *E, cJSON *t) {
    th_t *h = TH(E, t);
    if (!h->si_ok) {
        h->si = asl_sinfo(E->d, h->m, h->s);
        h->si_ok = 1;
    }
    return h->si;
}

/* The context object ($$) as this thread sees it. */
static cJSON *context(eng_t *E, cJSON *t) {
    const cJSON *x = G(E->x, "ctx");
    cJSON *c = x && (x->type & 0xFF) == cJSON_Raw ? cJSON_Parse(x->valuestring) : cJSON_Duplicate(x, 1);
    if (!c) c = cJSON_CreateObject();
    cJSON *st = add_obj_cs(c, "State");
    char ts[32];
    const th_t *h = TH(E, t);
    fmt_iso8601_ms(h->has_etms ? E->start + (int64_t)h->etms : now_ms(E), ts);
    cJSON_AddItemToObjectCS(st, "EnteredTime", cJSON_CreateString(ts));
    cJSON_AddItemToObjectCS(st, "Name", cJSON_CreateString(TH(E, t)->s));
    int rc = 0;
    const cJSON *ret = G(t, "ret");
    for (const cJSON *r = ret ? ret->child : NULL; r; r = r->next)
        rc += r->valueint;
    cJSON_AddItemToObjectCS(st, "RetryCount", cJSON_CreateNumber(rc));
    if (S(t, "tok")) cJSON_AddStringToObject(add_obj_cs(c, "Task"), "Token", S(t, "tok"));
    const cJSON *mi = G(t, "mi");
    if (mi) cJSON_AddItemToObject(add_obj_cs(c, "Map"), "Item", cJSON_Duplicate(mi, 1));
    return c;
}

typedef struct {
    cJSON *ctx;
    asl_scope_t sc;
} scope_buf_t;

static asl_scope_t *scope(eng_t *E, cJSON *t, const cJSON *input, scope_buf_t *b) {
    if (!b->ctx) b->ctx = context(E, t);
    b->sc.sim = E->h->sim;
    b->sc.input = input;
    b->sc.ctx = b->ctx;
    b->sc.vars = G(t, "vars");
    return &b->sc;
}

/* scope() for asl_resolve(expr): a path into the input or a variable cannot read $$, so the context
 * object (whose Execution.Input is a copy of the whole execution input) is only built for one that
 * can: $$…, an intrinsic function. */
static asl_scope_t *scope_path(eng_t *E, cJSON *t, const cJSON *input, scope_buf_t *b, const char *expr) {
    if (expr && expr[0] == '$' && expr[1] != '$') {
        b->sc.sim = E->h->sim;
        b->sc.input = input;
        b->sc.ctx = b->ctx;
        b->sc.vars = G(t, "vars");
        return &b->sc;
    }
    return scope(E, t, input, b);
}

/* ---- ending threads / executions ---- */

static void finish_execution(eng_t *E, const char *status) {
    set_str(E->x, "status", status);
    set_num(E->x, "stop", (double)now_ms(E));
    E->halt = 1;
    while (E->th->child)
        th_drop(E, E->th->child);
}

static void exec_failed(eng_t *E, cJSON *t, const char *err, const char *cause) {
    if (S(E->x, "status") && strcmp(S(E->x, "status"), "RUNNING")) return;
    cJSON *d = emit(E, t, "ExecutionFailed", "executionFailedEventDetails");
    cJSON_AddItemToObjectCS(d, "error", cJSON_CreateString(err));
    cJSON_AddItemToObjectCS(d, "cause", cJSON_CreateString(cause));
    set_str(E->x, "error", err);
    set_str(E->x, "cause", cause);
    finish_execution(E, "FAILED");
}

static void child_done(eng_t *E, cJSON *t, cJSON *output, int failed, const char *err, const char *cause);
static void state_error(eng_t *E, cJSON *t, const cJSON *st, const char *err, const char *cause);

/* The thread reached the end of its machine with `output` (consumed). */
static void hist_check(eng_t *E);

static void thread_end(eng_t *E, cJSON *t, cJSON *output) {
    const cJSON *pv = E->pout.v;
    E->pout.v = NULL;
    if (E->histfull) {
        cJSON_Delete(output);
        hist_check(E);
        return;
    }
    if (TH(E, t)->p < 0) {
        if (emit_now(E, t, "ExecutionSucceeded")) {
            asl_buf_t *b = &E->hist;
            PUT_LIT(b, ",\"executionSucceededEventDetails\":{");
            if (pv == output && E->pout.off >= 0) {
                /* the text the Exited event just wrote */
                PUT_LIT(b, "\"$output\":");
                asl_buf_reserve(b, E->pout.len);
                asl_buf_put(b, b->b + E->pout.off, E->pout.len);
                PUT_LIT(b, ",\"outputDetails\":{\"truncated\":false}");
            } else
                put_payload(b, 1, output);
            PUT_LIT(b, "}}");
        }
        set(E->x, "out", output);
        finish_execution(E, "SUCCEEDED");
        return;
    }
    child_done(E, t, output, 0, NULL, NULL);
}

/* The thread failed with no Retry/Catch left: fail the execution or report to the parent. */
static void thread_fail(eng_t *E, cJSON *t, const char *err, const char *cause) {
    if (TH(E, t)->p < 0) {
        /* remember where to redrive from */
        cJSON *rd = cJSON_CreateObject();
        cJSON_AddItemToObjectCS(rd, "s", cJSON_CreateString(TH(E, t)->s));
        cJSON_AddItemToObject(rd, "in", cJSON_Duplicate(G(t, "in"), 1));
        cJSON_AddItemToObject(rd, "vars", cJSON_Duplicate(G(t, "vars"), 1));
        set(E->x, "redrive", rd);
        exec_failed(E, t, err, cause);
        return;
    }
    child_done(E, t, NULL, 1, err, cause);
}

static int is_fatal(const char *err) {
    return !strcmp(err, "States.Runtime");
}

/* ---- JSONata states: glue to jsonata_states.c (QueryLanguage "JSONata") ---- */

/* A JSONata field of the thread's state, evaluated with $states.input = the state input. On failure
 * AWS records an EvaluationFailed event; the caller raises e (States.QueryEvaluationError). */
static cJSON *jn_field(eng_t *E, cJSON *t, const cJSON *value, const char *field, const cJSON *result,
                       const cJSON *err_out, asl_err_t *e) {
    cJSON *ctx = asl_jn_uses_context(value) ? context(E, t) : NULL;
    asl_jn_scope_t sc = {.sim = E->h->sim,
                         .now_ms = now_ms(E),
                         .input = G(t, "in"),
                         .result = result,
                         .error_output = err_out,
                         .ctx = ctx,
                         .vars = G(t, "vars")};
    cJSON *r = asl_jn_eval(E->d, value, field, &sc, e);
    cJSON_Delete(ctx);
    if (!r) {
        cJSON *d = emit(E, t, "EvaluationFailed", "evaluationFailedEventDetails");
        cJSON_AddItemToObjectCS(d, "state", cJSON_CreateString(TH(E, t)->s));
        cJSON_AddItemToObjectCS(d, "error", cJSON_CreateString(e->error));
        cJSON_AddItemToObjectCS(d, "cause", cJSON_CreateString(e->cause));
        cJSON_AddItemToObjectCS(d, "location", cJSON_CreateString(field));
    }
    return r;
}

/* A JSONata Choice rule's Condition: 1, 0, or -1 with e (EvaluationFailed recorded). */
static int jn_condition(eng_t *E, cJSON *t, const cJSON *rule, asl_err_t *e) {
    cJSON *ctx = asl_jn_uses_context(G(rule, "Condition")) ? context(E, t) : NULL;
    asl_jn_scope_t sc = {
        .sim = E->h->sim, .now_ms = now_ms(E), .input = G(t, "in"), .ctx = ctx, .vars = G(t, "vars")};
    int m = asl_jn_condition(E->d, rule, &sc, e);
    cJSON_Delete(ctx);
    if (m < 0) {
        cJSON *d = emit(E, t, "EvaluationFailed", "evaluationFailedEventDetails");
        cJSON_AddItemToObjectCS(d, "state", cJSON_CreateString(TH(E, t)->s));
        cJSON_AddItemToObjectCS(d, "error", cJSON_CreateString(e->error));
        cJSON_AddItemToObjectCS(d, "cause", cJSON_CreateString(e->cause));
        cJSON_AddItemToObjectCS(d, "location", cJSON_CreateString("Condition"));
    }
    return m;
}

/* Assign (stashed for apply_assign) then Output of a JSONata state; *out replaced. 0, or -1 with e. */
static int jn_output(eng_t *E, cJSON *t, const cJSON *st, const cJSON *assign, cJSON **out,
                     const cJSON *result, const cJSON *err_out, asl_err_t *e) {
    /* AWS: Assign and Output are evaluated together: Output does not see the new variables */
    if (assign) {
        cJSON *vals = jn_field(E, t, assign, "Assign", result, err_out, e);
        if (!vals) return -1;
        set(t, "jnassign", vals);
    }
    const cJSON *o = G(st, "Output");
    if (!o) return 0;
    cJSON *r = jn_field(E, t, o, "Output", result, err_out, e);
    if (!r) {
        del(t, "jnassign");
        return -1;
    }
    cJSON_Delete(*out);
    *out = r;
    return 0;
}

/* Wait state Seconds/Timestamp written as expressions: 1 due set, 0 not JSONata, -1 error. */
static int jn_wait_due(eng_t *E, cJSON *t, const cJSON *st, int64_t *due, asl_err_t *e) {
    const cJSON *v = G(st, "Seconds");
    int secs = asl_jn_is_expr(v);
    if (!secs) v = G(st, "Timestamp");
    if (!asl_jn_is_expr(v)) return 0;
    cJSON *r = jn_field(E, t, v, v->string, NULL, NULL, e);
    if (!r) return -1;
    double ts = 0;
    int ok = secs ? cJSON_IsNumber(r) && r->valuedouble >= 0 && r->valuedouble == floor(r->valuedouble)
                  : cJSON_IsString(r) && !asl_ts_parse(r->valuestring, &ts);
    if (ok) *due = secs ? *due + (int64_t)(r->valuedouble * 1000) : (int64_t)llround(ts * 1000.0);
    cJSON_Delete(r);
    if (!ok)
        return asl_fail(e, "States.QueryEvaluationError",
                        secs
                            ? "The JSONata expression for the field 'Seconds' must evaluate to a "
                              "non-negative integer."
                            : "The JSONata expression for the field 'Timestamp' must evaluate to an ISO-8601 "
                              "extended offset date-time string."),
               -1;
    return 1;
}

/* ---- ResultPath / OutputPath / Assign / transitions ---- */

static cJSON *input_path(eng_t *E, cJSON *t, const cJSON *st, asl_err_t *e) {
    const cJSON *ip = G(st, "InputPath");
    const cJSON *in = G(t, "in");
    if (!ip) return cJSON_Duplicate(in, 1);
    if (cJSON_IsNull(ip)) return cJSON_CreateObject();
    scope_buf_t b = {0};
    cJSON *r = asl_resolve(ip->valuestring, scope_path(E, t, in, &b, ip->valuestring), "InputPath", e);
    cJSON_Delete(b.ctx);
    if (!r)
        asl_fail(
            e, "States.Runtime",
            "An error occurred while executing the state '%s'. Invalid path '%s' : No results for path: %s",
            TH(E, t)->s, ip->valuestring, ip->valuestring);
    return r;
}

static int apply_assign(eng_t *E, cJSON *t, const cJSON *assign, const cJSON *input, cJSON *exited,
                        asl_err_t *e) {
    /* JSONata states: values already evaluated by jn_output, else evaluated here (jsonata_states.c) */
    cJSON *pre = detach(t, "jnassign");
    if (!assign && !pre) return 0;
    scope_buf_t b = {0};
    cJSON *vals = pre                                    ? pre
                  : asl_jn_enabled(E->d, state_of(E, t)) ? jn_field(E, t, assign, "Assign", NULL, NULL, e)
                                                         : asl_template(assign, scope(E, t, input, &b), e);
    cJSON_Delete(b.ctx);
    if (!vals) return -1;
    cJSON *vars = (cJSON *)G(t, "vars");
    cJSON *av = exited ? add_obj_cs(exited, "assignedVariables") : NULL;
    for (cJSON *v = vals->child; v; v = v->next) {
        if (av) {
            char *s = dump(v);
            cJSON_AddStringToObject(av, v->string, s);
            free(s);
        }
        set(vars, v->string, cJSON_Duplicate(v, 1));
    }
    if (exited) cJSON_AddBoolToObject(add_obj_cs(exited, "assignedVariablesDetails"), "truncated", 0);
    cJSON_Delete(vals);
    return 0;
}

static const char *type_of(const cJSON *st) {
    return S(st, "Type");
}

/* Move to Next or end the thread; output consumed. */
static int transition(eng_t *E, cJSON *t, const cJSON *st, cJSON *output, const char *next) {
    if (!next) next = S(st, "Next");
    if (!next) {
        thread_end(E, t, output);
        return STOP;
    }
    E->pout.v = NULL;
    th_set_s(E, t, next);
    set(t, "in", output);
    cJSON *ret = TH(E, t)->has_ret ? (cJSON *)G(t, "ret") : NULL;
    if (ret && ret->child) set(t, "ret", cJSON_CreateObject()); /* retry counters restart per state */
    set_ph(E, t, PH_ENTER);
    return CONT;
}

static int finish_output(eng_t *E, cJSON *t, const cJSON *st, cJSON *merged, const char *next,
                         const cJSON *assign_input);

/* Apply ResultPath and OutputPath to `result` (consumed), Assign, emit Exited, transition. */
static int finish_state(eng_t *E, cJSON *t, const cJSON *st, cJSON *result, const char *next) {
    asl_err_t e = {{0}, {0}};
    const cJSON *rp = G(st, "ResultPath");
    cJSON *merged;
    if (!rp) {
        merged = result;
    } else if (cJSON_IsNull(rp)) {
        cJSON_Delete(result);
        merged = cJSON_Duplicate(G(t, "in"), 1);
    } else {
        merged = cJSON_Duplicate(G(t, "in"), 1);
        char err[900];
        if (jp_set(&merged, rp->valuestring, result, err, sizeof err)) {
            cJSON_Delete(merged);
            state_error(E, t, st, "States.Runtime",
                        (asl_fail(&e, "States.Runtime",
                                  "An error occurred while executing the state '%s'. %s", TH(E, t)->s, err),
                         e.cause));
            return STOP;
        }
    }
    return finish_output(E, t, st, merged, next, NULL);
}

/* OutputPath, Assign, DataLimit, Exited event. merged consumed. assign_input: $ for Assign. */
static int finish_output(eng_t *E, cJSON *t, const cJSON *st, cJSON *merged, const char *next,
                         const cJSON *assign_input) {
    asl_err_t e = {{0}, {0}};
    /* JSONata states: Output and Assign, with $states.result for Task/Parallel/Map (jsonata_states.c) */
    if (asl_jn_enabled(E->d, st)) {
        const char *ty = type_of(st);
        int has_result = !strcmp(ty, "Task") || !strcmp(ty, "Parallel") || !strcmp(ty, "Map");
        /* $states.result is read in place: jn_output replaces merged only after evaluating */
        int rc = jn_output(E, t, st, G(st, "Assign"), &merged, has_result ? merged : NULL, NULL, &e);
        if (rc) {
            cJSON_Delete(merged);
            state_error(E, t, st, e.error, e.cause);
            return STOP;
        }
    }
    const cJSON *op = G(st, "OutputPath");
    cJSON *out = merged;
    if (op) {
        if (cJSON_IsNull(op))
            out = cJSON_CreateObject();
        else {
            scope_buf_t b = {0};
            out =
                asl_resolve(op->valuestring, scope_path(E, t, merged, &b, op->valuestring), "OutputPath", &e);
            cJSON_Delete(b.ctx);
        }
        if (!out) {
            cJSON_Delete(merged);
            state_error(E, t, st, "States.Runtime", e.cause);
            return STOP;
        }
        cJSON_Delete(merged);
    }
    /* AWS: a state's output may not exceed 256 KiB */
    size_t len;
    char *text = print_len(out, &len);
    if (len > ASL_MAX_PAYLOAD) {
        free(text);
        cJSON_Delete(out);
        state_error(
            E, t, st, "States.DataLimitExceeded",
            "The state/task returned a result with a size exceeding the maximum number of bytes service "
            "limit.");
        return STOP;
    }
    char evtype[64];
    snprintf(evtype, sizeof evtype, "%sStateExited", type_of(st));
    const cJSON *assign = G(st, "Assign");
    if (!assign) {
        long off = emit_state(E, t, evtype, text, len, -1, NULL, NULL);
        free(text);
        E->pout.v = out, E->pout.off = off, E->pout.len = len;
        return transition(E, t, st, out, next);
    }
    cJSON *d = emit(E, t, evtype, "stateExitedEventDetails");
    cJSON_AddItemToObjectCS(d, "name", cJSON_CreateString(TH(E, t)->s));
    add_payload_text(d, "output", text);
    if (apply_assign(E, t, assign, assign_input ? assign_input : out, d, &e)) {
        cJSON_Delete(out);
        state_error(E, t, st, e.error, e.cause);
        return STOP;
    }
    return transition(E, t, st, out, next);
}

/* ---- errors: Retry and Catch ---- */

static int error_matches(const cJSON *ee, const char *err) {
    for (const cJSON *c = ee ? ee->child : NULL; c; c = c->next) {
        const char *n = c->valuestring;
        if (!n) continue;
        if (!strcmp(n, err)) return 1;
        /* AWS: States.ALL matches every error except States.Runtime and States.DataLimitExceeded */
        if (!strcmp(n, "States.ALL") && strcmp(err, "States.Runtime") &&
            strcmp(err, "States.DataLimitExceeded"))
            return 1;
        /* States.TaskFailed matches any task error except States.Timeout */
        if (!strcmp(n, "States.TaskFailed") && strcmp(err, "States.Timeout") &&
            strcmp(err, "States.Runtime") && strcmp(err, "States.DataLimitExceeded") &&
            strncmp(err, "States.Exceed", 13) && strcmp(err, "States.NoChoiceMatched") &&
            strcmp(err, "States.IntrinsicFailure") && strcmp(err, "States.ResultPathMatchFailure") &&
            strcmp(err, "States.ParameterPathFailure"))
            return 1;
    }
    return 0;
}

static void state_error(eng_t *E, cJSON *t, const cJSON *st, const char *err, const char *cause) {
    if (E->halt) return;
    if (is_fatal(err)) {
        /* AWS: States.Runtime errors are not retriable and fail the whole execution */
        if (TH(E, t)->p < 0)
            thread_fail(E, t, err, cause);
        else
            exec_failed(E, t, err, cause);
        return;
    }
    const cJSON *retry = G(st, "Retry");
    int i = 0;
    for (const cJSON *r = retry ? retry->child : NULL; r; r = r->next, i++) {
        if (!error_matches(G(r, "ErrorEquals"), err)) continue;
        char key[16];
        snprintf(key, sizeof key, "%d", i);
        cJSON *ret = (cJSON *)G(t, "ret");
        if (!ret) ret = add_obj_cs(t, "ret");
        TH(E, t)->has_ret = 1;
        int count = I(ret, key, 0);
        int max = I(r, "MaxAttempts", 3);
        if (count >= max) break; /* AWS: the first matching retrier decides; exhausted -> Catch */
        set_num(ret, key, count + 1);
        double interval = cJSON_IsNumber(G(r, "IntervalSeconds")) ? G(r, "IntervalSeconds")->valuedouble : 1;
        double rate = cJSON_IsNumber(G(r, "BackoffRate")) ? G(r, "BackoffRate")->valuedouble : 2.0;
        double delay = interval * pow(rate, count);
        const cJSON *md = G(r, "MaxDelaySeconds");
        if (cJSON_IsNumber(md) && delay > md->valuedouble) delay = md->valuedouble;
        const char *jit = S(r, "JitterStrategy");
        if (jit && !strcmp(jit, "FULL")) delay = delay * rng_unit(E->h->sim);
        set_ph(E, t, PH_RETRY);
        schedule(E, t, "retry", now_ms(E) + (int64_t)llround(delay * 1000.0));
        return;
    }
    const cJSON *catch = G(st, "Catch");
    for (const cJSON *c = catch ? catch->child : NULL; c; c = c->next) {
        if (!error_matches(G(c, "ErrorEquals"), err)) continue;
        cJSON *eo = cJSON_CreateObject();
        cJSON_AddItemToObjectCS(eo, "Error", cJSON_CreateString(err));
        cJSON_AddItemToObjectCS(eo, "Cause", cJSON_CreateString(cause));
        const cJSON *rp = G(c, "ResultPath");
        cJSON *merged;
        asl_err_t je;
        if (asl_jn_enabled(E->d, st)) { /* JSONata: the catcher's Output/Assign see $states.errorOutput */
            merged = cJSON_Duplicate(eo, 1);
            int rc = jn_output(E, t, c, G(c, "Assign"), &merged, NULL, eo, &je);
            cJSON_Delete(eo);
            if (rc) {
                cJSON_Delete(merged);
                thread_fail(E, t, je.error, je.cause);
                return;
            }
        } else if (!rp)
            merged = eo;
        else if (cJSON_IsNull(rp)) {
            cJSON_Delete(eo);
            merged = cJSON_Duplicate(G(t, "in"), 1);
        } else {
            merged = cJSON_Duplicate(G(t, "in"), 1);
            char e2[900];
            if (jp_set(&merged, rp->valuestring, eo, e2, sizeof e2)) {
                cJSON_Delete(merged);
                thread_fail(E, t, "States.Runtime", e2);
                return;
            }
        }
        char evtype[64];
        snprintf(evtype, sizeof evtype, "%sStateExited", type_of(st));
        cJSON *d = emit(E, t, evtype, "stateExitedEventDetails");
        cJSON_AddItemToObjectCS(d, "name", cJSON_CreateString(TH(E, t)->s));
        add_payload(d, "output", merged);
        asl_err_t ae;
        if (apply_assign(E, t, G(c, "Assign"), merged, d, &ae)) {
            cJSON_Delete(merged);
            thread_fail(E, t, ae.error, ae.cause);
            return;
        }
        transition(E, t, st, merged, S(c, "Next"));
        ready(E, t);
        return;
    }
    thread_fail(E, t, err, cause);
}

/* ---- states ---- */

static int exec_pass(eng_t *E, cJSON *t, const cJSON *st) {
    asl_err_t e = {{0}, {0}};
    if (!G(st, "InputPath") && !G(st, "Result") && !G(st, "Parameters"))
        return finish_state(E, t, st, cJSON_Duplicate(G(t, "in"), 1), NULL); /* result = input */
    cJSON *eff = input_path(E, t, st, &e);
    if (!eff) return state_error(E, t, st, e.error, e.cause), STOP;
    cJSON *res;
    if (G(st, "Result"))
        res = cJSON_Duplicate(G(st, "Result"), 1);
    else if (G(st, "Parameters")) {
        scope_buf_t b = {0};
        res = asl_template(G(st, "Parameters"), scope(E, t, eff, &b), &e);
        cJSON_Delete(b.ctx);
        if (!res) {
            cJSON_Delete(eff);
            return state_error(E, t, st, e.error, e.cause), STOP;
        }
    } else
        res = cJSON_Duplicate(eff, 1);
    cJSON_Delete(eff);
    return finish_state(E, t, st, res, NULL);
}

/* A Pass state that only passes its input on (ASL_SF_PLAIN_PASS): the thread keeps its input as
 * the next state's input, no copy. Same events and checks as exec_pass + finish_state. */
static int exec_plain_pass(eng_t *E, cJSON *t, const asl_sinfo_t *si) {
    size_t len;
    char *text = NULL;
    long from = -1;
    if (E->pin.t == t && E->pin.g == TH(E, t)->g && E->pin.off >= 0) {
        from = E->pin.off; /* printed by the Entered event just before */
        len = E->pin.len;
    } else
        text = print_len(G(t, "in"), &len);
    E->pin.t = NULL;
    /* AWS: a state's output may not exceed 256 KiB */
    if (len > ASL_MAX_PAYLOAD) {
        free(text);
        state_error(
            E, t, si->st, "States.DataLimitExceeded",
            "The state/task returned a result with a size exceeding the maximum number of bytes service "
            "limit.");
        return STOP;
    }
    long xoff = emit_state_si(E, t, si->exited, si, 0, text, len, from, NULL, NULL);
    free(text);
    if (!si->next) {
        cJSON *out = detach(t, "in");
        E->pout.v = out, E->pout.off = xoff, E->pout.len = len;
        thread_end(E, t, out);
        return STOP;
    }
    th_t *h = TH(E, t);
    th_set_def_name(h, si->next);
    h->si = si->next_si; /* the same machine's state, found when the definition was indexed */
    h->si_ok = 1;
    cJSON *ret = h->has_ret ? (cJSON *)G(t, "ret") : NULL;
    if (ret && ret->child) set(t, "ret", cJSON_CreateObject()); /* retry counters restart per state */
    set_ph(E, t, PH_ENTER);
    /* the next state enters with the same input: the text just written is reused */
    E->pin.t = t;
    E->pin.g = TH(E, t)->g;
    E->pin.off = xoff;
    E->pin.len = len;
    return CONT;
}

static int exec_choice(eng_t *E, cJSON *t, const cJSON *st) {
    asl_err_t e = {{0}, {0}};
    cJSON *eff = input_path(E, t, st, &e);
    if (!eff) return state_error(E, t, st, e.error, e.cause), STOP;
    scope_buf_t b = {0};
    asl_scope_t *sc = scope(E, t, eff, &b);
    const char *next = NULL;
    const cJSON *rule_assign = NULL;
    for (const cJSON *r = G(st, "Choices")->child; r; r = r->next) {
        int m = asl_jn_enabled(E->d, st) ? jn_condition(E, t, r, &e) /* JSONata */
                                         : asl_choice_match(r, sc, &e);
        if (m < 0) {
            cJSON_Delete(b.ctx);
            cJSON_Delete(eff);
            return state_error(E, t, st, e.error, e.cause), STOP;
        }
        if (m) {
            next = S(r, "Next");
            rule_assign = G(r, "Assign");
            break;
        }
    }
    cJSON_Delete(b.ctx);
    if (!next) next = S(st, "Default");
    if (!next) {
        cJSON_Delete(eff);
        /* AWS: no rule matched and no Default */
        state_error(E, t, st, "States.NoChoiceMatched", "No Matches!");
        return STOP;
    }
    if (rule_assign && apply_assign(E, t, rule_assign, eff, NULL, &e)) {
        cJSON_Delete(eff);
        return state_error(E, t, st, e.error, e.cause), STOP;
    }
    return finish_output(E, t, st, eff, next, NULL);
}

static int exec_wait(eng_t *E, cJSON *t, const cJSON *st) {
    asl_err_t e = {{0}, {0}};
    cJSON *eff = input_path(E, t, st, &e);
    if (!eff) return state_error(E, t, st, e.error, e.cause), STOP;
    int64_t due = now_ms(E);
    const cJSON *v;
    scope_buf_t b = {0};
    int jw = jn_wait_due(E, t, st, &due, &e); /* JSONata Seconds/Timestamp (jsonata_states.c) */
    if (jw < 0) {
        cJSON_Delete(eff);
        return state_error(E, t, st, e.error, e.cause), STOP;
    }
    if (jw)
        ;
    else if ((v = G(st, "Seconds")))
        due += (int64_t)(v->valuedouble * 1000);
    else if ((v = G(st, "Timestamp")) || (v = G(st, "TimestampPath")) || (v = G(st, "SecondsPath"))) {
        cJSON *val =
            !strcmp(v->string, "Timestamp")
                ? cJSON_Duplicate(v, 1)
                : asl_resolve(v->valuestring, scope_path(E, t, eff, &b, v->valuestring), v->string, &e);
        cJSON_Delete(b.ctx);
        double ts;
        if (!strcmp(v->string, "SecondsPath")) {
            if (!cJSON_IsNumber(val) || val->valuedouble < 0 || val->valuedouble != floor(val->valuedouble)) {
                cJSON_Delete(val);
                cJSON_Delete(eff);
                state_error(E, t, st, "States.Runtime",
                            "An error occurred while executing the state. The SecondsPath parameter does not "
                            "reference a valid non-negative integer value.");
                return STOP;
            }
            due += (int64_t)(val->valuedouble * 1000);
        } else {
            if (!cJSON_IsString(val) || asl_ts_parse(val->valuestring, &ts)) {
                cJSON_Delete(val);
                cJSON_Delete(eff);
                state_error(
                    E, t, st, "States.Runtime",
                    "An error occurred while executing the state. The TimestampPath parameter does not "
                    "reference a valid ISO-8601 extended offset date-time format string.");
                return STOP;
            }
            due = (int64_t)llround(ts * 1000.0);
        }
        cJSON_Delete(val);
    }
    if (due > now_ms(E)) {
        cJSON_Delete(eff);
        set_ph(E, t, PH_WAIT);
        schedule(E, t, "wait", due);
        return STOP;
    }
    return finish_output(E, t, st, eff, NULL, NULL);
}

static int exec_succeed(eng_t *E, cJSON *t, const cJSON *st) {
    asl_err_t e = {{0}, {0}};
    cJSON *eff = input_path(E, t, st, &e);
    if (!eff) return state_error(E, t, st, e.error, e.cause), STOP;
    const cJSON *op = G(st, "OutputPath");
    cJSON *out = eff;
    if (G(st, "Output")) { /* JSONata (jsonata_states.c) */
        out = jn_field(E, t, G(st, "Output"), "Output", NULL, NULL, &e);
        cJSON_Delete(eff);
        if (!out) return state_error(E, t, st, e.error, e.cause), STOP;
    }
    if (op) {
        scope_buf_t b = {0};
        out = cJSON_IsNull(op) ? cJSON_CreateObject()
                               : asl_resolve(op->valuestring, scope_path(E, t, eff, &b, op->valuestring),
                                             "OutputPath", &e);
        cJSON_Delete(b.ctx);
        cJSON_Delete(eff);
        if (!out) return state_error(E, t, st, e.error, e.cause), STOP;
    }
    emit_state(E, t, "SucceedStateExited", NULL, 0, -1, out, NULL);
    thread_end(E, t, out);
    return STOP;
}

static int exec_fail(eng_t *E, cJSON *t, const cJSON *st) {
    asl_err_t e = {{0}, {0}};
    char err[256] = "", cause[1024] = "";
    const cJSON *in = G(t, "in");
    scope_buf_t b = {0};
    const char *fields[2][2] = {{"Error", "ErrorPath"}, {"Cause", "CausePath"}};
    for (int i = 0; i < 2; i++) {
        char *dst = i ? cause : err;
        size_t dn = i ? sizeof cause : sizeof err;
        if (asl_jn_enabled(E->d, st) && asl_jn_is_expr(G(st, fields[i][0]))) { /* JSONata */
            cJSON *r = jn_field(E, t, G(st, fields[i][0]), fields[i][0], NULL, NULL, &e);
            if (!cJSON_IsString(r)) {
                if (r)
                    asl_fail(&e, "States.QueryEvaluationError",
                             "The JSONata expression for the field '%s' must evaluate to a string.",
                             fields[i][0]);
                cJSON_Delete(r);
                cJSON_Delete(b.ctx);
                exec_failed(E, t, "States.QueryEvaluationError", e.cause);
                return STOP;
            }
            snprintf(dst, dn, "%s", r->valuestring);
            cJSON_Delete(r);
        } else if (S(st, fields[i][0]))
            snprintf(dst, dn, "%s", S(st, fields[i][0]));
        else if (S(st, fields[i][1])) {
            cJSON *v = asl_resolve(S(st, fields[i][1]), scope(E, t, in, &b), fields[i][1], &e);
            if (!cJSON_IsString(v)) {
                cJSON_Delete(v);
                cJSON_Delete(b.ctx);
                exec_failed(
                    E, t, "States.Runtime",
                    "An error occurred while executing the state. The ErrorPath/CausePath must reference a "
                    "string value.");
                return STOP;
            }
            snprintf(dst, dn, "%s", v->valuestring);
            cJSON_Delete(v);
        }
    }
    cJSON_Delete(b.ctx);
    thread_fail(E, t, err, cause);
    return STOP;
}

/* ---- Task ---- */

static int resource_kind(const char *res) {
    if (!strncmp(res, "arn:aws:lambda:", 15)) return 1;
    if (!strncmp(res, "arn:aws:states:", 15) && strstr(res, ":activity:")) return 2;
    return 0;
}

/* "arn:aws:states:::sns:publish.waitForTaskToken" -> ("sns", "publish.waitForTaskToken") */
static void resource_parts(const char *res, char *rtype, size_t tn, char *rname, size_t rn) {
    const char *p = !strncmp(res, "arn:aws:states:::", 17) ? res + 17 : res;
    if (!strncmp(p, "aws-sdk:", 8)) {
        const char *c = strchr(p + 8, ':');
        snprintf(rtype, tn, "%.*s", c ? (int)(c - p) : (int)strlen(p), p);
        snprintf(rname, rn, "%s", c ? c + 1 : "");
        return;
    }
    const char *c = strchr(p, ':');
    snprintf(rtype, tn, "%.*s", c ? (int)(c - p) : (int)strlen(p), p);
    snprintf(rname, rn, "%s", c ? c + 1 : "");
}

static int task_seconds(eng_t *E, cJSON *t, const cJSON *st, const char *field, const cJSON *eff, int dflt) {
    const cJSON *v = G(st, field);
    if (cJSON_IsNumber(v)) return v->valueint;
    if (asl_jn_is_expr(v)) { /* JSONata (jsonata_states.c) */
        asl_err_t je;
        cJSON *r = jn_field(E, t, v, field, NULL, NULL, &je);
        int s = cJSON_IsNumber(r) && r->valuedouble >= 1 ? r->valueint : -1;
        cJSON_Delete(r);
        return s;
    }
    char pf[64];
    snprintf(pf, sizeof pf, "%sPath", field);
    const char *p = S(st, pf);
    if (!p) return dflt;
    asl_err_t e;
    scope_buf_t b = {0};
    cJSON *r = asl_resolve(p, scope_path(E, t, eff, &b, p), pf, &e);
    cJSON_Delete(b.ctx);
    int s = cJSON_IsNumber(r) && r->valuedouble >= 1 ? r->valueint : -1;
    cJSON_Delete(r);
    return s;
}

static void task_failed_event(eng_t *E, cJSON *t, const cJSON *st, const char *err, const char *cause,
                              int timed_out) {
    const char *res = S(st, "Resource");
    int kind = resource_kind(res);
    cJSON *d;
    if (kind == 1)
        d = emit(E, t, timed_out ? "LambdaFunctionTimedOut" : "LambdaFunctionFailed",
                 timed_out ? "lambdaFunctionTimedOutEventDetails" : "lambdaFunctionFailedEventDetails");
    else if (kind == 2)
        d = emit(E, t, timed_out ? "ActivityTimedOut" : "ActivityFailed",
                 timed_out ? "activityTimedOutEventDetails" : "activityFailedEventDetails");
    else {
        d = emit(E, t, timed_out ? "TaskTimedOut" : "TaskFailed",
                 timed_out ? "taskTimedOutEventDetails" : "taskFailedEventDetails");
        char rt[128], rn[256];
        resource_parts(res, rt, sizeof rt, rn, sizeof rn);
        cJSON_AddItemToObjectCS(d, "resourceType", cJSON_CreateString(rt));
        cJSON_AddItemToObjectCS(d, "resource", cJSON_CreateString(rn));
    }
    cJSON_AddItemToObjectCS(d, "error", cJSON_CreateString(err));
    cJSON_AddItemToObjectCS(d, "cause", cJSON_CreateString(cause));
}

static int task_failure(eng_t *E, cJSON *t, const cJSON *st, const char *err, const char *cause,
                        int timed_out) {
    task_failed_event(E, t, st, err, cause, timed_out);
    cJSON *tok = detach(t, "tok");
    if (tok && timed_out && E->h->token_timed_out)
        E->h->token_timed_out(E->h->ud, E->x, tok->valuestring);
    else if (tok && E->h->token_done)
        E->h->token_done(E->h->ud, E->x, tok->valuestring);
    cJSON_Delete(tok);
    state_error(E, t, st, err, cause);
    return STOP;
}

/* Task result (consumed): event, ResultSelector, ResultPath, OutputPath. */
static int task_success(eng_t *E, cJSON *t, const cJSON *st, cJSON *result) {
    const char *res = S(st, "Resource");
    int kind = resource_kind(res);
    cJSON *d;
    if (kind == 1)
        d = emit(E, t, "LambdaFunctionSucceeded", "lambdaFunctionSucceededEventDetails");
    else if (kind == 2)
        d = emit(E, t, "ActivitySucceeded", "activitySucceededEventDetails");
    else {
        d = emit(E, t, "TaskSucceeded", "taskSucceededEventDetails");
        char rt[128], rn[256];
        resource_parts(res, rt, sizeof rt, rn, sizeof rn);
        cJSON_AddItemToObjectCS(d, "resourceType", cJSON_CreateString(rt));
        cJSON_AddItemToObjectCS(d, "resource", cJSON_CreateString(rn));
    }
    size_t len;
    add_payload_text(d, "output", print_len(result, &len));
    cJSON *tok = detach(t, "tok");
    if (tok && E->h->token_done) E->h->token_done(E->h->ud, E->x, tok->valuestring);
    cJSON_Delete(tok);
    if (len > ASL_MAX_PAYLOAD) {
        cJSON_Delete(result);
        state_error(
            E, t, st, "States.DataLimitExceeded",
            "The state/task returned a result with a size exceeding the maximum number of bytes service "
            "limit.");
        return STOP;
    }
    const cJSON *rs = G(st, "ResultSelector");
    if (rs) {
        asl_err_t e = {{0}, {0}};
        scope_buf_t b = {0};
        cJSON *sel = asl_template(rs, scope(E, t, result, &b), &e);
        cJSON_Delete(b.ctx);
        cJSON_Delete(result);
        if (!sel) return state_error(E, t, st, e.error, e.cause), STOP;
        result = sel;
    }
    set_ph(E, t, PH_EXEC);
    return finish_state(E, t, st, result, NULL);
}

static int exec_task(eng_t *E, cJSON *t, const cJSON *st) {
    asl_err_t e = {{0}, {0}};
    const char *res = S(st, "Resource");
    int kind = resource_kind(res);
    cJSON *eff = input_path(E, t, st, &e);
    if (!eff) return state_error(E, t, st, e.error, e.cause), STOP;
    int waits = kind == 2 || strstr(res, ".waitForTaskToken") || strstr(res, ".sync");
    if (waits) {
        char tok[160] = "AQB";
        rng_chars(E->h->sim, tok + 3, 120,
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
        set_str(t, "tok", tok);
    }
    cJSON *params;
    if (G(st, "Parameters")) {
        scope_buf_t b = {0};
        params = asl_template(G(st, "Parameters"), scope(E, t, eff, &b), &e);
        cJSON_Delete(b.ctx);
        if (!params) {
            cJSON_Delete(eff);
            return state_error(E, t, st, e.error, e.cause), STOP;
        }
    } else if (G(st, "Arguments")) { /* JSONata (jsonata_states.c) */
        params = jn_field(E, t, G(st, "Arguments"), "Arguments", NULL, NULL, &e);
        if (!params) {
            cJSON_Delete(eff);
            return state_error(E, t, st, e.error, e.cause), STOP;
        }
    } else
        params = cJSON_Duplicate(eff, 1);
    int timeout = task_seconds(E, t, st, "TimeoutSeconds", eff, kind == 2 || waits ? 0 : 60);
    int hb = task_seconds(E, t, st, "HeartbeatSeconds", eff, 0);
    cJSON_Delete(eff);
    if (timeout < 0 || hb < 0) {
        cJSON_Delete(params);
        state_error(
            E, t, st, "States.Runtime",
            "An error occurred while executing the state. The TimeoutSecondsPath/HeartbeatSecondsPath "
            "parameter does not reference a valid positive integer.");
        return STOP;
    }
    cJSON *d;
    if (kind == 1) {
        d = emit(E, t, "LambdaFunctionScheduled", "lambdaFunctionScheduledEventDetails");
        cJSON_AddItemToObjectCS(d, "resource", cJSON_CreateString(res));
        add_payload(d, "input", params);
        if (timeout) cJSON_AddItemToObjectCS(d, "timeoutInSeconds", cJSON_CreateNumber(timeout));
        emit(E, t, "LambdaFunctionStarted", NULL);
    } else if (kind == 2) {
        d = emit(E, t, "ActivityScheduled", "activityScheduledEventDetails");
        cJSON_AddItemToObjectCS(d, "resource", cJSON_CreateString(res));
        add_payload(d, "input", params);
        if (timeout) cJSON_AddItemToObjectCS(d, "timeoutInSeconds", cJSON_CreateNumber(timeout));
        if (hb) cJSON_AddItemToObjectCS(d, "heartbeatInSeconds", cJSON_CreateNumber(hb));
    } else {
        char rt[128], rn[256];
        resource_parts(res, rt, sizeof rt, rn, sizeof rn);
        d = emit(E, t, "TaskScheduled", "taskScheduledEventDetails");
        cJSON_AddItemToObjectCS(d, "resourceType", cJSON_CreateString(rt));
        cJSON_AddItemToObjectCS(d, "resource", cJSON_CreateString(rn));
        cJSON_AddItemToObjectCS(d, "region", cJSON_CreateString(E->h->region ? E->h->region : "us-east-1"));
        cJSON *raw = cJSON_CreateNull();
        raw->type = cJSON_Raw;
        raw->valuestring = print_len(params, NULL);
        cJSON_AddItemToObjectCS(d, "$parameters", raw);
        if (timeout) cJSON_AddItemToObjectCS(d, "timeoutInSeconds", cJSON_CreateNumber(timeout));
        if (hb) cJSON_AddItemToObjectCS(d, "heartbeatInSeconds", cJSON_CreateNumber(hb));
        d = emit(E, t, "TaskStarted", "taskStartedEventDetails");
        cJSON_AddItemToObjectCS(d, "resourceType", cJSON_CreateString(rt));
        cJSON_AddItemToObjectCS(d, "resource", cJSON_CreateString(rn));
    }
    cJSON *creds = NULL;
    if (G(st, "Credentials")) {
        scope_buf_t cb = {0};
        creds = asl_template(G(st, "Credentials"), scope(E, t, G(t, "in"), &cb), &e);
        cJSON_Delete(cb.ctx);
    }
    asl_task_t task = {.resource = res,
                       .state_name = TH(E, t)->s,
                       .params = params,
                       .token = S(t, "tok"),
                       .thread = TH(E, t)->id,
                       .timeout_s = timeout,
                       .heartbeat_s = hb,
                       .credentials = creds};
    cJSON *result = NULL;
    int rc = E->h->task ? E->h->task(E->h->ud, E->x, &task, &result, &e)
                        : (asl_fail(&e, "States.Runtime", "no task host"), ASL_TASK_FAIL);
    cJSON_Delete(params);
    cJSON_Delete(creds);
    if (E->halt) {
        cJSON_Delete(result);
        return STOP;
    }
    if (rc == ASL_TASK_DONE) return task_success(E, t, st, result ? result : cJSON_CreateObject());
    if (rc == ASL_TASK_FAIL) {
        cJSON_Delete(result);
        return task_failure(E, t, st, e.error, e.cause, 0);
    }
    /* waiting for a token */
    if (result && kind == 0) {
        char rt[128], rn[256];
        resource_parts(res, rt, sizeof rt, rn, sizeof rn);
        d = emit(E, t, "TaskSubmitted", "taskSubmittedEventDetails");
        cJSON_AddItemToObjectCS(d, "resourceType", cJSON_CreateString(rt));
        cJSON_AddItemToObjectCS(d, "resource", cJSON_CreateString(rn));
        add_payload(d, "output", result);
    }
    cJSON_Delete(result);
    set_ph(E, t, PH_TOKEN);
    set_num(t, "hg", 0);
    if (timeout) schedule(E, t, "to", now_ms(E) + (int64_t)timeout * 1000);
    if (hb) schedule(E, t, "hb0", now_ms(E) + (int64_t)hb * 1000);
    return STOP;
}

/* ---- Parallel and Map ---- */

static void launch_item(eng_t *E, cJSON *t, const cJSON *st, int idx);

/* Item idx of a parent's "items" (k=0) or "res" (k=1) array without walking the list each time. */
static cJSON *arr_at(eng_t *E, int k, const cJSON *arr, int idx) {
    if (!arr) return NULL;
    if (E->ac[k].arr != arr) {
        int n = 0;
        for (const cJSON *c = arr->child; c; c = c->next)
            n++;
        free(E->ac[k].v);
        E->ac[k].v = malloc(sizeof(cJSON *) * (size_t)(n ? n : 1));
        n = 0;
        for (cJSON *c = arr->child; c; c = c->next)
            E->ac[k].v[n++] = c;
        E->ac[k].arr = arr;
        E->ac[k].n = n;
    }
    return idx >= 0 && idx < E->ac[k].n ? E->ac[k].v[idx] : NULL;
}

/* Forget the cached arrays (before a parent's arrays are replaced or freed). */
static void arr_forget(eng_t *E) {
    E->ac[0].arr = E->ac[1].arr = NULL;
}

/* res[ix] = item (consumed), as cJSON_ReplaceItemInArray. */
static void res_set(eng_t *E, cJSON *p, int ix, cJSON *item) {
    cJSON *res = tc(E, p, C_RES);
    cJSON *old = arr_at(E, 1, res, ix);
    if (!old) {
        cJSON_Delete(item);
        return;
    }
    cJSON_ReplaceItemViaPointer(res, old, item);
    E->ac[1].v[ix] = item;
}

/* Number of items of a running Map ("nitems"; documents from before it existed: the array). */
static int map_total(eng_t *E, cJSON *p) {
    int n = tc_int(E, p, C_NITEMS, -1);
    return n >= 0 ? n : cJSON_GetArraySize(tc(E, p, C_ITEMS));
}

static int exec_parallel(eng_t *E, cJSON *t, const cJSON *st) {
    asl_err_t e = {{0}, {0}};
    arr_forget(E);
    cJSON *eff = input_path(E, t, st, &e);
    if (!eff) return state_error(E, t, st, e.error, e.cause), STOP;
    if (G(st, "Parameters") || G(st, "Arguments")) {
        scope_buf_t b = {0};
        cJSON *p = G(st, "Arguments")
                       ? jn_field(E, t, G(st, "Arguments"), "Arguments", NULL, NULL, &e) /* JSONata */
                       : asl_template(G(st, "Parameters"), scope(E, t, eff, &b), &e);
        cJSON_Delete(b.ctx);
        cJSON_Delete(eff);
        if (!p) return state_error(E, t, st, e.error, e.cause), STOP;
        eff = p;
    }
    emit(E, t, "ParallelStateStarted", NULL);
    int n = cJSON_GetArraySize(G(st, "Branches"));
    cJSON *res = cJSON_CreateArray();
    for (int i = 0; i < n; i++)
        cJSON_AddItemToArray(res, cJSON_CreateNull());
    set(t, "res", res);
    set_num(t, "pend", n);
    set_num(t, "fails", 0);
    tc_forget(E, t);
    del(t, "kfail");
    set_ph(E, t, PH_KIDS);
    for (int i = 0; i < n; i++) {
        int m = asl_child_machine(E->d, TH(E, t)->m, TH(E, t)->s, i);
        cJSON *c = th_new(E, t, i, m, S(E->d->machines[m], "StartAt"), 1, cJSON_Duplicate(eff, 1));
        ready(E, c);
    }
    cJSON_Delete(eff);
    return STOP;
}

static int exec_map(eng_t *E, cJSON *t, const cJSON *st) {
    asl_err_t e = {{0}, {0}};
    if (G(st, "ItemReader")) {
        /* items would be read from Amazon S3, which awssim does not emulate */
        state_error(
            E, t, st, "States.Runtime",
            "An error occurred while executing the state. ItemReader (reading items from Amazon S3) is not "
            "supported by awssim; pass the items in the state input and use ItemsPath.");
        return STOP;
    }
    cJSON *eff = input_path(E, t, st, &e);
    if (!eff) return state_error(E, t, st, e.error, e.cause), STOP;
    cJSON *items;
    const char *ip = S(st, "ItemsPath");
    scope_buf_t b = {0};
    if (ip)
        items = asl_resolve(ip, scope_path(E, t, eff, &b, ip), "ItemsPath", &e);
    else if (G(st, "Items")) { /* JSONata (jsonata_states.c) */
        items = jn_field(E, t, G(st, "Items"), "Items", NULL, NULL, &e);
        if (!cJSON_IsArray(items)) {
            if (items)
                asl_fail(&e, "States.QueryEvaluationError",
                         "The field 'Items' must evaluate to a JSON array.");
            cJSON_Delete(items);
            cJSON_Delete(eff);
            return state_error(E, t, st, e.error, e.cause), STOP;
        }
    } else
        items = cJSON_Duplicate(eff, 1);
    cJSON_Delete(b.ctx);
    b.ctx = NULL;
    if (!items || !cJSON_IsArray(items)) {
        char *s = dump(items);
        cJSON_Delete(items);
        cJSON_Delete(eff);
        char c[900];
        snprintf(c, sizeof c,
                 "An error occurred while executing the state '%s'. The ItemsPath field '%s' must reference "
                 "a JSON "
                 "array, but it references '%.400s'",
                 TH(E, t)->s, ip ? ip : "$", s);
        free(s);
        state_error(E, t, st, "States.Runtime", c);
        return STOP;
    }
    /* ItemBatcher: group items into {"Items": [...], "BatchInput": ...} */
    const cJSON *ib = G(st, "ItemBatcher");
    if (ib) {
        int per = I(ib, "MaxItemsPerBatch", 0);
        if (per <= 0) per = cJSON_GetArraySize(items);
        if (per <= 0) per = 1;
        cJSON *batches = cJSON_CreateArray(), *cur = NULL;
        int k = 0;
        for (cJSON *c = items->child; c; c = c->next, k++) {
            if (k % per == 0) {
                cJSON *bo = cJSON_CreateObject();
                cur = cJSON_AddArrayToObject(bo, "Items");
                if (G(ib, "BatchInput"))
                    cJSON_AddItemToObject(bo, "BatchInput", cJSON_Duplicate(G(ib, "BatchInput"), 1));
                cJSON_AddItemToArray(batches, bo);
            }
            cJSON_AddItemToArray(cur, cJSON_Duplicate(c, 1));
        }
        cJSON_Delete(items);
        items = batches;
    }
    int n = cJSON_GetArraySize(items);
    cJSON *d = emit(E, t, "MapStateStarted", "mapStateStartedEventDetails");
    cJSON_AddItemToObjectCS(d, "length", cJSON_CreateNumber(n));
    const char *mode = S(G(G(st, "ItemProcessor"), "ProcessorConfig"), "Mode");
    set_num(t, "dist", mode && !strcmp(mode, "DISTRIBUTED"));
    set_num(t, "succ", 0);
    del(t, "mrun");
    if (I(t, "dist", 0) && E->h->map_run) {
        /* AWS: a Distributed Map runs as a map run; its iterations are child executions */
        char *arn = E->h->map_run(E->h->ud, E->x, NULL, TH(E, t)->s, st, "RUNNING", 0, 0, n);
        if (arn) {
            d = emit(E, t, "MapRunStarted", "mapRunStartedEventDetails");
            cJSON_AddItemToObjectCS(d, "mapRunArn", cJSON_CreateString(arn));
            set_str(t, "mrun", arn);
            free(arn);
        }
    }
    cJSON *res = cJSON_CreateArray();
    for (int i = 0; i < n; i++)
        cJSON_AddItemToArray(res, cJSON_CreateNull());
    arr_forget(E);
    set(t, "res", res);
    set(t, "items", items);
    set_num(t, "nitems", n);
    set(t, "eff", eff);
    set_num(t, "pend", n);
    set_num(t, "fails", 0);
    set_num(t, "nextit", 0);
    set_num(t, "running", 0);
    del(t, "kfail");
    set_ph(E, t, PH_KIDS);
    int maxc = task_seconds(E, t, st, "MaxConcurrency", eff, 0);
    if (maxc < 0) maxc = 0;
    set_num(t, "maxc", maxc);
    /* tolerated failures, fixed or read from the input (…Path) */
    del(t, "tcount");
    del(t, "tpct");
    const char *tfields[2][3] = {{"ToleratedFailureCount", "ToleratedFailureCountPath", "tcount"},
                                 {"ToleratedFailurePercentage", "ToleratedFailurePercentagePath", "tpct"}};
    for (int k = 0; k < 2; k++) {
        const cJSON *v = G(st, tfields[k][0]);
        if (cJSON_IsNumber(v)) {
            cJSON_AddItemToObjectCS(t, tfields[k][2], cJSON_CreateNumber(v->valuedouble));
        } else if (S(st, tfields[k][1])) {
            scope_buf_t tb = {0};
            cJSON *r = asl_resolve(S(st, tfields[k][1]), scope(E, t, eff, &tb), tfields[k][1], &e);
            cJSON_Delete(tb.ctx);
            if (!cJSON_IsNumber(r) || r->valuedouble < 0 || (k == 1 && r->valuedouble > 100)) {
                cJSON_Delete(r);
                state_error(
                    E, t, st, "States.Runtime",
                    "An error occurred while executing the state. The tolerated failure path does not "
                    "reference a valid non-negative number.");
                return STOP;
            }
            cJSON_AddItemToObjectCS(t, tfields[k][2], r);
        }
    }
    tc_forget(E, t);
    if (n == 0) {
        set_ph(E, t, PH_JOIN);
        ready(E, t);
        return STOP;
    }
    while (!E->halt && tc_int(E, t, C_NEXTIT, 0) < n && (maxc == 0 || tc_int(E, t, C_RUNNING, 0) < maxc))
        launch_item(E, t, st, tc_int(E, t, C_NEXTIT, 0));
    return STOP;
}

static void launch_item(eng_t *E, cJSON *t, const cJSON *st, int idx) {
    tc_set(E, t, C_NEXTIT, idx + 1);
    tc_set(E, t, C_RUNNING, tc_int(E, t, C_RUNNING, 0) + 1);
    const cJSON *item = arr_at(E, 0, tc(E, t, C_ITEMS), idx);
    cJSON *mi = cJSON_CreateObject();
    cJSON_AddItemToObjectCS(mi, "Index", cJSON_CreateNumber(idx));
    cJSON_AddItemToObjectCS(mi, "Value", cJSON_Duplicate(item, 1));
    const cJSON *sel = G(st, "ItemSelector");
    if (!sel) sel = G(st, "Parameters");
    cJSON *input;
    if (sel) {
        asl_err_t e = {{0}, {0}};
        set(t, "mi", mi);
        scope_buf_t b = {0};
        input = asl_jn_enabled(E->d, st) ? jn_field(E, t, sel, "ItemSelector", NULL, NULL, &e) /* JSONata */
                                         : asl_template(sel, scope(E, t, G(t, "eff"), &b), &e);
        cJSON_Delete(b.ctx);
        mi = detach(t, "mi");
        if (!input) {
            cJSON_Delete(mi);
            exec_failed(E, t, e.error, e.cause);
            return;
        }
    } else
        input = cJSON_Duplicate(item, 1);
    EMIT_ITER(E, t, "MapIterationStarted", idx);
    const asl_sinfo_t *si = sinfo_of(E, t);
    int m = si && si->child >= 0 ? si->child : asl_child_machine(E->d, TH(E, t)->m, TH(E, t)->s, 0);
    cJSON *c = th_new(E, t, idx, m, S(E->d->machines[m], "StartAt"), 1, input);
    cJSON_AddItemToObjectCS(c, "mi", mi);
    ready(E, c);
}

static void abort_children(eng_t *E, cJSON *p) {
    int pid = TH(E, p)->id;
    int again = 1;
    while (again) {
        again = 0;
        for (cJSON *c = E->th->child; c; c = c->next) {
            if (TH(E, c)->p != pid) continue;
            abort_children(E, c);
            const cJSON *pst = state_of(E, p);
            if (!strcmp(type_of(pst), "Map")) {
                EMIT_ITER(E, p, "MapIterationAborted", TH(E, c)->ix);
            }
            th_drop(E, c);
            again = 1;
            break;
        }
    }
}

/* A Parallel branch or Map iteration finished (output consumed) or failed. */
static void child_done(eng_t *E, cJSON *t, cJSON *output, int failed, const char *err, const char *cause) {
    cJSON *p = th_find(E, TH(E, t)->p);
    int ix = TH(E, t)->ix;
    if (p) TH(E, p)->le = TH(E, t)->le;
    th_drop(E, t);
    if (!p || TH(E, p)->ph != PH_KIDS) {
        cJSON_Delete(output);
        return;
    }
    const cJSON *st = state_of(E, p);
    int is_map = !strcmp(type_of(st), "Map");
    tc_set(E, p, C_RUNNING, tc_int(E, p, C_RUNNING, 0) - 1);
    if (failed) {
        if (is_map) {
            EMIT_ITER(E, p, "MapIterationFailed", ix);
            int fails = tc_int(E, p, C_FAILS, 0) + 1;
            tc_set(E, p, C_FAILS, fails);
            int total = map_total(E, p);
            const cJSON *tc = G(p, "tcount"), *tp = G(p, "tpct");
            int tolerated = 0;
            /* AWS: the Map fails when failures exceed both the tolerated count and percentage */
            if (tc || tp) {
                if (tc && fails <= tc->valueint) tolerated = 1;
                if (tp && total > 0 && (double)fails * 100.0 / total <= tp->valuedouble) tolerated = 1;
            }
            if (tolerated) {
                cJSON *eo = cJSON_CreateObject();
                cJSON_AddItemToObjectCS(eo, "Error", cJSON_CreateString(err));
                cJSON_AddItemToObjectCS(eo, "Cause", cJSON_CreateString(cause));
                res_set(E, p, ix, eo);
                output = NULL;
                failed = 0;
                goto account;
            }
            cJSON *kf = cJSON_CreateObject();
            if (tc || tp) {
                cJSON_AddItemToObjectCS(kf, "error",
                                        cJSON_CreateString("States.ExceedToleratedFailureThreshold"));
                cJSON_AddStringToObject(kf, "cause",
                                        "The specified tolerated failure threshold was exceeded");
            } else {
                cJSON_AddItemToObjectCS(kf, "error", cJSON_CreateString(err));
                cJSON_AddItemToObjectCS(kf, "cause", cJSON_CreateString(cause));
            }
            set(p, "kfail", kf);
        } else {
            cJSON *kf = cJSON_CreateObject();
            cJSON_AddItemToObjectCS(kf, "error", cJSON_CreateString(err));
            cJSON_AddItemToObjectCS(kf, "cause", cJSON_CreateString(cause));
            set(p, "kfail", kf);
        }
        abort_children(E, p);
        set_ph(E, p, PH_JOIN);
        ready(E, p);
        return;
    }
    if (is_map) {
        EMIT_ITER(E, p, "MapIterationSucceeded", ix);
        tc_set(E, p, C_SUCC, tc_int(E, p, C_SUCC, 0) + 1);
    }
    res_set(E, p, ix, output);
account:
    tc_set(E, p, C_PEND, tc_int(E, p, C_PEND, 0) - 1);
    if (is_map && tc_int(E, p, C_NEXTIT, 0) < map_total(E, p)) {
        int maxc = tc_int(E, p, C_MAXC, 0);
        while (!E->halt && tc_int(E, p, C_NEXTIT, 0) < map_total(E, p) &&
               (maxc == 0 || tc_int(E, p, C_RUNNING, 0) < maxc))
            launch_item(E, p, st, tc_int(E, p, C_NEXTIT, 0));
    }
    if (tc_int(E, p, C_PEND, 0) == 0) {
        set_ph(E, p, PH_JOIN);
        ready(E, p);
    }
}

static void map_run_end(eng_t *E, cJSON *t, int ok, const char *err, const char *cause) {
    const char *arn = S(t, "mrun");
    if (!arn) return;
    cJSON *d = emit(E, t, ok ? "MapRunSucceeded" : "MapRunFailed", ok ? NULL : "mapRunFailedEventDetails");
    if (d) {
        cJSON_AddItemToObjectCS(d, "error", cJSON_CreateString(err ? err : ""));
        cJSON_AddItemToObjectCS(d, "cause", cJSON_CreateString(cause ? cause : ""));
    }
    if (E->h->map_run) {
        int total = I(t, "pend", 0) + I(t, "succ", 0) + I(t, "fails", 0);
        char *r = E->h->map_run(E->h->ud, E->x, arn, TH(E, t)->s, state_of(E, t), ok ? "SUCCEEDED" : "FAILED",
                                I(t, "succ", 0), I(t, "fails", 0), total);
        free(r);
    }
    del(t, "mrun");
}

/* All children of a Parallel/Map finished (or one failed). */
static int exec_join(eng_t *E, cJSON *t, const cJSON *st) {
    int is_map = !strcmp(type_of(st), "Map");
    arr_forget(E);
    tc_forget(E, t);
    del(t, "nitems");
    del(t, "items");
    del(t, "eff");
    const cJSON *kf = G(t, "kfail");
    if (kf) {
        char err[128], cause[1024];
        snprintf(err, sizeof err, "%s", S(kf, "error"));
        snprintf(cause, sizeof cause, "%s", S(kf, "cause"));
        del(t, "kfail");
        del(t, "res");
        tc_forget(E, t);
        map_run_end(E, t, 0, err, cause);
        emit(E, t, is_map ? "MapStateFailed" : "ParallelStateFailed", NULL);
        set_ph(E, t, PH_EXEC);
        state_error(E, t, st, err, cause);
        return STOP;
    }
    map_run_end(E, t, 1, NULL, NULL);
    emit(E, t, is_map ? "MapStateSucceeded" : "ParallelStateSucceeded", NULL);
    cJSON *res = detach(t, "res");
    tc_forget(E, t);
    const cJSON *rs = G(st, "ResultSelector");
    set_ph(E, t, PH_EXEC);
    if (rs) {
        asl_err_t e = {{0}, {0}};
        scope_buf_t b = {0};
        cJSON *sel = asl_template(rs, scope(E, t, res, &b), &e);
        cJSON_Delete(b.ctx);
        cJSON_Delete(res);
        if (!sel) return state_error(E, t, st, e.error, e.cause), STOP;
        res = sel;
    }
    return finish_state(E, t, st, res, NULL);
}

/* ---- driver ---- */

/* The history filled up while the engine ran: the execution fails (the 25,000th event). */
static void hist_check(eng_t *E) {
    if (E->histfull && !strcmp(S(E->x, "status"), "RUNNING")) {
        E->halt = 0;
        exec_failed(E, NULL, "States.Runtime",
                    "The execution reached the maximum number of history events (25000).");
    }
}

static void run_thread(eng_t *E, cJSON *t) {
    while (!E->halt) {
        phase_t ph = TH(E, t)->ph;
        const asl_sinfo_t *si = sinfo_of(E, t);
        if (!si) {
            exec_failed(E, t, "States.Runtime", "Unknown state");
            return;
        }
        const cJSON *st = si->st;
        if (ph == PH_ENTER) {
            size_t len = 0;
            long off;
            if (E->pin.t == t && E->pin.g == TH(E, t)->g && E->pin.off >= 0) /* after a plain Pass */
                off = emit_state_si(E, t, si->entered, si, 1, NULL, E->pin.len, E->pin.off, NULL, &len);
            else
                off = emit_state_si(E, t, si->entered, si, 1, NULL, 0, -1, G(t, "in"), &len);
            TH(E, t)->etms = (double)(now_ms(E) - E->start);
            TH(E, t)->has_etms = 1;
            set_ph(E, t, PH_EXEC);
            /* a plain Pass exits with the input it entered with: its text is reused */
            E->pin.t = t;
            E->pin.g = TH(E, t)->g;
            E->pin.off = off;
            E->pin.len = len;
            continue;
        }
        int r;
        if (ph == PH_JOIN)
            r = exec_join(E, t, st);
        else if (ph != PH_EXEC)
            return;
        else {
            switch (si->type) {
            case ASL_ST_PASS:
                r = (si->flags & ASL_SF_PLAIN_PASS) ? exec_plain_pass(E, t, si) : exec_pass(E, t, st);
                break;
            case ASL_ST_TASK:
                r = exec_task(E, t, st);
                break;
            case ASL_ST_CHOICE:
                r = exec_choice(E, t, st);
                break;
            case ASL_ST_WAIT:
                r = exec_wait(E, t, st);
                break;
            case ASL_ST_SUCCEED:
                r = exec_succeed(E, t, st);
                break;
            case ASL_ST_FAIL:
                r = exec_fail(E, t, st);
                break;
            case ASL_ST_PARALLEL:
                r = exec_parallel(E, t, st);
                break;
            case ASL_ST_MAP:
                r = exec_map(E, t, st);
                break;
            default:
                r = STOP;
            }
        }
        if (r == STOP) return;
    }
}

static void drain(eng_t *E) {
    while (E->rhead < E->nready && !E->halt) {
        cJSON *t = E->ready[E->rhead++];
        phase_t ph = TH(E, t)->ph;
        if (ph == PH_NONE || ph == PH_DEAD) continue;
        run_thread(E, t);
    }
    hist_check(E);
}

/* Append text (n bytes, comma-separated events) and count events to x's pending history. */
static void pending_append(cJSON *x, const char *text, size_t n, int count) {
    if (!count) return;
    cJSON *pt = (cJSON *)G(x, "evt");
    if (!cJSON_IsString(pt)) {
        del(x, "evt");
        pt = cJSON_CreateString("");
        cJSON_AddItemToObjectCS(x, "evt", pt);
    }
    size_t old = strlen(pt->valuestring);
    pt->valuestring = realloc(pt->valuestring, old + n + 2); /* the exact size */
    char *p = pt->valuestring + old;
    if (old) *p++ = ',';
    memcpy(p, text, n);
    p[n] = 0;
    set_num(x, "evn", I(x, "evn", 0) + count);
}

static void eng_init(eng_t *E, asl_host_t *h, const asl_def_t *d, cJSON *x) {
    memset(E, 0, sizeof *E);
    asl_buf_reserve(&E->hist, 4096); /* the history text written during this call */
    E->hist.b[0] = 0;
    E->h = h;
    E->d = d;
    E->x = x;
    E->th = (cJSON *)G(x, "th");
    E->histfull = G(x, "histfull") != NULL;
    E->dead = cJSON_CreateArray();
    E->halt = strcmp(S(x, "status"), "RUNNING") != 0;
    cJSON *legacy = detach(x, "ev");
    if (cJSON_GetArraySize(legacy) > 0) {
        /* documents written before the history was kept as text: unsaved events as an array */
        char *t = asl_json_print(legacy);
        pending_append(x, t + 1, strlen(t) - 2, cJSON_GetArraySize(legacy));
        free(t);
    }
    cJSON_Delete(legacy);
    /* "nev" counts the events the host stored apart, "evn" those in the pending text "evt" */
    E->nev = I(x, "nev", 0) + I(x, "evn", 0);
    E->start = (int64_t)cJSON_GetNumberValue(G(x, "start"));
}

static void eng_done(eng_t *E) {
    th_flush_all(E);
    seal(E);
    if (E->hcount && !G(E->x, "evt")) {
        /* the usual case: the text becomes x's pending history as it is */
        cJSON *pt = cJSON_CreateString("");
        free(pt->valuestring);
        pt->valuestring = E->hist.b;
        E->hist.b = NULL;
        cJSON_AddItemToObjectCS(E->x, "evt", pt);
        set_num(E->x, "evn", E->hcount);
    } else
        pending_append(E->x, E->hist.b, E->hist.n, E->hcount);
    free(E->hist.b);
    free(E->tix);
    free(E->ac[0].v);
    free(E->ac[1].v);
    free(E->ready);
    cJSON_Delete(E->dead);
}

cJSON *asl_exec_create(const asl_def_t *d, cJSON *input, cJSON *context, int64_t now_ms_v, int timeout_s) {
    cJSON *x = cJSON_CreateObject();
    cJSON_AddItemToObjectCS(x, "status", cJSON_CreateString("RUNNING"));
    cJSON_AddItemToObjectCS(x, "start", cJSON_CreateNumber((double)now_ms_v));
    cJSON_AddItemToObject(x, "ctx", context ? context : cJSON_CreateObject());
    cJSON_AddArrayToObject(x, "th");
    cJSON_AddItemToObjectCS(x, "nt", cJSON_CreateNumber(0));
    const cJSON *to = G(d->root, "TimeoutSeconds");
    if (timeout_s <= 0 && cJSON_IsNumber(to)) timeout_s = to->valueint;
    if (timeout_s > 0) cJSON_AddItemToObjectCS(x, "timeout", cJSON_CreateNumber(timeout_s));
    cJSON_AddItemToObject(x, "input", input ? input : cJSON_CreateObject());
    return x;
}

cJSON *asl_exec_new(const asl_def_t *d, const char *input_text, const cJSON *context, int64_t now_ms_v,
                    int timeout_s) {
    return asl_exec_create(d, cJSON_Parse(input_text ? input_text : "{}"),
                           context ? cJSON_Duplicate(context, 1) : NULL, now_ms_v, timeout_s);
}

static void start_if_new(eng_t *E) {
    if (G(E->x, "started")) return;
    set(E->x, "started", cJSON_CreateTrue());
    if (emit_now(E, NULL, "ExecutionStarted")) {
        asl_buf_t *b = &E->hist;
        PUT_LIT(b, ",\"executionStartedEventDetails\":{");
        put_payload(b, 0, G(E->x, "input"));
        const cJSON *ctx = G(E->x, "ctx");
        const char *role = E->h->role_arn ? E->h->role_arn : S(G(ctx, "Execution"), "RoleArn");
        if (role) {
            PUT_LIT(b, ",\"roleArn\":");
            asl_buf_str(b, role);
        }
        const char *ver = S(E->x, "versionArn"), *alias = S(E->x, "aliasArn");
        if (alias) {
            PUT_LIT(b, ",\"stateMachineAliasArn\":");
            asl_buf_str(b, alias);
        }
        if (ver) {
            PUT_LIT(b, ",\"stateMachineVersionArn\":");
            asl_buf_str(b, ver);
        }
        PUT_LIT(b, "}}");
    }
    if (I(E->x, "timeout", 0) > 0)
        schedule(E, NULL, "exec", now_ms(E) + (int64_t)I(E->x, "timeout", 0) * 1000);
    cJSON *t = th_new(E, NULL, 0, 0, S(E->d->root, "StartAt"), 1, cJSON_Duplicate(G(E->x, "input"), 1));
    TH(E, t)->le = 0;
    if (G(E->x, "initVars")) set(t, "vars", cJSON_Duplicate(G(E->x, "initVars"), 1));
    ready(E, t);
}

int asl_run(asl_host_t *h, const asl_def_t *d, cJSON *x) {
    eng_t E;
    eng_init(&E, h, d, x);
    if (!E.halt) {
        start_if_new(&E);
        for (cJSON *t = E.th->child; t; t = t->next) {
            phase_t ph = TH(&E, t)->ph;
            if (ph == PH_ENTER || ph == PH_EXEC || ph == PH_JOIN) {
                int dup = 0;
                for (int i = 0; i < E.nready; i++)
                    dup |= E.ready[i] == t;
                if (!dup) ready(&E, t);
            }
        }
        drain(&E);
    }
    eng_done(&E);
    return 0;
}

int asl_on_timer(asl_host_t *h, const asl_def_t *d, cJSON *x, const char *payload) {
    cJSON *p = cJSON_Parse(payload);
    if (!p) return -1;
    eng_t E;
    eng_init(&E, h, d, x);
    const char *k = S(p, "k");
    if (!E.halt && k) {
        if (!strcmp(k, "exec")) {
            cJSON *dd = emit(&E, NULL, "ExecutionTimedOut", "executionTimedOutEventDetails");
            cJSON_AddItemToObjectCS(dd, "error", cJSON_CreateString("States.Timeout"));
            cJSON_AddItemToObjectCS(dd, "cause", cJSON_CreateString("The execution timed out."));
            set_str(x, "error", "States.Timeout");
            set_str(x, "cause", "The execution timed out.");
            cJSON *root = E.th->child;
            if (root) {
                cJSON *rd = cJSON_CreateObject();
                while (root && TH(&E, root)->p >= 0)
                    root = root->next;
                if (root) {
                    cJSON_AddItemToObjectCS(rd, "s", cJSON_CreateString(TH(&E, root)->s));
                    cJSON_AddItemToObject(rd, "in", cJSON_Duplicate(G(root, "in"), 1));
                    cJSON_AddItemToObject(rd, "vars", cJSON_Duplicate(G(root, "vars"), 1));
                }
                set(x, "redrive", rd);
            }
            finish_execution(&E, "TIMED_OUT");
        } else {
            cJSON *t = th_find(&E, I(p, "t", -1));
            if (t && TH(&E, t)->g == I(p, "g", -1)) {
                const cJSON *st = state_of(&E, t);
                phase_t ph = TH(&E, t)->ph;
                if (!strcmp(k, "wait") && ph == PH_WAIT) {
                    asl_err_t e = {{0}, {0}};
                    set_ph(&E, t, PH_EXEC);
                    cJSON *eff = input_path(&E, t, st, &e);
                    if (!eff)
                        state_error(&E, t, st, e.error, e.cause);
                    else if (finish_output(&E, t, st, eff, NULL, NULL) == CONT)
                        ready(&E, t);
                } else if (!strcmp(k, "retry") && ph == PH_RETRY) {
                    set_ph(&E, t, PH_EXEC);
                    ready(&E, t);
                } else if (!strcmp(k, "to") && ph == PH_TOKEN) {
                    set_ph(&E, t, PH_EXEC);
                    task_failure(&E, t, st, "States.Timeout", "", 1);
                }
            }
            /* heartbeat timers carry the heartbeat generation in the kind: hb<N> */
            if (t && !strncmp(k, "hb", 2) && TH(&E, t)->ph == PH_TOKEN && atoi(k + 2) == I(t, "hg", 0)) {
                const cJSON *st = state_of(&E, t);
                set_ph(&E, t, PH_EXEC);
                task_failure(&E, t, st, "States.HeartbeatTimeout", "", 1);
            }
        }
        drain(&E);
    }
    cJSON_Delete(p);
    eng_done(&E);
    return 0;
}

static cJSON *find_token(eng_t *E, const char *token) {
    for (cJSON *t = E->th->child; t; t = t->next) {
        const char *tk = S(t, "tok");
        if (tk && !strcmp(tk, token)) return t;
    }
    return NULL;
}

int asl_on_token(asl_host_t *h, const asl_def_t *d, cJSON *x, const char *token, int ok, const char *output,
                 const char *error, const char *cause) {
    eng_t E;
    eng_init(&E, h, d, x);
    cJSON *t = E.halt ? NULL : find_token(&E, token);
    if (!t || TH(&E, t)->ph != PH_TOKEN) {
        eng_done(&E);
        return -1;
    }
    const cJSON *st = state_of(&E, t);
    if (ok == 2) {
        int hg = I(t, "hg", 0) + 1;
        set_num(t, "hg", hg);
        int hb = task_seconds(&E, t, st, "HeartbeatSeconds", G(t, "in"), 0);
        if (hb > 0) {
            char kind[32];
            snprintf(kind, sizeof kind, "hb%d", hg);
            char payload[128];
            snprintf(payload, sizeof payload, "{\"t\":%d,\"k\":\"%s\",\"g\":%d}", TH(&E, t)->id, kind,
                     TH(&E, t)->g);
            if (h->timer) h->timer(h->ud, x, now_ms(&E) + (int64_t)hb * 1000, payload);
        }
    } else if (ok == 3) {
        cJSON *dd = emit(&E, t, "ActivityStarted", "activityStartedEventDetails");
        if (output && *output) cJSON_AddItemToObjectCS(dd, "workerName", cJSON_CreateString(output));
    } else if (ok == 1) {
        cJSON *v = cJSON_Parse(output ? output : "null");
        if (!v) v = cJSON_CreateNull();
        set_ph(&E, t, PH_EXEC);
        if (task_success(&E, t, st, v) == CONT) ready(&E, t);
    } else {
        set_ph(&E, t, PH_EXEC);
        task_failure(&E, t, st, error ? error : "", cause ? cause : "", 0);
    }
    drain(&E);
    eng_done(&E);
    return 0;
}

int asl_stop(asl_host_t *h, const asl_def_t *d, cJSON *x, const char *error, const char *cause) {
    eng_t E;
    eng_init(&E, h, d, x);
    if (!E.halt) {
        cJSON *dd = emit(&E, NULL, "ExecutionAborted", "executionAbortedEventDetails");
        if (error) cJSON_AddItemToObjectCS(dd, "error", cJSON_CreateString(error));
        if (cause) cJSON_AddItemToObjectCS(dd, "cause", cJSON_CreateString(cause));
        if (error) set_str(x, "error", error);
        if (cause) set_str(x, "cause", cause);
        cJSON *root = NULL;
        for (cJSON *t = E.th->child; t; t = t->next)
            if (TH(&E, t)->p < 0) root = t;
        if (root) {
            cJSON *rd = cJSON_CreateObject();
            cJSON_AddItemToObjectCS(rd, "s", cJSON_CreateString(TH(&E, root)->s));
            cJSON_AddItemToObject(rd, "in", cJSON_Duplicate(G(root, "in"), 1));
            cJSON_AddItemToObject(rd, "vars", cJSON_Duplicate(G(root, "vars"), 1));
            set(x, "redrive", rd);
        }
        finish_execution(&E, "ABORTED");
    }
    eng_done(&E);
    return 0;
}

int asl_redrive(asl_host_t *h, const asl_def_t *d, cJSON *x) {
    const char *st = S(x, "status");
    const cJSON *rd = G(x, "redrive");
    if (!st || !rd || !S(rd, "s") || !strcmp(st, "RUNNING") || !strcmp(st, "SUCCEEDED")) return -1;
    eng_t E;
    eng_init(&E, h, d, x);
    set_str(x, "status", "RUNNING");
    del(x, "error");
    del(x, "cause");
    del(x, "stop");
    del(x, "histfull");
    E.histfull = 0;
    int rc = I(x, "redriveCount", 0) + 1;
    set_num(x, "redriveCount", rc);
    E.halt = 0;
    cJSON *dd = emit(&E, NULL, "ExecutionRedriven", "executionRedrivenEventDetails");
    cJSON_AddItemToObjectCS(dd, "redriveCount", cJSON_CreateNumber(rc));
    cJSON *t = th_new(&E, NULL, 0, 0, S(rd, "s"), 0, cJSON_Duplicate(G(rd, "in"), 1));
    set(t, "vars", cJSON_Duplicate(G(rd, "vars"), 1));
    TH(&E, t)->le = E.nev;
    ready(&E, t);
    drain(&E);
    eng_done(&E);
    return 0;
}

const char *asl_status(const cJSON *x) {
    return S(x, "status");
}

char *asl_history_take(cJSON *x, int *count, int *stored) {
    int n = I(x, "evn", 0), before = I(x, "nev", 0);
    cJSON *pt = detach(x, "evt");
    del(x, "evn");
    char *text = NULL;
    if (cJSON_IsString(pt) && n > 0) {
        text = pt->valuestring;
        pt->valuestring = NULL;
    } else
        n = 0;
    cJSON_Delete(pt);
    set_num(x, "nev", before + n);
    if (count) *count = n;
    if (stored) *stored = before;
    return text;
}

cJSON *asl_history_pending(const cJSON *x) {
    const char *t = S(x, "evt");
    if (!t) return cJSON_CreateArray();
    size_t n = strlen(t);
    char *a = malloc(n + 3);
    a[0] = '[';
    memcpy(a + 1, t, n);
    a[n + 1] = ']';
    a[n + 2] = 0;
    cJSON *ev = cJSON_Parse(a);
    free(a);
    return ev ? ev : cJSON_CreateArray();
}

int asl_history_stored(const cJSON *x) {
    return I(x, "nev", 0);
}

void asl_history_absolute(cJSON *x, cJSON *events) {
    double start = cJSON_GetNumberValue(G(x, "start"));
    for (cJSON *e = events ? events->child : NULL; e; e = e->next) {
        if (cJSON_IsArray(e)) {
            cJSON *o = expand_event(e);
            if (o) {
                cJSON_ReplaceItemViaPointer(events, e, o);
                e = o;
            }
        }
        cJSON *ts = (cJSON *)G(e, "timestamp");
        if (ts) cJSON_SetNumberValue(ts, (start + ts->valuedouble) / 1000.0);
        for (cJSON *d = e->child; d; d = d->next) {
            if (!cJSON_IsObject(d)) continue;
            /* "$input": value -> "input": JSON text */
            for (cJSON *f = d->child; f; f = f->next) {
                if (!f->string || f->string[0] != '$') continue;
                char *text = asl_json_print(f);
                cJSON *str = cJSON_CreateString(text);
                free(text);
                str->string = strdup(f->string + 1);
                cJSON_ReplaceItemViaPointer(d, f, str);
                f = str;
            }
        }
    }
}
