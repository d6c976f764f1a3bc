/*
 * rp_run.c — running one scenario against a private in-process sim on a virtual clock.
 *
 * `aws` and `expect` calls go through service_call(), faults/control/snapshots through the
 * control API's own handler (control_handle), time through clock_advance (in slices, sampling
 * the timeline after each). The HTTP front is started (port 0, in a thread) only when a deploy
 * or run step needs to reach the sim; those steps run as child processes with a timeout.
 * Steps run in order; the first failing step ends the scenario (later steps are "skipped").
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/auth.h"
#include "core/clock.h"
#include "core/store.h"
#include "core/util.h"
#include "http/front.h"
#include "replay/replay.h"
#include "services/service.h"

#define DEFAULT_START "2026-01-01T00:00:00Z"
#define SCENARIO_ACCOUNT "111111111111"

typedef struct run {
    sim_t sim;
    rp_scenario_t *sc;
    const rp_opts_t *o;
    cJSON *vars; /* outputs, steps, endpoint, workdir, root, now, account */
    char url[128];
    pthread_t srv;
    volatile int stop;
    int serving;
    rp_timeline_t tl;
    const char *account, *region;
    int64_t sample_ms;
    int step_timeout_s;
} run_t;

typedef struct step_res {
    char status[16]; /* passed, failed, error */
    strbuf_t msg;
    cJSON *detail; /* object or NULL */
} step_res_t;

static void res_fail(step_res_t *r, const char *status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void res_fail(step_res_t *r, const char *status, const char *fmt, ...) {
    snprintf(r->status, sizeof r->status, "%s", status);
    char buf[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (r->msg.len) sb_puts(&r->msg, "; ");
    sb_puts(&r->msg, buf);
}

static const char *sget(const cJSON *o, const char *k) {
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k));
}

static void now_iso(run_t *R, char *buf) {
    sim_lock(&R->sim);
    fmt_iso8601(clock_now_ms(&R->sim), buf);
    sim_unlock(&R->sim);
}

static void save_var(run_t *R, const cJSON *step, cJSON *value) {
    const char *name = sget(step, "name");
    cJSON *steps = cJSON_GetObjectItemCaseSensitive(R->vars, "steps");
    if (name && value) {
        cJSON_DeleteItemFromObjectCaseSensitive(steps, name);
        cJSON_AddItemToObject(steps, name, value);
    } else {
        cJSON_Delete(value);
    }
}

/* ---- the HTTP front, started on demand ---- */

static void *serve_thread(void *arg) {
    run_t *R = arg;
    char ready[1200];
    snprintf(ready, sizeof ready, "%s/.ready", R->o->workdir);
    http_serve(&R->sim, "127.0.0.1", 0, ready, &R->stop);
    return NULL;
}

static int ensure_server(run_t *R, char *err, size_t errn) {
    if (R->serving) return 0;
    char ready[1200];
    snprintf(ready, sizeof ready, "%s/.ready", R->o->workdir);
    unlink(ready);
    /* http_serve announces itself on stdout: keep the progress output clean */
    fflush(stdout);
    int saved = dup(1), devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, 1);
    close(devnull);
    R->stop = 0;
    pthread_create(&R->srv, NULL, serve_thread, R);
    R->serving = 1;
    int ok = 0;
    for (int i = 0; i < 1000 && !ok; i++) {
        size_t n;
        char *t = rp_read_file(ready, &n);
        if (t && n > 0) {
            t[strcspn(t, "\r\n")] = 0;
            snprintf(R->url, sizeof R->url, "%s", t);
            ok = 1;
        } else {
            usleep(5000);
        }
        free(t);
    }
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    if (!ok) return snprintf(err, errn, "the HTTP front did not start"), -1;
    cJSON_ReplaceItemInObject(R->vars, "endpoint", cJSON_CreateString(R->url));
    return 0;
}

static void stop_server(run_t *R) {
    if (!R->serving) return;
    R->stop = 1;
    pthread_join(R->srv, NULL);
    R->serving = 0;
}

/* ---- child processes (deploy, run) ---- */

typedef struct child_res {
    int exit_code; /* -1 signalled */
    int timed_out;
    int signal;   /* killed by this signal (crash), 0 otherwise */
    char *output; /* combined stdout+stderr */
} child_res_t;

/* The child's environment: ours with `env`'s string members set (malloc'd array of "K=V"). */
static char **child_environ(const cJSON *env) {
    extern char **environ;
    int n = 0, k = 0;
    while (environ[n])
        n++;
    char **out = calloc((size_t)n + (size_t)cJSON_GetArraySize(env) + 1, sizeof *out);
    const cJSON *e;
    for (int i = 0; i < n; i++) {
        size_t kl = strcspn(environ[i], "=");
        int overridden = 0;
        cJSON_ArrayForEach(e, env) overridden |=
            cJSON_IsString(e) && strlen(e->string) == kl && !strncmp(e->string, environ[i], kl);
        if (!overridden) out[k++] = strdup(environ[i]);
    }
    cJSON_ArrayForEach(e, env) if (cJSON_IsString(e)) {
        out[k] = malloc(strlen(e->string) + strlen(e->valuestring) + 2);
        sprintf(out[k++], "%s=%s", e->string, e->valuestring);
    }
    return out;
}

/* Run argv in its own process group with stdout+stderr to log_path, stdin from /dev/null, in cwd.
 * posix_spawn rather than fork: the runner has the HTTP thread running, and nothing but exec may
 * follow a fork in a multi-threaded process. A program that cannot start exits 127 like a shell's. */
