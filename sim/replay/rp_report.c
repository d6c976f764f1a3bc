/*
 * rp_report.c — the replay reports: JUnit XML, and a self-contained HTML report (no network,
 * no script) with, per scenario, the steps with pass/fail and the failing assertions' actual
 * values, an SVG timeline over virtual time (Route 53 weights and health, DMS progress, lag and
 * status, Step Functions execution states, step markers), and an SVG graph of every state
 * machine that ran with the states its executions entered highlighted (a layered layout).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/util.h"
#include "replay/replay.h"

static const char *sget(const cJSON *o, const char *k) {
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k));
}

static void esc(strbuf_t *b, const char *s) {
    sb_xml_escape(b, s ? s : "");
}

/* ---- JUnit ---- */

int rp_write_junit(const char *path, cJSON *results) {
    int n = 0, fails = 0, errors = 0, skips = 0;
    double total = 0;
    const cJSON *r;
    cJSON_ArrayForEach(r, results) {
        const char *st = sget(r, "status");
        n++;
        if (strcmp(st, "failed") == 0)
            fails++;
        else if (strcmp(st, "error") == 0)
            errors++;
        else if (strcmp(st, "skipped") == 0)
            skips++;
        total += cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(r, "wallSeconds"));
    }
    strbuf_t b;
    sb_init(&b);
    sb_printf(&b,
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
              "<testsuite name=\"awssim-replay\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\" "
              "time=\"%.3f\">\n",
              n, fails, errors, skips, total);
    cJSON_ArrayForEach(r, results) {
        const char *st = sget(r, "status");
        double wall = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(r, "wallSeconds"));
        sb_puts(&b, "  <testcase classname=\"scenarios.");
        esc(&b, sget(r, "program"));
        sb_puts(&b, "\" name=\"");
        esc(&b, sget(r, "name"));
        sb_printf(&b, "\" file=\"");
        esc(&b, sget(r, "file"));
        sb_printf(&b, "\" time=\"%.3f\"", isnan(wall) ? 0.0 : wall);
        if (strcmp(st, "passed") == 0) {
            sb_puts(&b, "/>\n");
            continue;
        }
        const char *tag = strcmp(st, "skipped") == 0 ? "skipped"
                          : strcmp(st, "error") == 0 ? "error"
                                                     : "failure";
        sb_printf(&b, ">\n    <%s message=\"", tag);
        esc(&b, sget(r, "message"));
        sb_puts(&b, "\">");
        const cJSON *s;
        cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(r, "steps")) {
            sb_printf(&b, "[%d] ", cJSON_GetObjectItemCaseSensitive(s, "index")->valueint);
            esc(&b, sget(s, "title"));
            sb_puts(&b, " ... ");
            esc(&b, sget(s, "status"));
            if (sget(s, "message")) {
                sb_puts(&b, ": ");
                esc(&b, sget(s, "message"));
            }
            sb_puts(&b, "\n");
        }
        sb_printf(&b, "</%s>\n  </testcase>\n", tag);
    }
    sb_puts(&b, "</testsuite>\n</testsuites>\n");
    char *t = sb_detach(&b, NULL);
    int rc = rp_write_file(path, t);
    free(t);
    return rc;
}

/* ---- SVG timeline ---- */

#define TL_W 980
#define TL_L 230 /* label column */
#define TL_R 20

static const char *PALETTE[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728",
                                "#9467bd", "#8c564b", "#e377c2", "#17becf"};

static const char *state_color(const char *v) {
    if (!v) return "#bbb";
    static const struct {
        const char *k, *c;
    } map[] = {{"healthy", "#2ca02c"},   {"unhealthy", "#d62728"},       {"RUNNING", "#1f77b4"},
               {"SUCCEEDED", "#2ca02c"}, {"FAILED", "#d62728"},          {"TIMED_OUT", "#ff7f0e"},
               {"ABORTED", "#7f7f7f"},   {"PENDING_REDRIVE", "#9467bd"}, {"running", "#1f77b4"},
               {"starting", "#aec7e8"},  {"ready", "#c7c7c7"},           {"stopped", "#7f7f7f"},
               {"failed", "#d62728"},    {"creating", "#dbdb8d"},        {"stopping", "#ffbb78"},
               {"deleting", "#c49c94"},  {"testing", "#f7b6d2"},         {"moving", "#c5b0d5"}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(map[i].k, v) == 0) return map[i].c;
    return "#bcbd22";
}

