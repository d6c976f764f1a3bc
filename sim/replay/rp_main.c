/*
 * rp_main.c — `awssim replay FILE|DIR... [--junit PATH] [--report DIR] [--filter TEXT] [--jobs N]`.
 *
 * Every scenario is loaded and validated first (any invalid file: its errors are printed with
 * file, line, step and field, reported, and nothing runs — exit 2). Each runnable scenario then
 * runs in its own forked child (own sim, own port), up to --jobs at once, under a wall-clock
 * timeout; a crashed or hung child is reported with the step it was in. Pending scenarios are
 * reported as skipped (with --run-pending they also run, for information). Exit status 0 only
 * when every non-pending scenario passed. When a scenario deploys the Python program, one warm
 * deploy server (mocks/python/awssim_mock/forkserver.py) runs for the whole replay and every Python
 * deploy runs in a fork of it (AWSSIM_PY_DEPLOY_SERVER), sparing each the imports of Pulumi and boto3.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/util.h"
#include "replay/replay.h"

#define DEFAULT_TIMEOUT_S 240

typedef struct item {
    char file[1024];
    rp_scenario_t sc;
    int valid;
    char err[2048];
    pid_t pid;
    double t0, wall;
    int timeout_s;
    int done;
    cJSON *result;
} item_t;

static double mono(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_dir(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Scenario files of a directory (recursively, sorted; schema.json and package files skipped). */
static void collect(const char *path, char ***files, int *n, int *cap) {
    if (!is_dir(path)) {
        if (*n == *cap) *files = realloc(*files, sizeof(char *) * (size_t)(*cap = *cap ? *cap * 2 : 32));
        (*files)[(*n)++] = strdup(path);
        return;
    }
    DIR *d = opendir(path);
    if (!d) return;
    char **names = NULL;
    int nn = 0, nc = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || strcmp(e->d_name, "node_modules") == 0) continue;
        if (nn == nc) names = realloc(names, sizeof(char *) * (size_t)(nc = nc ? nc * 2 : 32));
        names[nn++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, (size_t)nn, sizeof(char *), cmp_str);
    for (int i = 0; i < nn; i++) {
        char p[2048];
        snprintf(p, sizeof p, "%s/%s", path, names[i]);
        size_t l = strlen(names[i]);
        if (is_dir(p))
            collect(p, files, n, cap);
        else if (l > 5 && strcmp(names[i] + l - 5, ".json") == 0 && strcmp(names[i], "schema.json") != 0 &&
                 strncmp(names[i], "package", 7) != 0 && strncmp(names[i], "tsconfig", 8) != 0)
            collect(p, files, n, cap);
        free(names[i]);
    }
    free(names);
}

static void find_root(char *root, size_t n) {
    const char *env = getenv("AWSSIM_ROOT");
    if (env && *env) {
        if (!realpath(env, root)) snprintf(root, n, "%s", env);
        return;
    }
    char exe[PATH_MAX];
    ssize_t l = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (l > 0) {
        exe[l] = 0;
        for (char *s = strrchr(exe, '/'); s; s = strrchr(exe, '/')) {
            *s = 0;
            char probe[PATH_MAX + 40];
            snprintf(probe, sizeof probe, "%s/scenarios/schema.json", exe);
            if (access(probe, R_OK) == 0) {
                snprintf(root, n, "%s", exe);
                return;
            }
        }
    }
    if (!getcwd(root, n)) snprintf(root, n, ".");
}