static int run_child(run_t *R, char *const argv[], const char *cwd, const cJSON *env, int timeout_s,
                     const char *log_path, child_res_t *cr) {
    (void)R;
    memset(cr, 0, sizeof *cr);
    fflush(stdout);
    fflush(stderr);
    struct stat sb;
    if (cwd && (stat(cwd, &sb) != 0 || !S_ISDIR(sb.st_mode))) {
        char msg[1300];
        snprintf(msg, sizeof msg, "cannot chdir to %s\n", cwd);
        rp_write_file(log_path, msg);
        cr->exit_code = 127;
        cr->output = strdup(msg);
        return 0;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, log_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    if (cwd) posix_spawn_file_actions_addchdir_np(&fa, cwd);
    posix_spawnattr_t at;
    posix_spawnattr_init(&at);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&at, 0);
    char **envp = child_environ(env);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, &at, argv, envp);
    for (char **e = envp; *e; e++)
        free(*e);
    free(envp);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    if (rc != 0) {
        char msg[1300];
        snprintf(msg, sizeof msg, "cannot run %s: %s\n", argv[0], strerror(rc));
        rp_write_file(log_path, msg);
        cr->exit_code = 127;
        cr->output = strdup(msg);
        return 0;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int status = 0;
    for (;;) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid) break;
        clock_gettime(CLOCK_MONOTONIC, &t1);
        if (t1.tv_sec - t0.tv_sec >= timeout_s) {
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            cr->timed_out = 1;
            break;
        }
        usleep(10000);
    }
    cr->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    cr->signal = WIFSIGNALED(status) && !cr->timed_out ? WTERMSIG(status) : 0;
    cr->output = rp_read_file(log_path, NULL);
    if (!cr->output) cr->output = strdup("");
    return 0;
}

static const char *tail(const char *s, size_t n) {
    size_t l = strlen(s);
    return l > n ? s + l - n : s;
}

static cJSON *child_env(run_t *R, const char *account) {
    cJSON *env = cJSON_CreateObject();
    char outputs[1200];
    snprintf(outputs, sizeof outputs, "%s/cfn-outputs/flat-outputs.json", R->o->workdir);
    cJSON_AddStringToObject(env, "AWS_ENDPOINT_URL", R->url);
    cJSON_AddStringToObject(env, "AWSSIM_URL", R->url);
    cJSON_AddStringToObject(env, "AWSSIM_ENDPOINT", R->url);
    cJSON_AddStringToObject(env, "AWS_ACCESS_KEY_ID", account);
    cJSON_AddStringToObject(env, "AWS_SECRET_ACCESS_KEY", "test");
    cJSON_AddStringToObject(env, "AWS_REGION", R->region);
    cJSON_AddStringToObject(env, "AWS_DEFAULT_REGION", R->region);
    cJSON_AddStringToObject(env, "AWS_MAX_ATTEMPTS", "1");
    cJSON_AddStringToObject(env, "AWS_PAGER", "");
    cJSON_AddStringToObject(env, "AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE", "1");
    cJSON_AddStringToObject(env, "NODE_NO_WARNINGS", "1");
    cJSON_AddStringToObject(env, "FLAT_OUTPUTS", outputs);
    cJSON_AddStringToObject(env, "AWSSIM_WORKDIR", R->o->workdir);
    cJSON_AddStringToObject(env, "AWSSIM_ROOT", R->o->root);
    cJSON_AddStringToObject(env, "PULUMI_CONFIG_PASSPHRASE", "awssim");
    return env;
}

static void check_child(run_t *R, const cJSON *st, const char *what, child_res_t *cr, int timeout_s,
                        const char *log_path, step_res_t *res) {
    const cJSON *ee = cJSON_GetObjectItemCaseSensitive(st, "expectExit");
    int want = cJSON_IsNumber(ee) ? ee->valueint : 0;
    if (cr->timed_out) {
        res_fail(res, "error", "%s timed out after %d s (wall clock); log: %s; last output: %s", what,
                 timeout_s, log_path, tail(cr->output, 600));
        return;
    }
    if (cr->signal) {
        res_fail(res, "failed", "%s crashed (killed by signal %d: %s); log: %s; last output: %s", what,
                 cr->signal, strsignal(cr->signal), log_path, tail(cr->output, 1500));
        return;
    }
    if (cr->exit_code != want) {
        res_fail(res, "failed", "%s exited %d, expected %d; log: %s; last output: %s", what, cr->exit_code,
                 want, log_path, tail(cr->output, 1500));
        return;
    }
    const cJSON *oc;
    cJSON_ArrayForEach(oc, cJSON_GetObjectItemCaseSensitive(st, "outputContains")) {
        char err[256] = "";
        cJSON *x = rp_interpolate(oc, R->vars, err, sizeof err);
        if (!x) {
            res_fail(res, "error", "field \"outputContains\": %s", err);
            return;
        }
        if (!strstr(cr->output, x->valuestring))
            res_fail(res, "failed", "%s output does not contain \"%s\"; last output: %s", what,
                     x->valuestring, tail(cr->output, 1500));
        cJSON_Delete(x);
    }
}

static void argv_free(char **argv) {
    for (int i = 0; argv[i]; i++)
        free(argv[i]);
    free(argv);
}