typedef struct {
    int64_t t0, t1;
} span_t;

static double xpos(const span_t *sp, double t) {
    double f = (t - (double)sp->t0) / (double)(sp->t1 - sp->t0);
    if (f < 0) f = 0;
    if (f > 1) f = 1;
    return TL_L + f * (TL_W - TL_L - TL_R);
}

static void fmt_rel(int64_t ms, char *out, size_t n) {
    long s = (long)(ms / 1000);
    if (s >= 3600)
        snprintf(out, n, "+%ldh%02ld", s / 3600, s / 60 % 60);
    else if (s >= 60)
        snprintf(out, n, "+%ldm%s", s / 60, s % 60 ? "" : "");
    else
        snprintf(out, n, "+%lds", s);
}

static int has_kind(const cJSON *series, const char *kind) {
    const cJSON *s;
    cJSON_ArrayForEach(s, series) if (strcmp(sget(s, "kind"), kind) == 0) return 1;
    return 0;
}

/* A line chart of all series of `kind` (numbers), y from 0 to max. */
static int chart(strbuf_t *b, const cJSON *series, const char *kind, const char *title, const span_t *sp,
                 int y0, double fixed_max) {
    const int H = 110;
    double mx = fixed_max;
    const cJSON *s, *p;
    if (mx <= 0) {
        cJSON_ArrayForEach(s, series) {
            if (strcmp(sget(s, "kind"), kind) != 0) continue;
            cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(s, "points")) {
                double v = cJSON_GetArrayItem(p, 1)->valuedouble;
                if (v > mx) mx = v;
            }
        }
        if (mx <= 0) mx = 1;
        mx *= 1.1;
    }
    sb_printf(b, "<text x=\"4\" y=\"%d\" class=\"lane-title\">", y0 + 12);
    esc(b, title);
    sb_printf(b, "</text>\n<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" class=\"plot\"/>\n", TL_L, y0,
              TL_W - TL_L - TL_R, H);
    sb_printf(b, "<text x=\"%d\" y=\"%d\" class=\"axis\" text-anchor=\"end\">%g</text>\n", TL_L - 4, y0 + 10,
              round(mx * 10) / 10);
    sb_printf(b, "<text x=\"%d\" y=\"%d\" class=\"axis\" text-anchor=\"end\">0</text>\n", TL_L - 4, y0 + H);
    int ci = 0, legend_y = y0 + 28;
    cJSON_ArrayForEach(s, series) {
        if (strcmp(sget(s, "kind"), kind) != 0) continue;
        const char *color = PALETTE[ci++ % 8];
        sb_printf(b, "<polyline class=\"series\" data-series=\"");
        esc(b, s->string);
        sb_printf(b, "\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"", color);
        double lastx = -1, lasty = 0;
        cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(s, "points")) {
            double x = xpos(sp, cJSON_GetArrayItem(p, 0)->valuedouble);
            double y = y0 + H - cJSON_GetArrayItem(p, 1)->valuedouble / mx * H;
            if (lastx >= 0) sb_printf(b, "%.1f,%.1f ", x, lasty);
            sb_printf(b, "%.1f,%.1f ", x, y);
            lastx = x;
            lasty = y;
        }
        if (lastx >= 0) sb_printf(b, "%.1f,%.1f", xpos(sp, (double)sp->t1), lasty);
        sb_puts(b, "\"/>\n");
        if (legend_y < y0 + H + 40) {
            sb_printf(b,
                      "<rect x=\"4\" y=\"%d\" width=\"10\" height=\"3\" fill=\"%s\"/><text x=\"18\" y=\"%d\" "
                      "class=\"legend\">",
                      legend_y - 4, color, legend_y);
            char lab[64];
            const char *l = sget(s, "label");
            snprintf(lab, sizeof lab, "%.34s", l + (strncmp(l, "weight ", 7) == 0 ? 7 : 0));
            esc(b, lab);
            sb_puts(b, "</text>\n");
            legend_y += 13;
        }
    }
    return y0 + H + 14;
}