static cJSON *synth_result(item_t *it, const char *status, const char *msg) {
    cJSON *r = cJSON_CreateObject();
    cJSON_AddStringToObject(r, "name", it->sc.doc ? it->sc.name : it->file);
    cJSON_AddStringToObject(r, "file", it->file);
    const char *desc =
        it->sc.doc ? cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it->sc.doc, "description")) : NULL;
    cJSON_AddStringToObject(r, "description", desc ? desc : "");
    const char *prog =
        it->sc.doc ? cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it->sc.doc, "program")) : NULL;
    cJSON_AddStringToObject(r, "program", prog ? prog : "?");
    cJSON_AddStringToObject(r, "status", status);
    cJSON_AddStringToObject(r, "message", msg);
    cJSON *steps = cJSON_AddArrayToObject(r, "steps");
    const cJSON *st;
    int i = 0;
    const cJSON *stepdefs = it->sc.doc ? cJSON_GetObjectItemCaseSensitive(it->sc.doc, "steps") : NULL;
    cJSON_ArrayForEach(st, stepdefs) {
        cJSON *so = cJSON_CreateObject();
        cJSON_AddNumberToObject(so, "index", ++i);
        cJSON_AddStringToObject(so, "kind",
                                cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(st, "kind")));
        const char *nm = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(st, "name"));
        if (nm) cJSON_AddStringToObject(so, "name", nm);
        cJSON_AddStringToObject(so, "title",
                                nm ? nm : cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(st, "kind")));
        cJSON_AddStringToObject(so, "status", "skipped");
        cJSON_AddItemToArray(steps, so);
    }
    return r;
}

static void usage(void) {
    fprintf(stderr,
            "usage: awssim replay FILE|DIR... [--junit PATH] [--report DIR] [--filter TEXT] [--jobs N]\n"
            "                     [--timeout SECONDS] [--run-pending] [--check] [--verbose]\n");
}

static void start_child(item_t *it, const char *root, const char *outdir, int prefix, int verbose) {
    char workdir[1200], progress[1300], resfile[1300];
    snprintf(workdir, sizeof workdir, "%s/work/%s", outdir, it->sc.name);
    snprintf(progress, sizeof progress, "%s/work/%s.progress", outdir, it->sc.name);
    snprintf(resfile, sizeof resfile, "%s/results/%s.json", outdir, it->sc.name);
    unlink(resfile);
    unlink(progress);
    fflush(stdout);
    fflush(stderr);
    it->t0 = mono();
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        signal(SIGPIPE, SIG_IGN);
        rp_opts_t o = {0};
        snprintf(o.root, sizeof o.root, "%s", root);
        snprintf(o.workdir, sizeof o.workdir, "%s", workdir);
        char pre[300];
        snprintf(pre, sizeof pre, "[%s] ", it->sc.name);
        o.prefix = prefix ? pre : NULL;
        o.verbose = verbose;
        o.progress_file = progress;
        cJSON *r = rp_run_scenario(&it->sc, &o);
        char *text = rp_json_text(r);
        rp_write_file(resfile, text);
        free(text);
        cJSON_Delete(r);
        fflush(stdout);
        exit(0); /* not _exit: coverage builds write their counters at exit */
    }
    it->pid = pid;
    if (pid > 0) setpgid(pid, pid);
}

static void finish_child(item_t *it, int status, int timed_out, const char *outdir) {
    it->wall = mono() - it->t0;
    it->done = 1;
    char resfile[1300], progress[1300];
    snprintf(resfile, sizeof resfile, "%s/results/%s.json", outdir, it->sc.name);
    snprintf(progress, sizeof progress, "%s/work/%s.progress", outdir, it->sc.name);
    char *text = timed_out ? NULL : rp_read_file(resfile, NULL);
    it->result = text ? cJSON_Parse(text) : NULL;
    free(text);
    if (it->result) return;
    char *prog = rp_read_file(progress, NULL);
    if (prog) prog[strcspn(prog, "\n")] = 0;
    char msg[1600];
    if (timed_out)
        snprintf(msg, sizeof msg, "timed out after %d s (wall clock) in step %s", it->timeout_s,
                 prog ? prog : "(setup)");
    else if (WIFSIGNALED(status))
        snprintf(msg, sizeof msg, "the runner crashed (signal %d) in step %s", WTERMSIG(status),
                 prog ? prog : "(setup)");
    else
        snprintf(msg, sizeof msg, "the runner exited %d without a result in step %s", WEXITSTATUS(status),
                 prog ? prog : "(setup)");
    printf("[%s] ERROR: %s\n", it->sc.name, msg);
    free(prog);
    it->result = synth_result(it, "error", msg);
    char *t = rp_json_text(it->result);
    rp_write_file(resfile, t);
    free(t);
}