static void step_deploy(run_t *R, const cJSON *st, int idx, step_res_t *res) {
    char err[600] = "";
    if (ensure_server(R, err, sizeof err)) return res_fail(res, "error", "%s", err);
    const char *program = sget(R->sc->doc, "program");
    if (strcmp(program, "none") == 0)
        return res_fail(res, "error", "field \"program\": a deploy step needs a program");
    const char *stack = sget(st, "stack") ? sget(st, "stack") : sget(R->sc->doc, "stack");
    if (!stack) stack = "dev";
    char outputs[1200], progdir[1200], log_path[1200], bin[1200], cwd[1200];
    snprintf(outputs, sizeof outputs, "%s/cfn-outputs/flat-outputs.json", R->o->workdir);
    snprintf(log_path, sizeof log_path, "%s/step%02d-deploy.log", R->o->workdir, idx + 1);
    unlink(outputs);
    cJSON *args = cJSON_CreateArray();
    int python = strcmp(program, "python") == 0;
    snprintf(progdir, sizeof progdir, "%s/pulumi/%s", R->o->root, program);
    if (python) {
        snprintf(bin, sizeof bin, "%s/.venv/bin/python", R->o->root);
        snprintf(cwd, sizeof cwd, "%s/mocks/python", R->o->root);
        cJSON_AddItemToArray(args, cJSON_CreateString(bin));
        cJSON_AddItemToArray(args, cJSON_CreateString("-m"));
        cJSON_AddItemToArray(args, cJSON_CreateString("awssim_mock.deploy"));
    } else {
        snprintf(bin, sizeof bin, "%s/mocks/typescript/dist/deploy.js", R->o->root);
        snprintf(cwd, sizeof cwd, "%s/mocks/typescript", R->o->root);
        cJSON_AddItemToArray(args, cJSON_CreateString("node"));
        cJSON_AddItemToArray(args, cJSON_CreateString(bin));
    }
#define ARG2(a, b)                                                                                           \
    do {                                                                                                     \
        cJSON_AddItemToArray(args, cJSON_CreateString(a));                                                   \
        cJSON_AddItemToArray(args, cJSON_CreateString(b));                                                   \
    } while (0)
    ARG2("--program", progdir);
    ARG2("--endpoint", R->url);
    ARG2("--stack", stack);
    ARG2("--outputs", outputs);
    const char *acct = sget(st, "account") ? sget(st, "account") : R->account;
    ARG2("--account", acct);
    if (sget(st, "region")) ARG2("--region", sget(st, "region"));
    /* config: scenario-level then step-level overrides, interpolated */
    for (int level = 0; level < 2; level++) {
        const cJSON *cfg = cJSON_GetObjectItemCaseSensitive(level ? st : R->sc->doc, "config"), *c;
        cJSON_ArrayForEach(c, cfg) {
            cJSON *v = rp_interpolate(c, R->vars, err, sizeof err);
            if (!v) {
                cJSON_Delete(args);
                return res_fail(res, "error", "field \"config.%s\": %s", c->string, err);
            }
            char *text = cJSON_IsString(v) ? strdup(v->valuestring) : cJSON_PrintUnformatted(v);
            char kv[8192];
            snprintf(kv, sizeof kv, "%s=%s", c->string, text);
            ARG2("--config", kv);
            free(text);
            cJSON_Delete(v);
        }
    }
    const cJSON *boot = cJSON_GetObjectItemCaseSensitive(st, "bootstrapAccounts");
    if (cJSON_GetArraySize(boot) > 0 && !python) {
        strbuf_t b;
        sb_init(&b);
        const cJSON *a;
        cJSON_ArrayForEach(a, boot) sb_printf(&b, "%s%s", b.len ? "," : "", a->valuestring);
        char *t = sb_detach(&b, NULL);
        ARG2("--bootstrap-accounts", t);
        free(t);
    }
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(st, "preview")) && !python) ARG2("--preview", "true");
    const cJSON *extra;
    cJSON_ArrayForEach(extra, cJSON_GetObjectItemCaseSensitive(st, "args"))
        cJSON_AddItemToArray(args, cJSON_CreateString(extra->valuestring));
#undef ARG2
    int n = cJSON_GetArraySize(args);
    char **argv = calloc((size_t)n + 1, sizeof(char *));
    for (int i = 0; i < n; i++)
        argv[i] = strdup(cJSON_GetArrayItem(args, i)->valuestring);
    cJSON_Delete(args);
    const cJSON *to = cJSON_GetObjectItemCaseSensitive(st, "timeout");
    int timeout_s = cJSON_IsNumber(to) ? to->valueint : R->step_timeout_s;
    cJSON *env = child_env(R, acct);
    child_res_t cr;
    sim_lock(&R->sim);
    int64_t v0 = clock_now_ms(&R->sim);
    sim_unlock(&R->sim);
    run_child(R, argv, cwd, env, timeout_s, log_path, &cr);
    /* The bridges move the virtual clock while they wait for resources (DMS instances, ...), and how
     * far depends on how the program's concurrent registrations interleave. Round the deploy's
     * virtual duration up to a whole `settle` quantum (default 900 s) so that every replay continues
     * from the same instant and stays byte-identical. */
    const cJSON *settle = cJSON_GetObjectItemCaseSensitive(st, "settle");
    int64_t q = cJSON_IsNumber(settle) ? (int64_t)(settle->valuedouble * 1000) : 900000;
    sim_lock(&R->sim);
    int64_t v1 = clock_now_ms(&R->sim);
    if (q > 0) clock_set(&R->sim, v0 + ((v1 - v0 + q - 1) / q) * q);
    sim_unlock(&R->sim);
    cJSON_Delete(env);
    argv_free(argv);
    char what[64];
    snprintf(what, sizeof what, "deploy (%s program)", program);
    check_child(R, st, what, &cr, timeout_s, log_path, res);
    cJSON *saved = cJSON_CreateObject();
    cJSON_AddNumberToObject(saved, "exitCode", cr.exit_code);
    char *flat = cr.exit_code == 0 ? rp_read_file(outputs, NULL) : NULL;
    cJSON *outs = flat ? cJSON_Parse(flat) : NULL;
    free(flat);
    if (cr.exit_code == 0 && !cr.timed_out && !cJSON_IsObject(outs) && !strcmp(res->status, "passed"))
        res_fail(res, "failed", "deploy exited 0 but wrote no outputs to %s", outputs);
    if (cJSON_IsObject(outs)) {
        cJSON_ReplaceItemInObject(R->vars, "outputs", cJSON_Duplicate(outs, 1));
        cJSON_AddNumberToObject(saved, "outputCount", cJSON_GetArraySize(outs));
        cJSON_AddItemToObject(saved, "outputs", outs);
    } else {
        cJSON_Delete(outs);
    }
    free(cr.output);
    save_var(R, st, saved);
}