/* One band per series of `kind` (string states). */
static int bands(strbuf_t *b, const cJSON *series, const char *kind, const span_t *sp, int y0) {
    const cJSON *s, *p;
    cJSON_ArrayForEach(s, series) {
        if (strcmp(sget(s, "kind"), kind) != 0) continue;
        char lab[48];
        snprintf(lab, sizeof lab, "%.36s", sget(s, "label"));
        sb_printf(b, "<text x=\"4\" y=\"%d\" class=\"legend\"><title>", y0 + 11);
        esc(b, sget(s, "label"));
        sb_puts(b, "</title>");
        esc(b, lab);
        sb_puts(b, "</text>\n");
        const cJSON *pts = cJSON_GetObjectItemCaseSensitive(s, "points");
        int n = cJSON_GetArraySize(pts);
        for (int i = 0; i < n; i++) {
            p = cJSON_GetArrayItem(pts, i);
            double t = cJSON_GetArrayItem(p, 0)->valuedouble;
            double tn = i + 1 < n ? cJSON_GetArrayItem(cJSON_GetArrayItem(pts, i + 1), 0)->valuedouble
                                  : (double)sp->t1;
            const char *v = cJSON_GetStringValue(cJSON_GetArrayItem(p, 1));
            double x0 = xpos(sp, t), x1 = xpos(sp, tn);
            if (x1 - x0 < 1) x1 = x0 + 1;
            sb_printf(b, "<rect class=\"band\" data-state=\"");
            esc(b, v);
            sb_printf(b, "\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"14\" fill=\"%s\"><title>", x0, y0,
                      x1 - x0, state_color(v));
            esc(b, v);
            sb_puts(b, "</title></rect>\n");
            if (x1 - x0 > 8.0 * (double)strlen(v ? v : "")) {
                sb_printf(b, "<text x=\"%.1f\" y=\"%d\" class=\"bandtext\">", x0 + 3, y0 + 11);
                esc(b, v);
                sb_puts(b, "</text>\n");
            }
        }
        y0 += 18;
    }
    return y0;
}