static void free_files(char **files, int n) {
    for (int i = 0; i < n; i++)
        free(files[i]);
    free(files);
}

/* Start the Python deploy server on `sock` and wait (up to 10 s) until it listens; its pid, or 0
 * (the deploys then run in their own processes, as without a server). */
static pid_t start_py_deploy_server(const char *root, const char *outdir, const char *sock) {
    char python[PATH_MAX + 20], cwd[PATH_MAX + 20], log[PATH_MAX + 40];
    snprintf(python, sizeof python, "%s/.venv/bin/python", root);
    snprintf(cwd, sizeof cwd, "%s/mocks/python", root);
    snprintf(log, sizeof log, "%s/work/pydeploy-server.log", outdir);
    if (access(python, X_OK) != 0) return 0;
    unlink(sock);
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644), nul = open("/dev/null", O_RDONLY);
        if (fd > 2) dup2(fd, 1), dup2(fd, 2), close(fd);
        if (nul > 2) dup2(nul, 0), close(nul);
        if (chdir(cwd) == 0)
            execl(python, python, "-m", "awssim_mock.forkserver", "--socket", sock, (char *)NULL);
        _exit(127);
    }
    for (int i = 0; pid > 0 && i < 1000; i++) {
        struct stat st;
        if (stat(sock, &st) == 0 && S_ISSOCK(st.st_mode)) return pid;
        if (waitpid(pid, NULL, WNOHANG) == pid) return 0;
        usleep(10000);
    }
    if (pid > 0) kill(pid, SIGKILL), waitpid(pid, NULL, 0);
    return 0;
}