static void step_run(run_t *R, const cJSON *st, int idx, step_res_t *res) {
    char err[600] = "";
    if (ensure_server(R, err, sizeof err)) return res_fail(res, "error", "%s", err);
    cJSON *cmd = rp_interpolate(cJSON_GetObjectItemCaseSensitive(st, "command"), R->vars, err, sizeof err);
    if (!cmd) return res_fail(res, "error", "field \"command\": %s", err);
    int n = cJSON_GetArraySize(cmd);
    char **argv = calloc((size_t)n + 1, sizeof(char *));
    for (int i = 0; i < n; i++) {
        cJSON *a = cJSON_GetArrayItem(cmd, i);
        argv[i] = cJSON_IsString(a) ? strdup(a->valuestring) : cJSON_PrintUnformatted(a);
    }
    cJSON_Delete(cmd);
    char cwd[1200], log_path[1200];
    const char *c = sget(st, "cwd");
    if (c)
        snprintf(cwd, sizeof cwd, "%s%s%s", c[0] == '/' ? "" : R->o->root, c[0] == '/' ? "" : "/", c);
    else
        snprintf(cwd, sizeof cwd, "%s", R->o->workdir);
    snprintf(log_path, sizeof log_path, "%s/step%02d-run.log", R->o->workdir, idx + 1);
    cJSON *env = child_env(R, R->account);
    cJSON *uenv = rp_interpolate(cJSON_GetObjectItemCaseSensitive(st, "env"), R->vars, err, sizeof err);
    if (cJSON_GetObjectItemCaseSensitive(st, "env") && !uenv) {
        cJSON_Delete(env);
        argv_free(argv);
        return res_fail(res, "error", "field \"env\": %s", err);
    }
    const cJSON *e;
    cJSON_ArrayForEach(e, uenv) {
        cJSON_DeleteItemFromObjectCaseSensitive(env, e->string);
        cJSON_AddItemToObject(env, e->string, cJSON_Duplicate(e, 1));
    }
    cJSON_Delete(uenv);
    const cJSON *to = cJSON_GetObjectItemCaseSensitive(st, "timeout");
    int timeout_s = cJSON_IsNumber(to) ? to->valueint : R->step_timeout_s;
    child_res_t cr;
    run_child(R, argv, cwd, env, timeout_s, log_path, &cr);
    char what[300];
    snprintf(what, sizeof what, "command %s", argv[0]);
    cJSON_Delete(env);
    argv_free(argv);
    check_child(R, st, what, &cr, timeout_s, log_path, res);
    cJSON *saved = cJSON_CreateObject();
    cJSON_AddNumberToObject(saved, "exitCode", cr.exit_code);
    free(cr.output);
    save_var(R, st, saved);
}

/* ---- in-process calls ---- */

/* Run a call spec {service, operation, input, account, region, caller}. Returns the result or
 * {"error":{"Code","Message"}} (new); NULL with err when the spec itself is bad. */
static cJSON *do_call(run_t *R, const cJSON *spec, char *err, size_t errn, int *failed) {
    cJSON *x = rp_interpolate(spec, R->vars, err, errn);
    if (!x) return NULL;
    const char *svc = sget(x, "service"), *op = sget(x, "operation");
    const char *account = sget(x, "account") ? sget(x, "account") : R->account;
    char arn_account[16];
    if (strncmp(account, "arn:", 4) == 0) { /* "account": an ARN names its account (5th field) */
        const char *p = account;
        for (int i = 0; i < 4 && p; i++)
            p = strchr(p + 1, ':');
        snprintf(arn_account, sizeof arn_account, "%.12s", p ? p + 1 : "");
        account = arn_account;
    }
    const char *region = sget(x, "region") ? sget(x, "region") : R->region;
    const cJSON *in = cJSON_GetObjectItemCaseSensitive(x, "input");
    if (strcmp(svc, "route53") == 0 && in) { /* boto3's customisation: "/hostedzone/Z1" -> "Z1" */
        static const char *ids[] = {"Id", "HostedZoneId", "DelegationSetId"};
        for (int i = 0; i < 3; i++) {
            cJSON *v = cJSON_GetObjectItemCaseSensitive(in, ids[i]);
            const char *slash =
                cJSON_IsString(v) && v->valuestring[0] == '/' ? strrchr(v->valuestring, '/') : NULL;
            if (slash) { /* copy first: the new value overlaps the old one */
                char *id = strdup(slash + 1);
                cJSON_SetValuestring(v, id);
                free(id);
            }
        }
    }
    cJSON *empty = cJSON_CreateObject();
    cJSON *out = NULL;
    sim_error_t e = {0};
    int rc = service_call(&R->sim, svc, op, account, region, sget(x, "caller"), in ? in : empty, &out, &e);
    cJSON_Delete(empty);
    cJSON_Delete(x);
    *failed = rc != 0;
    if (rc != 0) {
        cJSON_Delete(out);
        out = cJSON_CreateObject();
        cJSON *eo = cJSON_AddObjectToObject(out, "error");
        cJSON_AddStringToObject(eo, "Code", e.code);
        cJSON_AddStringToObject(eo, "Message", e.message);
        cJSON_AddNumberToObject(eo, "Status", e.status ? e.status : 400);
    }
    return out ? out : cJSON_CreateObject();
}

static void step_aws(run_t *R, const cJSON *st, step_res_t *res) {
    char err[600] = "";
    int failed = 0;
    cJSON *out = do_call(R, st, err, sizeof err, &failed);
    if (!out) return res_fail(res, "error", "%s", err);
    const char *want = sget(st, "expectError");
    const char *code = sget(cJSON_GetObjectItemCaseSensitive(out, "error"), "Code");
    if (want && !failed)
        res_fail(res, "failed", "expected error %s, but the call succeeded", want);
    else if (want && strcmp(want, code) != 0)
        res_fail(res, "failed", "expected error %s, got %s: %s", want, code,
                 sget(cJSON_GetObjectItemCaseSensitive(out, "error"), "Message"));
    else if (!want && failed)
        res_fail(res, "failed", "%s %s: %s: %s", sget(st, "service"), sget(st, "operation"), code,
                 sget(cJSON_GetObjectItemCaseSensitive(out, "error"), "Message"));
    if (failed) res->detail = cJSON_Duplicate(out, 1);
    save_var(R, st, out);
}