static void timeline_svg(strbuf_t *b, const cJSON *r) {
    const cJSON *series =
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(r, "timeline"), "series");
    span_t sp = {parse_iso8601(sget(r, "start")), parse_iso8601(sget(r, "end"))};
    if (sp.t0 < 0) return;
    /* the axis starts where the leading deploy steps ended (their virtual time is a settle quantum) */
    const cJSON *s0;
    cJSON_ArrayForEach(s0, cJSON_GetObjectItemCaseSensitive(r, "steps")) {
        if (strcmp(sget(s0, "kind"), "deploy") != 0) {
            if (sget(s0, "at")) sp.t0 = parse_iso8601(sget(s0, "at"));
            break;
        }
    }
    if (sp.t1 <= sp.t0) sp.t1 = sp.t0 + 1000;
    strbuf_t body;
    sb_init(&body);
    int y = 22;
    if (has_kind(series, "weight")) y = chart(&body, series, "weight", "Route 53 weights", &sp, y, 0);
    if (has_kind(series, "health")) {
        sb_printf(&body, "<text x=\"4\" y=\"%d\" class=\"lane-title\">Route 53 health checks</text>\n",
                  y + 10);
        y = bands(&body, series, "health", &sp, y + 16) + 6;
    }
    if (has_kind(series, "progress")) y = chart(&body, series, "progress", "DMS full load %", &sp, y, 100);
    if (has_kind(series, "lag")) y = chart(&body, series, "lag", "DMS CDC lag (s)", &sp, y, 0);
    if (has_kind(series, "status")) {
        sb_printf(&body, "<text x=\"4\" y=\"%d\" class=\"lane-title\">DMS task status</text>\n", y + 10);
        y = bands(&body, series, "status", &sp, y + 16) + 6;
    }
    if (has_kind(series, "execution")) {
        sb_printf(&body, "<text x=\"4\" y=\"%d\" class=\"lane-title\">Step Functions executions</text>\n",
                  y + 10);
        y = bands(&body, series, "execution", &sp, y + 16) + 6;
    }
    if (y == 22) {
        sb_free(&body);
        return;
    }
    /* axis: ticks at a round interval, step markers */
    static const int64_t steps_ms[] = {1000,    5000,    10000,   30000,    60000,    300000,  600000,
                                       1800000, 3600000, 7200000, 21600000, 43200000, 86400000};
    int64_t span = sp.t1 - sp.t0, tick = steps_ms[12];
    for (int i = 0; i < 13; i++)
        if (span / steps_ms[i] <= 10) {
            tick = steps_ms[i];
            break;
        }
    sb_printf(b,
              "<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
              "viewBox=\"0 0 %d %d\">\n",
              TL_W, y + 24, TL_W, y + 24);
    for (int64_t t = 0; t <= span; t += tick) {
        double x = xpos(&sp, (double)(sp.t0 + t));
        char lab[32];
        fmt_rel(t, lab, sizeof lab);
        sb_printf(b,
                  "<line x1=\"%.1f\" y1=\"16\" x2=\"%.1f\" y2=\"%d\" class=\"grid\"/><text x=\"%.1f\" "
                  "y=\"%d\" class=\"axis\" text-anchor=\"middle\">%s</text>\n",
                  x, x, y, x, y + 14, lab);
    }
    const cJSON *s;
    cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(r, "steps")) {
        const char *at = sget(s, "at");
        if (!at) continue;
        double x = xpos(&sp, (double)parse_iso8601(at));
        const char *st = sget(s, "status");
        sb_printf(b,
                  "<g class=\"marker %s\"><line x1=\"%.1f\" y1=\"12\" x2=\"%.1f\" y2=\"%d\"/><text "
                  "x=\"%.1f\" y=\"10\" text-anchor=\"middle\">%d<title>",
                  st, x, x, y, x, cJSON_GetObjectItemCaseSensitive(s, "index")->valueint);
        esc(b, sget(s, "title"));
        sb_puts(b, "</title></text></g>\n");
    }
    sb_puts(b, body.buf);
    sb_puts(b, "</svg>\n");
    sb_free(&body);
}

/* ---- state machine graph (layered layout) ---- */

#define NODE_W 170
#define NODE_H 30
#define GAP_X 18
#define GAP_Y 36

typedef struct {
    const char *name;
    const char *type;
    int level, pos;
    double x, y;
} gnode_t;

static int node_index(gnode_t *ns, int n, const char *name) {
    for (int i = 0; i < n; i++)
        if (strcmp(ns[i].name, name) == 0) return i;
    return -1;
}

/* Targets of a state: Next, Default, Choices[].Next, Catch[].Next. */
static int targets(const cJSON *st, const char **out, int max) {
    int k = 0;
    const char *nx = sget(st, "Next");
    if (nx && k < max) out[k++] = nx;
    const char *df = sget(st, "Default");
    if (df && k < max) out[k++] = df;
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(st, "Choices")) if (sget(c, "Next") && k < max)
        out[k++] = sget(c, "Next");
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(st, "Catch")) if (sget(c, "Next") && k < max)
        out[k++] = sget(c, "Next");
    return k;
}

static int in_list(const cJSON *arr, const char *name) {
    const cJSON *c;
    cJSON_ArrayForEach(c, arr) if (cJSON_IsString(c) && strcmp(c->valuestring, name) == 0) return 1;
    return 0;
}

