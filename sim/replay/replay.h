/*
 * replay.h — the scenario runner behind `awssim replay` (issue 7).
 *
 * A scenario (scenarios/NAME.json, described by scenarios/schema.json) is loaded and validated
 * (rp_load), then run in a forked child against a private in-process sim on a virtual clock
 * (rp_run_scenario), which writes one result document (deterministic JSON). The parent
 * aggregates results into the console summary, JUnit XML and the HTML report (rp_report_*).
 */
#ifndef AWSSIM_REPLAY_H
#define AWSSIM_REPLAY_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "core/sim.h"

/* ---- loading and validation (rp_load.c) ---- */
/* Built on the first lookup (only errors need lines): until then it holds a copy of the text. */
typedef struct rp_linemap {
    int n, cap;
    char **path; /* "steps[3].seconds" */
    int *line;
    char *text; /* the JSON text, until the map is built */
} rp_linemap_t;

typedef struct rp_scenario {
    char file[1024];
    char name[256];
    cJSON *doc; /* the whole scenario */
    rp_linemap_t lines;
    int pending; /* "status": "pending" */
} rp_scenario_t;

/* Load and validate FILE. 0 ok; -1 with err = "FILE:LINE: step N "name" (kind): field "x": why". */
int rp_load(const char *file, rp_scenario_t *sc, char *err, size_t errn);
/* The same on text already in memory (NUL-terminated); `file` only names it in errors. */
int rp_load_text(const char *file, const char *text, rp_scenario_t *sc, char *err, size_t errn);
void rp_scenario_free(rp_scenario_t *sc);
/* The schema text (scenarios/schema.json embedded at build time, rp_schema.c). */
extern const char replay_schema_json[];
/* Validate `inst` against JSON Schema `schema` (subset: type, properties, required,
 * additionalProperties, enum, const, items, minItems, minimum, maximum, minLength, pattern, $ref,
 * allOf, anyOf, if/then/else). 0 valid; -1 with path (e.g. "steps[2].seconds") and message. */
int rp_schema_validate(const cJSON *root, const cJSON *schema, const cJSON *inst, char *path, size_t pathn,
                       char *msg, size_t msgn);
/* Line of the value at path (or its nearest ancestor); 1 when unknown. Builds the map if needed. */
int rp_line_of(rp_linemap_t *m, const char *path);
/* The path → line map of JSON text (assumed valid JSON), built when first looked up. */
void rp_linemap_build(rp_linemap_t *m, const char *text);
void rp_linemap_free(rp_linemap_t *m);

/* ---- expressions (rp_expr.c) ---- */
/* Evaluate an assertion path: JSONPath subset of sim/asl/jsonpath.c plus a trailing ".length()".
 * Returns a new value or NULL when nothing matched. */
cJSON *rp_path_get(const cJSON *root, const char *path);
int rp_path_valid(const char *path);
/* Replace ${...} references in a copy of v. vars: {"outputs":{...},"steps":{...},...}.
 * A string that is exactly one reference takes the referenced value's type.
 * On an undefined reference returns NULL and names it in err. */
cJSON *rp_interpolate(const cJSON *v, const cJSON *vars, char *err, size_t errn);
/* Check that every ${steps.X...} in v names a step defined before; ${outputs.*} needs a deploy
 * before. 0 ok, -1 with the offending reference in err. */
int rp_refs_check(const cJSON *v, const cJSON *known_steps, int have_deploy, char *err, size_t errn);
/* One assertion {"path": ..., "<op>": value}: 1 holds, 0 not (actual set, new), -1 bad. */
int rp_assert(const cJSON *doc, const cJSON *assertion, cJSON **actual, char *why, size_t whyn);
extern const char *const RP_ASSERT_OPS[];

/* ---- running (rp_run.c) ---- */
typedef struct rp_opts {
    char root[1024];    /* repository root (programs, mocks) */
    char workdir[1024]; /* per-scenario work directory (cfn-outputs/, snapshots) */
    int verbose;
    const char *prefix;        /* console prefix when scenarios run in parallel, or NULL */
    const char *progress_file; /* the current step index is written here (for the parent's timeout message) */
} rp_opts_t;

/* Run one loaded scenario; returns the result document (new). Console: one line per step. */
cJSON *rp_run_scenario(rp_scenario_t *sc, const rp_opts_t *o);

/* ---- timeline and graphs (rp_sample.c) ---- */
typedef struct rp_timeline {
    cJSON *series;   /* object: id -> {"label","kind","unit","points":[[t_ms, value], ...]} */
    cJSON *accounts; /* array of account ids to sample */
    const char *region;
} rp_timeline_t;

void rp_timeline_init(rp_timeline_t *t, const cJSON *accounts, const char *region);
void rp_sample(sim_t *s, rp_timeline_t *t);
/* Order series by key (the sampling order follows creation order, which programs may vary). */
void rp_timeline_sort(rp_timeline_t *t);
/* Final state-machine graphs with executed paths: array of {"name","arn","definition",
 * "executions":[{"name","status","entered":[...],"transitions":[[a,b],...]}]}. */
cJSON *rp_machine_graphs(sim_t *s, const cJSON *accounts, const char *region);

/* ---- reports (rp_report.c) ---- */
int rp_write_junit(const char *path, cJSON *results);
int rp_write_html(const char *dir, cJSON *results);
/* Deterministic JSON text (2-space indent, members in insertion order). Caller frees. */
char *rp_json_text(const cJSON *v);

/* ---- small helpers (rp_util.c) ---- */
char *rp_read_file(const char *path, size_t *len);
int rp_write_file(const char *path, const char *text);
int rp_mkdirs(const char *path);

#endif