/* The control API handler, called directly. Returns the JSON body (new) and the status. */
static cJSON *do_control(run_t *R, const char *method, const char *path, const char *query, const cJSON *body,
                         int *status) {
    char full[600];
    snprintf(full, sizeof full, "/_awssim/%s", path[0] == '/' ? path + 1 : path);
    char *text = body ? cJSON_PrintUnformatted(body) : NULL;
    http_req_t h = {0};
    h.method = method;
    h.path = full;
    h.query = query;
    h.body = text;
    h.body_len = text ? strlen(text) : 0;
    http_resp_t resp = {0};
    control_handle(&R->sim, &h, &resp);
    free(text);
    *status = resp.status;
    cJSON *out = resp.body ? cJSON_ParseWithLength(resp.body, resp.body_len) : NULL;
    resp_free(&resp);
    return out ? out : cJSON_CreateObject();
}

static void step_control(run_t *R, const cJSON *st, step_res_t *res) {
    char err[600] = "";
    cJSON *body = NULL;
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(st, "body");
    if (b && !(body = rp_interpolate(b, R->vars, err, sizeof err)))
        return res_fail(res, "error", "field \"body\": %s", err);
    const char *method = sget(st, "method") ? sget(st, "method") : (body ? "POST" : "GET");
    char path[512];
    snprintf(path, sizeof path, "%s", sget(st, "path"));
    char *q = strchr(path, '?');
    if (q) *q++ = 0;
    int status;
    cJSON *out = do_control(R, method, path, q, body, &status);
    cJSON_Delete(body);
    const cJSON *es = cJSON_GetObjectItemCaseSensitive(st, "expectStatus");
    int want = cJSON_IsNumber(es) ? es->valueint : 200;
    if (status != want) {
        char *t = cJSON_PrintUnformatted(out);
        res_fail(res, "failed", "control %s %s answered %d, expected %d: %s", method, path, status, want, t);
        free(t);
    }
    save_var(R, st, out);
}

static void step_fault(run_t *R, const cJSON *st, step_res_t *res) {
    char err[600] = "";
    int status;
    cJSON *out;
    if (strcmp(sget(st, "action"), "inject") == 0) {
        cJSON *f = rp_interpolate(cJSON_GetObjectItemCaseSensitive(st, "fault"), R->vars, err, sizeof err);
        if (!f) return res_fail(res, "error", "field \"fault\": %s", err);
        out = do_control(R, "POST", "faults", NULL, f, &status);
        cJSON_Delete(f);
    } else {
        char q[400] = "";
        if (sget(st, "service")) snprintf(q, sizeof q, "service=%s", sget(st, "service"));
        if (sget(st, "id")) {
            cJSON *idv = rp_interpolate(cJSON_GetObjectItemCaseSensitive(st, "id"), R->vars, err, sizeof err);
            if (!idv) return res_fail(res, "error", "field \"id\": %s", err);
            /* the id an inject step saved is a number ("${steps.f.id}" keeps its type) */
            char id[64] = "";
            if (cJSON_IsString(idv))
                snprintf(id, sizeof id, "%s", idv->valuestring);
            else if (cJSON_IsNumber(idv))
                snprintf(id, sizeof id, "%.0f", idv->valuedouble);
            size_t l = strlen(q);
            snprintf(q + l, sizeof q - l, "%sid=%s", l ? "&" : "", id);
            cJSON_Delete(idv);
        }
        out = do_control(R, "DELETE", "faults", q[0] ? q : NULL, NULL, &status);
    }
    if (status != 200) {
        char *t = cJSON_PrintUnformatted(out);
        res_fail(res, "failed", "fault %s refused (%d): %s", sget(st, "action"), status, t);
        free(t);
    }
    save_var(R, st, out);
}

static void advance_sampled(run_t *R, int64_t ms) {
    while (ms > 0) {
        int64_t d = ms < R->sample_ms ? ms : R->sample_ms;
        sim_lock(&R->sim);
        clock_advance(&R->sim, d);
        sim_unlock(&R->sim);
        ms -= d;
        rp_sample(&R->sim, &R->tl);
    }
}

static void step_advance(run_t *R, const cJSON *st, step_res_t *res) {
    double secs = cJSON_GetObjectItemCaseSensitive(st, "seconds")->valuedouble;
    advance_sampled(R, (int64_t)(secs * 1000.0 + 0.5));
}

static cJSON *expect_source(run_t *R, const cJSON *st, char *err, size_t errn) {
    const char *of = sget(st, "of");
    if (of) {
        if (strcmp(of, "outputs") == 0)
            return cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(R->vars, "outputs"), 1);
        const cJSON *v =
            cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(R->vars, "steps"), of);
        if (!v) return snprintf(err, errn, "field \"of\": step \"%s\" saved no result", of), NULL;
        return cJSON_Duplicate(v, 1);
    }
    const cJSON *call = cJSON_GetObjectItemCaseSensitive(st, "call");
    if (call) {
        int failed;
        return do_call(R, call, err, errn, &failed);
    }
    const cJSON *ctl = cJSON_GetObjectItemCaseSensitive(st, "control");
    cJSON *body = NULL;
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(ctl, "body");
    if (b && !(body = rp_interpolate(b, R->vars, err, errn))) return NULL;
    cJSON *pathv = rp_interpolate(cJSON_GetObjectItemCaseSensitive(ctl, "path"), R->vars, err, errn);
    if (!pathv) {
        cJSON_Delete(body);
        return NULL;
    }
    char path[512];
    snprintf(path, sizeof path, "%s", pathv->valuestring);
    cJSON_Delete(pathv);
    char *q = strchr(path, '?');
    if (q) *q++ = 0;
    int status;
    cJSON *out = do_control(R, sget(ctl, "method") ? sget(ctl, "method") : "GET", path, q, body, &status);
    cJSON_Delete(body);
    return out;
}