static int transitioned(const cJSON *entered, const char *a, const char *b) {
    const cJSON *prev = NULL, *c;
    cJSON_ArrayForEach(c, entered) {
        if (prev && strcmp(prev->valuestring, a) == 0 && strcmp(c->valuestring, b) == 0) return 1;
        prev = c;
    }
    return 0;
}

static void graph_svg(strbuf_t *b, const cJSON *g) {
    const cJSON *def = cJSON_GetObjectItemCaseSensitive(g, "definition");
    const cJSON *states = cJSON_GetObjectItemCaseSensitive(def, "States");
    const char *start = sget(def, "StartAt");
    int n = cJSON_GetArraySize(states);
    if (n == 0 || !start) return;
    const cJSON *x0 = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(g, "executions"), 0);
    const cJSON *entered_all = cJSON_GetObjectItemCaseSensitive(x0, "entered");
    /* transitions between top-level states only (Parallel/Map branch states interleave in history) */
    cJSON *entered = cJSON_CreateArray();
    const cJSON *en;
    cJSON_ArrayForEach(en, entered_all) if (cJSON_IsString(en) &&
                                            cJSON_GetObjectItemCaseSensitive(states, en->valuestring))
        cJSON_AddItemToArray(entered, cJSON_CreateString(en->valuestring));
    const cJSON *failedIn = cJSON_GetObjectItemCaseSensitive(x0, "failedIn");
    gnode_t *ns = calloc((size_t)n, sizeof *ns);
    int i = 0;
    const cJSON *st;
    cJSON_ArrayForEach(st, states) {
        ns[i].name = st->string;
        ns[i].type = sget(st, "Type") ? sget(st, "Type") : "?";
        ns[i].level = -1;
        i++;
    }
    /* BFS levels from StartAt */
    int *queue = calloc((size_t)n, sizeof(int)), qh = 0, qt = 0, s0 = node_index(ns, n, start);
    if (s0 >= 0) {
        ns[s0].level = 0;
        queue[qt++] = s0;
    }
    int maxlevel = 0;
    while (qh < qt) {
        int u = queue[qh++];
        const char *tg[64];
        int k = targets(cJSON_GetObjectItemCaseSensitive(states, ns[u].name), tg, 64);
        for (int j = 0; j < k; j++) {
            int v = node_index(ns, n, tg[j]);
            if (v >= 0 && ns[v].level < 0) {
                ns[v].level = ns[u].level + 1;
                if (ns[v].level > maxlevel) maxlevel = ns[v].level;
                queue[qt++] = v;
            }
        }
    }
    for (i = 0; i < n; i++)
        if (ns[i].level < 0) ns[i].level = ++maxlevel;
    int widest = 1;
    int *count = calloc((size_t)maxlevel + 1, sizeof(int));
    for (i = 0; i < n; i++) {
        ns[i].pos = count[ns[i].level]++;
        if (count[ns[i].level] > widest) widest = count[ns[i].level];
    }
    int W = widest * (NODE_W + GAP_X) + GAP_X, H = (maxlevel + 1) * (NODE_H + GAP_Y) + GAP_Y;
    for (i = 0; i < n; i++) {
        int c = count[ns[i].level];
        double left = (W - (c * (NODE_W + GAP_X) - GAP_X)) / 2.0;
        ns[i].x = left + ns[i].pos * (NODE_W + GAP_X);
        ns[i].y = GAP_Y / 2.0 + ns[i].level * (NODE_H + GAP_Y);
    }
    sb_printf(b,
              "<svg class=\"graph\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
              "viewBox=\"0 0 %d %d\">\n",
              W, H, W, H);
    sb_puts(
        b,
        "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" "
        "markerHeight=\"7\" "
        "orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#888\"/></marker>"
        "<marker id=\"arrow-hot\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" "
        "markerHeight=\"7\" "
        "orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#e6550d\"/></marker></defs>\n");
    for (i = 0; i < n; i++) {
        const char *tg[64];
        int k = targets(cJSON_GetObjectItemCaseSensitive(states, ns[i].name), tg, 64);
        for (int j = 0; j < k; j++) {
            int v = node_index(ns, n, tg[j]);
            if (v < 0) continue;
            int hot = transitioned(entered, ns[i].name, ns[v].name);
            double x1 = ns[i].x + NODE_W / 2.0, y1 = ns[i].y + NODE_H, x2 = ns[v].x + NODE_W / 2.0,
                   y2 = ns[v].y;
            const char *cls = hot ? "edge hot" : "edge";
            const char *mk = hot ? "arrow-hot" : "arrow";
            if (ns[v].level > ns[i].level) {
                sb_printf(b,
                          "<path class=\"%s\" d=\"M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f\" "
                          "marker-end=\"url(#%s)\"/>\n",
                          cls, x1, y1, x1, y1 + GAP_Y / 2.0, x2, y2 - GAP_Y / 2.0, x2, y2, mk);
            } else { /* back or same-level edge: around the right side */
                double xr = ns[i].x + NODE_W + GAP_X / 2.0 + 6;
                sb_printf(b,
                          "<path class=\"%s\" d=\"M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f\" "
                          "marker-end=\"url(#%s)\"/>\n",
                          cls, ns[i].x + NODE_W, ns[i].y + NODE_H / 2.0, xr + 30, ns[i].y, xr + 30,
                          ns[v].y + NODE_H / 2.0, ns[v].x + NODE_W, ns[v].y + NODE_H / 2.0, mk);
            }
        }
    }
    for (i = 0; i < n; i++) {
        int on = in_list(entered, ns[i].name), bad = in_list(failedIn, ns[i].name);
        sb_printf(b, "<g class=\"state%s%s\" data-state=\"", on ? " entered" : "", bad ? " failed" : "");
        esc(b, ns[i].name);
        sb_printf(b, "\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"%d\" rx=\"6\"/>", ns[i].x, ns[i].y,
                  NODE_W, NODE_H);
        char lab[40];
        snprintf(lab, sizeof lab, "%.24s", ns[i].name);
        sb_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", ns[i].x + NODE_W / 2.0,
                  ns[i].y + 13);
        esc(b, lab);
        sb_printf(b, "</text><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" class=\"stype\">",
                  ns[i].x + NODE_W / 2.0, ns[i].y + 25);
        esc(b, ns[i].type);
        sb_puts(b, "</text><title>");
        esc(b, ns[i].name);
        sb_puts(b, "</title></g>\n");
    }
    sb_puts(b, "</svg>\n");
    free(ns);
    free(queue);
    free(count);
    cJSON_Delete(entered);
}