int replay_main(int argc, char **argv) {
    const char *junit = NULL, *report = NULL, *filter = NULL;
    int jobs = 1, run_pending = 0, check_only = 0, verbose = 0, timeout_override = 0;
    char **files = NULL;
    int nfiles = 0, cap = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--junit") == 0 && v)
            junit = argv[++i];
        else if (strcmp(a, "--report") == 0 && v)
            report = argv[++i];
        else if (strcmp(a, "--filter") == 0 && v)
            filter = argv[++i];
        else if (strcmp(a, "--jobs") == 0 && v)
            jobs = atoi(argv[++i]);
        else if (strcmp(a, "--timeout") == 0 && v)
            timeout_override = atoi(argv[++i]);
        else if (strcmp(a, "--run-pending") == 0)
            run_pending = 1;
        else if (strcmp(a, "--check") == 0)
            check_only = 1;
        else if (strcmp(a, "--verbose") == 0)
            verbose = 1;
        else if (strcmp(a, "--help") == 0 || (a[0] == '-' && a[1] == '-')) {
            int help = strcmp(a, "--help") == 0;
            if (!help) fprintf(stderr, "awssim replay: unknown or incomplete option %s\n", a);
            usage();
            free_files(files, nfiles);
            return help ? 0 : 2;
        } else {
            if (access(a, R_OK) != 0) {
                fprintf(stderr, "awssim replay: %s: %s\n", a, strerror(errno));
                free_files(files, nfiles);
                return 2;
            }
            collect(a, &files, &nfiles, &cap);
        }
    }
    if (jobs < 1) jobs = 1;
    if (nfiles == 0) return fprintf(stderr, "awssim replay: no scenario files given\n"), usage(), 2;
    char root[PATH_MAX];
    find_root(root, sizeof root);
    char outdir[PATH_MAX];
    if (report) {
        rp_mkdirs(report);
        if (!realpath(report, outdir)) {
            fprintf(stderr, "awssim replay: cannot use --report %s\n", report);
            free_files(files, nfiles);
            return 2;
        }
    } else {
        snprintf(outdir, sizeof outdir, "/tmp/awssim-replay-%d", (int)getpid());
        rp_mkdirs(outdir);
    }
    char sub[PATH_MAX + 20];
    snprintf(sub, sizeof sub, "%s/results", outdir);
    rp_mkdirs(sub);
    snprintf(sub, sizeof sub, "%s/work", outdir);
    rp_mkdirs(sub);

    item_t *items = calloc((size_t)nfiles, sizeof *items);
    int nitems = 0, invalid = 0;
    for (int i = 0; i < nfiles; i++) {
        item_t *it = &items[nitems];
        snprintf(it->file, sizeof it->file, "%s", files[i]);
        it->valid = rp_load(files[i], &it->sc, it->err, sizeof it->err) == 0;
        free(files[i]);
        if (it->valid && filter && !strstr(it->sc.name, filter) && !strstr(it->file, filter)) {
            rp_scenario_free(&it->sc);
            continue;
        }
        if (!it->valid) {
            invalid++;
            fprintf(stderr, "awssim replay: invalid scenario: %s\n", it->err);
        }
        nitems++;
    }
    free(files);
    /* duplicate names would overwrite each other's results */
    for (int i = 0; i < nitems; i++)
        for (int j = 0; j < i; j++)
            if (items[i].valid && items[j].valid && strcmp(items[i].sc.name, items[j].sc.name) == 0) {
                items[i].valid = 0;
                invalid++;
                snprintf(items[i].err, sizeof items[i].err,
                         "%s:%d: field \"name\": \"%s\" is also the name of %s", items[i].file,
                         rp_line_of(&items[i].sc.lines, "name"), items[i].sc.name, items[j].file);
                fprintf(stderr, "awssim replay: invalid scenario: %s\n", items[i].err);
            }
    if (check_only && !invalid) printf("%d scenario file(s) valid\n", nitems);
    int torun = 0;
    for (int i = 0; i < nitems; i++) {
        item_t *it = &items[i];
        if (!it->valid) {
            it->result = synth_result(it, "error", it->err);
            it->done = 1;
        } else if (invalid || check_only) {
            it->result = synth_result(
                it, "skipped", invalid ? "not run: other scenario files are invalid" : "not run (--check)");
            it->done = 1;
        } else if (it->sc.pending && !run_pending) {
            const char *why =
                cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it->sc.doc, "pendingReason"));
            char msg[1200];
            snprintf(msg, sizeof msg, "pending: %s", why);
            it->result = synth_result(it, "skipped", msg);
            cJSON_AddStringToObject(it->result, "pendingReason", why);
            it->done = 1;
            printf("[%s] skipped (pending: %s)\n", it->sc.name, why);
        } else {
            const cJSON *to = cJSON_GetObjectItemCaseSensitive(it->sc.doc, "timeout");
            it->timeout_s =
                timeout_override ? timeout_override : (cJSON_IsNumber(to) ? to->valueint : DEFAULT_TIMEOUT_S);
            torun++;
        }
    }
    int python = 0;
    for (int i = 0; i < nitems; i++)
        if (!items[i].done && cJSON_IsString(cJSON_GetObjectItemCaseSensitive(items[i].sc.doc, "program")) &&
            strcmp(cJSON_GetObjectItemCaseSensitive(items[i].sc.doc, "program")->valuestring, "python") == 0)
            python = 1;
    char sock[PATH_MAX + 40];
    snprintf(sock, sizeof sock, "%s/work/pydeploy.sock", outdir);
    if (strlen(sock) >= 100) snprintf(sock, sizeof sock, "/tmp/awssim-pydeploy-%d.sock", (int)getpid());
    pid_t pyserver = python ? start_py_deploy_server(root, outdir, sock) : 0;
    if (pyserver) setenv("AWSSIM_PY_DEPLOY_SERVER", sock, 1);
    /* run: up to `jobs` children at once */
    int running = 0, next = 0;
    while (torun > 0 || running > 0) {
        while (running < jobs && torun > 0) {
            while (items[next].done || items[next].pid)
                next++;
            item_t *it = &items[next];
            if (jobs == 1) printf("== %s (%s)\n", it->sc.name, it->file);
            start_child(it, root, outdir, jobs > 1, verbose);
            running++;
            torun--;
        }
        int status;
        pid_t w = waitpid(-1, &status, WNOHANG);
        if (w > 0) {
            for (int i = 0; i < nitems; i++)
                if (items[i].pid == w && !items[i].done) {
                    finish_child(&items[i], status, 0, outdir);
                    running--;
                }
            continue;
        }
        double now = mono();
        for (int i = 0; i < nitems; i++) {
            item_t *it = &items[i];
            if (it->pid > 0 && !it->done && now - it->t0 > it->timeout_s) {
                kill(-it->pid, SIGKILL);
                kill(it->pid, SIGKILL);
                waitpid(it->pid, &status, 0);
                finish_child(it, status, 1, outdir);
                running--;
            }
        }
        usleep(20000);
    }
    if (pyserver) {
        kill(pyserver, SIGTERM);
        waitpid(pyserver, NULL, 0);
        unsetenv("AWSSIM_PY_DEPLOY_SERVER");
    }
    /* pending scenarios that ran: keep them skipped, note the outcome */
    cJSON *all = cJSON_CreateArray();
    int failed = 0, passed = 0, skipped = 0;
    for (int i = 0; i < nitems; i++) {
        item_t *it = &items[i];
        if (it->valid && it->sc.pending && run_pending && it->result) {
            const char *st = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it->result, "status"));
            cJSON_AddStringToObject(it->result, "pendingOutcome", st ? st : "?");
            const char *why =
                cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it->sc.doc, "pendingReason"));
            cJSON_AddStringToObject(it->result, "pendingReason", why);
            cJSON_ReplaceItemInObject(it->result, "status", cJSON_CreateString("skipped"));
        }
        const char *st = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it->result, "status"));
        if (strcmp(st, "passed") == 0)
            passed++;
        else if (strcmp(st, "skipped") == 0)
            skipped++;
        else
            failed++;
        cJSON_AddItemToArray(all, cJSON_Duplicate(it->result, 1));
    }
    char path[PATH_MAX + 40];
    snprintf(path, sizeof path, "%s/results.json", outdir);
    char *text = rp_json_text(all);
    rp_write_file(path, text);
    free(text);
    if (report) rp_write_html(outdir, all);
    /* wall times only in JUnit and on the console (results JSON stays deterministic) */
    for (int i = 0; i < nitems; i++)
        cJSON_AddNumberToObject(cJSON_GetArrayItem(all, i), "wallSeconds", items[i].wall);
    if (junit) rp_write_junit(junit, all);

    printf("\n%-44s %-11s %6s %8s %9s  %s\n", "scenario", "program", "steps", "status", "wall (s)",
           "virtual time");
    for (int i = 0; i < nitems; i++) {
        cJSON *r = cJSON_GetArrayItem(all, i);
        const char *st = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "status"));
        const cJSON *steps = cJSON_GetObjectItemCaseSensitive(r, "steps");
        int ok = 0, n = cJSON_GetArraySize(steps);
        const cJSON *s;
        cJSON_ArrayForEach(
            s, steps) if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(s, "status")),
                                 "passed") == 0) ok++;
        const char *t0 = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "start"));
        const char *t1 = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "end"));
        char span[80] = "-";
        if (t0 && t1) {
            long secs = (long)((parse_iso8601(t1) - parse_iso8601(t0)) / 1000);
            snprintf(span, sizeof span, "%ldh%02ldm%02lds", secs / 3600, secs / 60 % 60, secs % 60);
        }
        char stepcol[32];
        snprintf(stepcol, sizeof stepcol, "%d/%d", ok, n);
        printf("%-44.44s %-11s %6s %8s %9.1f  %s\n",
               cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "name")),
               cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "program")), stepcol, st,
               items[i].wall, span);
        if (strcmp(st, "passed") != 0) {
            const char *m = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "message"));
            if (m) printf("    %.300s\n", m);
        }
    }
    printf("\n%d passed, %d failed, %d skipped (pending or not run)%s%s\n", passed, failed, skipped,
           report ? "; report: " : "", report ? outdir : "");
    for (int i = 0; i < nitems; i++) {
        rp_scenario_free(&items[i].sc); /* safe on a failed load */
        cJSON_Delete(items[i].result);
    }
    free(items);
    cJSON_Delete(all);
    if (invalid) return 2;
    return failed ? 1 : 0;
}