static void step_expect(run_t *R, const cJSON *st, step_res_t *res) {
    char err[600] = "";
    const cJSON *within = cJSON_GetObjectItemCaseSensitive(st, "within");
    const cJSON *every = cJSON_GetObjectItemCaseSensitive(st, "every");
    int64_t bound = cJSON_IsNumber(within) ? (int64_t)(within->valuedouble * 1000) : 0;
    int64_t slice = cJSON_IsNumber(every) ? (int64_t)(every->valuedouble * 1000) : 10000;
    int64_t waited = 0;
    cJSON *asserts = rp_interpolate(cJSON_GetObjectItemCaseSensitive(st, "assert"), R->vars, err, sizeof err);
    if (!asserts) return res_fail(res, "error", "field \"assert\": %s", err);
    const cJSON *fwdef = cJSON_GetObjectItemCaseSensitive(st, "failWhen");
    cJSON *failw = fwdef ? rp_interpolate(fwdef, R->vars, err, sizeof err) : cJSON_CreateArray();
    if (!failw) {
        cJSON_Delete(asserts);
        return res_fail(res, "error", "field \"failWhen\": %s", err);
    }
    for (;;) {
        cJSON *doc = expect_source(R, st, err, sizeof err);
        if (!doc) {
            cJSON_Delete(asserts);
            cJSON_Delete(failw);
            return res_fail(res, "error", "%s", err);
        }
        strbuf_t why;
        sb_init(&why);
        cJSON *failures = cJSON_CreateArray();
        int all = 1;
        const cJSON *a;
        cJSON_ArrayForEach(a, asserts) {
            cJSON *actual = NULL;
            char w[1024] = "";
            int ok = rp_assert(doc, a, &actual, w, sizeof w);
            if (ok != 1) {
                all = 0;
                sb_printf(&why, "%s%s", why.len ? "; " : "", w);
                cJSON *f = cJSON_CreateObject();
                cJSON_AddStringToObject(f, "path", sget(a, "path"));
                for (int k = 0; RP_ASSERT_OPS[k]; k++) {
                    const cJSON *wv = cJSON_GetObjectItemCaseSensitive(a, RP_ASSERT_OPS[k]);
                    if (wv) {
                        cJSON_AddStringToObject(f, "op", RP_ASSERT_OPS[k]);
                        cJSON_AddItemToObject(f, "expected", cJSON_Duplicate(wv, 1));
                    }
                }
                cJSON_AddItemToObject(f, "actual", actual ? actual : cJSON_CreateNull());
                actual = NULL;
                cJSON_AddItemToArray(failures, f);
            }
            cJSON_Delete(actual);
        }
        /* failWhen: a terminal state that makes waiting pointless */
        const cJSON *fw;
        int stop = 0;
        cJSON_ArrayForEach(fw, failw) {
            cJSON *actual = NULL;
            char w[512] = "";
            if (!all && rp_assert(doc, fw, &actual, w, sizeof w) == 1) {
                char *t = actual ? cJSON_PrintUnformatted(actual) : strdup("null");
                sb_printf(&why, "; stopped waiting: %s is %s",
                          cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(fw, "path")), t);
                free(t);
                stop = 1;
            }
            cJSON_Delete(actual);
        }
        if (all || waited >= bound || stop) {
            if (!all) {
                res_fail(res, "failed", "%s%s", why.buf,
                         bound && !stop ? " (still false after waiting)" : "");
                res->detail = cJSON_CreateObject();
                cJSON_AddItemToObject(res->detail, "failures", failures);
            } else {
                cJSON_Delete(failures);
            }
            if (bound) {
                if (!res->detail) res->detail = cJSON_CreateObject();
                cJSON_AddNumberToObject(res->detail, "waitedSeconds", (double)waited / 1000.0);
            }
            sb_free(&why);
            save_var(R, st, doc);
            break;
        }
        sb_free(&why);
        cJSON_Delete(failures);
        cJSON_Delete(doc);
        int64_t d = bound - waited < slice ? bound - waited : slice;
        advance_sampled(R, d);
        waited += d;
    }
    cJSON_Delete(asserts);
    cJSON_Delete(failw);
}

static void step_snapshot(run_t *R, const cJSON *st, step_res_t *res) {
    const char *action = sget(st, "action") ? sget(st, "action") : "save";
    const char *label = sget(st, "label") ? sget(st, "label") : "snapshot";
    char dir[1200], path[1300];
    snprintf(dir, sizeof dir, "%s/snapshots", R->o->workdir);
    rp_mkdirs(dir);
    snprintf(path, sizeof path, "%s/%s.db", dir, label);
    cJSON *body = cJSON_CreateObject();
    cJSON_AddStringToObject(body, "path", path);
    int status;
    cJSON *out =
        do_control(R, "POST", strcmp(action, "save") == 0 ? "snapshot" : "restore", NULL, body, &status);
    cJSON_Delete(body);
    if (status != 200) res_fail(res, "failed", "snapshot %s %s failed (%d)", action, label, status);
    cJSON_Delete(out);
    cJSON *saved = cJSON_CreateObject();
    cJSON_AddStringToObject(saved, "label", label);
    cJSON_AddStringToObject(saved, "action", action);
    save_var(R, st, saved);
}