/* ---- HTML ---- */

static const char *CSS =
    "body{font:14px/1.4 system-ui,-apple-system,'Segoe "
    "UI',sans-serif;margin:24px;color:#222;background:#fafafa}"
    "h1{font-size:22px}h2{font-size:18px;margin:0 0 6px}h3{font-size:15px;margin:14px 0 6px}"
    "section.scenario{background:#fff;border:1px solid #ddd;border-left:6px solid "
    "#999;border-radius:6px;padding:14px 18px;margin:18px 0}"
    "section.passed{border-left-color:#2ca02c}section.failed,section.error{border-left-color:#d62728}section."
    "skipped{border-left-color:#bbb}"
    ".badge{display:inline-block;padding:1px "
    "8px;border-radius:10px;font-size:12px;color:#fff;background:#999}"
    ".badge.passed{background:#2ca02c}.badge.failed,.badge.error{background:#d62728}.badge.skipped{"
    "background:#aaa}"
    "table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #eee;padding:4px "
    "6px;text-align:left;vertical-align:top}"
    "th{background:#f3f3f3}td.msg{font-family:ui-monospace,monospace;font-size:12px;white-space:pre-wrap;"
    "word-break:break-word}"
    "tr.failed td,tr.error td{background:#fdecea}tr.skipped td{color:#999}"
    ".actual{color:#b00}.desc{color:#444;max-width:980px}"
    "svg text{font:11px sans-serif;fill:#333}svg .lane-title{font-weight:bold}svg .axis{fill:#666}svg "
    ".legend{fill:#333}"
    "svg .plot{fill:#fcfcfc;stroke:#ddd}svg .grid{stroke:#eee}svg .bandtext{fill:#fff;font-size:10px}"
    "svg .marker line{stroke:#999;stroke-dasharray:2,3}svg .marker.failed line,svg .marker.error "
    "line{stroke:#d62728}"
    "svg .marker text{fill:#666;font-size:9px}"
    "svg.graph .state rect{fill:#f4f4f4;stroke:#aaa}svg.graph .state.entered "
    "rect{fill:#fde0c5;stroke:#e6550d;stroke-width:2}"
    "svg.graph .state.failed rect{fill:#f9c0c0;stroke:#d62728;stroke-width:3}svg.graph "
    ".stype{fill:#888;font-size:9px}"
    "svg.graph .edge{fill:none;stroke:#bbb;stroke-width:1.2}svg.graph "
    ".edge.hot{stroke:#e6550d;stroke-width:2.5}"
    ".machine{display:inline-block;vertical-align:top;margin:0 18px 12px 0;max-width:100%;overflow-x:auto}";