/* "advance 300s", "aws dms DescribeReplicationTasks", ... */
static void step_title(const cJSON *st, char *out, size_t n) {
    const char *kind = sget(st, "kind"), *name = sget(st, "name");
    char what[400] = "";
    if (strcmp(kind, "advance") == 0) {
        snprintf(what, sizeof what, "%gs", cJSON_GetObjectItemCaseSensitive(st, "seconds")->valuedouble);
    } else if (strcmp(kind, "aws") == 0) {
        snprintf(what, sizeof what, "%s %s", sget(st, "service"), sget(st, "operation"));
    } else if (strcmp(kind, "fault") == 0) {
        const cJSON *f = cJSON_GetObjectItemCaseSensitive(st, "fault");
        snprintf(what, sizeof what, "%s %s", sget(st, "action"),
                 f ? sget(f, "service") : (sget(st, "service") ? sget(st, "service") : "all"));
    } else if (strcmp(kind, "expect") == 0) {
        const cJSON *c = cJSON_GetObjectItemCaseSensitive(st, "call");
        if (c)
            snprintf(what, sizeof what, "%s %s", sget(c, "service"), sget(c, "operation"));
        else if (sget(st, "of"))
            snprintf(what, sizeof what, "%s", sget(st, "of"));
        else
            snprintf(what, sizeof what, "control %s",
                     sget(cJSON_GetObjectItemCaseSensitive(st, "control"), "path"));
        const cJSON *w = cJSON_GetObjectItemCaseSensitive(st, "within");
        if (w) snprintf(what + strlen(what), sizeof what - strlen(what), " within %gs", w->valuedouble);
    } else if (strcmp(kind, "run") == 0) {
        const cJSON *c;
        cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(st, "command")) {
            size_t l = strlen(what);
            if (l > 60) break;
            snprintf(what + l, sizeof what - l, "%s%s", l ? " " : "", c->valuestring);
        }
    } else if (strcmp(kind, "control") == 0) {
        snprintf(what, sizeof what, "%s", sget(st, "path"));
    } else if (strcmp(kind, "snapshot") == 0) {
        snprintf(what, sizeof what, "%s %s", sget(st, "action") ? sget(st, "action") : "save",
                 sget(st, "label") ? sget(st, "label") : "snapshot");
    }
    snprintf(out, n, "%s%s%s%s%s", kind, what[0] ? " " : "", what, name ? " " : "", name ? name : "");
    (void)name;
}

static int setup_sim(run_t *R, char *err, size_t errn) {
    const cJSON *doc = R->sc->doc;
    const cJSON *seedv = cJSON_GetObjectItemCaseSensitive(doc, "seed");
    uint64_t seed = cJSON_IsNumber(seedv) ? (uint64_t)seedv->valuedouble : 1;
    const char *start = sget(doc, "start") ? sget(doc, "start") : DEFAULT_START;
    int64_t start_ms = parse_iso8601(start);
    if (start_ms < 0) return snprintf(err, errn, "field \"start\": not an ISO-8601 time: %s", start), -1;
    if (sim_init(&R->sim, ":memory:", CLOCK_VIRTUAL, seed, start_ms) != 0)
        return snprintf(err, errn, "cannot initialise the sim"), -1;
    R->sim.log_level = R->o->verbose ? 2 : 0;
    const cJSON *opts = cJSON_GetObjectItemCaseSensitive(doc, "awssim");
    const char *auth = sget(opts, "auth");
    R->sim.auth_strict = auth && strcmp(auth, "strict") == 0;
    const cJSON *mock = cJSON_GetObjectItemCaseSensitive(opts, "sfnMockConfig");
    if (mock) R->sim.sfn_mock_config = cJSON_PrintUnformatted(mock);
    const cJSON *accts = cJSON_GetObjectItemCaseSensitive(opts, "accounts");
    if (accts) {
        char path[1200];
        snprintf(path, sizeof path, "%s/accounts.json", R->o->workdir);
        cJSON *f = cJSON_CreateObject();
        cJSON_AddItemToObject(f, "credentials", cJSON_Duplicate(accts, 1));
        char *t = cJSON_Print(f);
        cJSON_Delete(f);
        rp_write_file(path, t);
        free(t);
        if (auth_load_accounts(&R->sim, path, err, errn) != 0) return -1;
    }
    const cJSON *se = cJSON_GetObjectItemCaseSensitive(opts, "sampleEvery");
    R->sample_ms = cJSON_IsNumber(se) ? (int64_t)(se->valuedouble * 1000) : 30000;
    return 0;
}

cJSON *rp_run_scenario(rp_scenario_t *sc, const rp_opts_t *o) {
    run_t *R = calloc(1, sizeof *R);
    R->sc = sc;
    R->o = o;
    R->account = sget(sc->doc, "account") ? sget(sc->doc, "account") : SCENARIO_ACCOUNT;
    R->region = sget(sc->doc, "region") ? sget(sc->doc, "region") : DEFAULT_REGION;
    R->step_timeout_s = 180;
    rp_mkdirs(o->workdir);
    cJSON *result = cJSON_CreateObject();
    cJSON_AddStringToObject(result, "name", sc->name);
    cJSON_AddStringToObject(result, "file", sc->file);
    cJSON_AddStringToObject(result, "description", sget(sc->doc, "description"));
    cJSON_AddStringToObject(result, "program", sget(sc->doc, "program"));
    char err[1024] = "";
    if (setup_sim(R, err, sizeof err)) {
        cJSON_AddStringToObject(result, "status", "error");
        cJSON_AddStringToObject(result, "message", err);
        cJSON_AddArrayToObject(result, "steps");
        free(R);
        return result;
    }
    R->vars = cJSON_CreateObject();
    cJSON_AddObjectToObject(R->vars, "outputs");
    cJSON_AddObjectToObject(R->vars, "steps");
    cJSON_AddStringToObject(R->vars, "endpoint", "");
    cJSON_AddStringToObject(R->vars, "workdir", o->workdir);
    cJSON_AddStringToObject(R->vars, "root", o->root);
    cJSON_AddStringToObject(R->vars, "account", R->account);
    cJSON_AddStringToObject(R->vars, "now", "");
    const cJSON *opts = cJSON_GetObjectItemCaseSensitive(sc->doc, "awssim");
    cJSON *tl_accounts = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(opts, "timelineAccounts"), 1);
    if (!tl_accounts) {
        tl_accounts = cJSON_CreateArray();
        cJSON_AddItemToArray(tl_accounts, cJSON_CreateString(R->account));
    }
    rp_timeline_init(&R->tl, tl_accounts, R->region);
    char t0[32];
    now_iso(R, t0);
    cJSON_AddStringToObject(result, "start", t0);
    rp_sample(&R->sim, &R->tl);

    const cJSON *steps = cJSON_GetObjectItemCaseSensitive(sc->doc, "steps");
    int n = cJSON_GetArraySize(steps), idx = 0, failed_at = -1;
    cJSON *out_steps = cJSON_AddArrayToObject(result, "steps");
    const char *pre = o->prefix ? o->prefix : "";
    const cJSON *st;
    cJSON_ArrayForEach(st, steps) {
        char title[600], at[32];
        step_title(st, title, sizeof title);
        cJSON *so = cJSON_CreateObject();
        cJSON_AddNumberToObject(so, "index", idx + 1);
        cJSON_AddStringToObject(so, "kind", sget(st, "kind"));
        if (sget(st, "name")) cJSON_AddStringToObject(so, "name", sget(st, "name"));
        cJSON_AddStringToObject(so, "title", title);
        if (sget(st, "description")) cJSON_AddStringToObject(so, "description", sget(st, "description"));
        cJSON_AddItemToArray(out_steps, so);
        if (failed_at >= 0) {
            cJSON_AddStringToObject(so, "status", "skipped");
            idx++;
            continue;
        }
        now_iso(R, at);
        cJSON_AddStringToObject(so, "at", at);
        cJSON_ReplaceItemInObject(R->vars, "now", cJSON_CreateString(at));
        if (o->progress_file) {
            char pf[800];
            snprintf(pf, sizeof pf, "%d/%d %s\n", idx + 1, n, title);
            rp_write_file(o->progress_file, pf);
        }
        if (!o->prefix) { /* sequential: show the step while it runs */
            printf("%s[%d/%d] %s \xe2\x80\xa6 ", pre, idx + 1, n, title);
            fflush(stdout);
        }
        struct timespec w0, w1;
        clock_gettime(CLOCK_MONOTONIC, &w0);
        step_res_t res = {.status = "passed"};
        sb_init(&res.msg);
        const char *kind = sget(st, "kind");
        if (strcmp(kind, "deploy") == 0)
            step_deploy(R, st, idx, &res);
        else if (strcmp(kind, "run") == 0)
            step_run(R, st, idx, &res);
        else if (strcmp(kind, "aws") == 0)
            step_aws(R, st, &res);
        else if (strcmp(kind, "advance") == 0)
            step_advance(R, st, &res);
        else if (strcmp(kind, "fault") == 0)
            step_fault(R, st, &res);
        else if (strcmp(kind, "expect") == 0)
            step_expect(R, st, &res);
        else if (strcmp(kind, "control") == 0)
            step_control(R, st, &res);
        else /* "snapshot": the schema's enum of kinds has no other */
            step_snapshot(R, st, &res);
        if (strcmp(kind, "advance") != 0) rp_sample(&R->sim, &R->tl);
        char end[32];
        now_iso(R, end);
        if (strcmp(end, at) != 0) cJSON_AddStringToObject(so, "end", end);
        cJSON_AddStringToObject(so, "status", res.status);
        if (res.msg.len) cJSON_AddStringToObject(so, "message", res.msg.buf);
        if (res.detail) cJSON_AddItemToObject(so, "detail", res.detail);
        clock_gettime(CLOCK_MONOTONIC, &w1);
        double wall = (double)(w1.tv_sec - w0.tv_sec) + (double)(w1.tv_nsec - w0.tv_nsec) / 1e9;
        char took[32] = ""; /* wall time on the console only: results JSON stays deterministic */
        if (wall >= 0.05) snprintf(took, sizeof took, " (%.1fs)", wall);
        if (o->prefix) printf("%s[%d/%d] %s \xe2\x80\xa6 ", pre, idx + 1, n, title);
        if (strcmp(res.status, "passed") == 0)
            printf("ok%s\n", took);
        else
            printf("%s%s\n%s      %s\n", strcmp(res.status, "error") == 0 ? "ERROR" : "FAILED", took, pre,
                   res.msg.buf);
        fflush(stdout);
        if (strcmp(res.status, "passed") != 0) failed_at = idx;
        sb_free(&res.msg);
        idx++;
    }
    stop_server(R);
    char t1[32];
    now_iso(R, t1);
    cJSON_AddStringToObject(result, "end", t1);
    const char *status = "passed";
    if (failed_at >= 0) {
        cJSON *fs = cJSON_GetArrayItem(out_steps, failed_at);
        status = sget(fs, "status");
        char m[2048];
        snprintf(m, sizeof m, "step %d (%s): %s", failed_at + 1, sget(fs, "title"),
                 sget(fs, "message") ? sget(fs, "message") : status);
        cJSON_AddStringToObject(result, "message", m);
    }
    cJSON_AddStringToObject(result, "status", status);
    rp_timeline_sort(&R->tl);
    cJSON *tl = cJSON_AddObjectToObject(result, "timeline");
    cJSON_AddItemToObject(tl, "series", R->tl.series);
    cJSON_AddItemToObject(result, "machines", rp_machine_graphs(&R->sim, tl_accounts, R->region));
    cJSON_Delete(tl_accounts);
    cJSON_Delete(R->vars);
    sim_free(&R->sim);
    free(R);
    return result;
}