int rp_write_html(const char *dir, cJSON *results) {
    strbuf_t b;
    sb_init(&b);
    int counts[4] = {0};
    const char *names[4] = {"passed", "failed", "error", "skipped"};
    const cJSON *r;
    cJSON_ArrayForEach(r, results) {
        for (int i = 0; i < 4; i++)
            if (strcmp(sget(r, "status"), names[i]) == 0) counts[i]++;
    }
    sb_printf(&b,
              "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>awssim replay "
              "report</title>\n"
              "<style>%s</style></head><body>\n<h1>awssim replay report</h1>\n"
              "<p id=\"summary\">%d passed, %d failed, %d errors, %d skipped (pending)</p>\n"
              "<table id=\"index\"><tr><th>scenario</th><th>program</th><th>status</th><th>virtual "
              "time</th><th>message</th></tr>\n",
              CSS, counts[0], counts[1], counts[2], counts[3]);
    cJSON_ArrayForEach(r, results) {
        sb_puts(&b, "<tr><td><a href=\"#s-");
        esc(&b, sget(r, "name"));
        sb_puts(&b, "\">");
        esc(&b, sget(r, "name"));
        sb_puts(&b, "</a></td><td>");
        esc(&b, sget(r, "program"));
        sb_printf(&b, "</td><td><span class=\"badge %s\">%s</span></td><td>", sget(r, "status"),
                  sget(r, "status"));
        if (sget(r, "start") && sget(r, "end")) {
            char rel[32];
            fmt_rel(parse_iso8601(sget(r, "end")) - parse_iso8601(sget(r, "start")), rel, sizeof rel);
            sb_puts(&b, rel);
        }
        sb_puts(&b, "</td><td class=\"msg\">");
        esc(&b, sget(r, "message"));
        sb_puts(&b, "</td></tr>\n");
    }
    sb_puts(&b, "</table>\n");
    cJSON_ArrayForEach(r, results) {
        const char *st = sget(r, "status");
        sb_printf(&b, "<section class=\"scenario %s\" id=\"s-", st);
        esc(&b, sget(r, "name"));
        sb_puts(&b, "\"><h2>");
        esc(&b, sget(r, "name"));
        sb_printf(&b, " <span class=\"badge %s\">%s</span></h2>\n<p class=\"desc\">", st, st);
        esc(&b, sget(r, "description"));
        sb_puts(&b, "</p>\n<p>program: ");
        esc(&b, sget(r, "program"));
        sb_puts(&b, " &middot; file: ");
        esc(&b, sget(r, "file"));
        if (sget(r, "start")) {
            sb_puts(&b, " &middot; virtual time ");
            esc(&b, sget(r, "start"));
            sb_puts(&b, " &rarr; ");
            esc(&b, sget(r, "end"));
        }
        sb_puts(&b, "</p>\n");
        if (sget(r, "message")) {
            sb_puts(&b, "<p class=\"msg\"><b>");
            esc(&b, sget(r, "message"));
            sb_puts(&b, "</b></p>\n");
        }
        sb_puts(&b, "<table class=\"steps\"><tr><th>#</th><th>step</th><th>virtual "
                    "time</th><th>status</th><th>details</th></tr>\n");
        const cJSON *s;
        cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(r, "steps")) {
            sb_printf(&b, "<tr class=\"%s\"><td>%d</td><td>", sget(s, "status"),
                      cJSON_GetObjectItemCaseSensitive(s, "index")->valueint);
            esc(&b, sget(s, "title"));
            if (sget(s, "description")) {
                sb_puts(&b, "<br><small>");
                esc(&b, sget(s, "description"));
                sb_puts(&b, "</small>");
            }
            sb_puts(&b, "</td><td>");
            esc(&b, sget(s, "at") ? sget(s, "at") + 11 : "");
            sb_printf(&b, "</td><td><span class=\"badge %s\">%s</span></td><td class=\"msg\">",
                      sget(s, "status"), sget(s, "status"));
            const cJSON *detail = cJSON_GetObjectItemCaseSensitive(s, "detail");
            const cJSON *fails = cJSON_GetObjectItemCaseSensitive(detail, "failures");
            if (fails) {
                const cJSON *f;
                cJSON_ArrayForEach(f, fails) {
                    char *exp = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(f, "expected"));
                    char *act = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(f, "actual"));
                    esc(&b, sget(f, "path"));
                    sb_puts(&b, " ");
                    esc(&b, sget(f, "op"));
                    sb_puts(&b, " ");
                    esc(&b, exp);
                    sb_puts(&b, " &mdash; actual: <span class=\"actual\">");
                    esc(&b, strlen(act) > 600 ? "(long value, see results JSON)" : act);
                    sb_puts(&b, "</span>\n");
                    free(exp);
                    free(act);
                }
            } else if (sget(s, "message")) {
                esc(&b, sget(s, "message"));
            }
            const cJSON *w = cJSON_GetObjectItemCaseSensitive(detail, "waitedSeconds");
            if (cJSON_IsNumber(w))
                sb_printf(&b, "%swaited %gs of virtual time", fails ? "\n" : "", w->valuedouble);
            sb_puts(&b, "</td></tr>\n");
        }
        sb_puts(&b, "</table>\n");
        const cJSON *series =
            cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(r, "timeline"), "series");
        if (cJSON_GetArraySize(series) > 0) {
            sb_puts(&b, "<h3>Timeline (virtual time)</h3>\n");
            timeline_svg(&b, r);
        }
        const cJSON *machines = cJSON_GetObjectItemCaseSensitive(r, "machines");
        if (cJSON_GetArraySize(machines) > 0) {
            sb_puts(&b, "<h3>State machines (executed path of the latest execution highlighted)</h3>\n");
            const cJSON *g;
            cJSON_ArrayForEach(g, machines) {
                sb_puts(&b, "<div class=\"machine\"><b>");
                esc(&b, sget(g, "name"));
                sb_puts(&b, "</b><br><small>");
                const cJSON *x;
                int k = 0;
                cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(g, "executions")) {
                    if (k++) sb_puts(&b, ", ");
                    esc(&b, sget(x, "name"));
                    sb_puts(&b, ": ");
                    esc(&b, sget(x, "status"));
                }
                sb_puts(&b, "</small><br>\n");
                graph_svg(&b, g);
                sb_puts(&b, "</div>\n");
            }
        }
        sb_puts(&b, "</section>\n");
    }
    sb_puts(&b, "</body></html>\n");
    char path[1200];
    snprintf(path, sizeof path, "%s/index.html", dir);
    char *t = sb_detach(&b, NULL);
    int rc = rp_write_file(path, t);
    free(t);
    return rc;
}
