/*
 * main.c — the awssim command line: `awssim serve [options]`, `awssim version`.
 * (`awssim replay` lives in sim/replay/.)
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/auth.h"
#include "core/clock.h"
#include "core/sim.h"
#include "core/util.h"
#include "http/front.h"

static volatile int stop_flag;

static void on_signal(int sig) {
    (void)sig;
    stop_flag = 1;
}

static void usage(FILE *f) {
    fprintf(f, "usage: awssim serve [--host 127.0.0.1] [--port 4566] [--state :memory:|PATH]\n"
               "                    [--clock real|virtual] [--start ISO-8601] [--auth lenient|strict]\n"
               "                    [--seed N] [--accounts FILE] [--sfn-mock-config FILE] [--request-log N]\n"
               "                    [--long-poll-seconds 60] [--threads N]\n"
               "                    [--ready-file PATH] [--log-level error|warn|info|debug]\n"
               "       awssim replay FILE|DIR... [--junit PATH] [--report DIR] [--filter TEXT] [--jobs N]\n"
               "       awssim version\n");
}

int replay_main(int argc, char **argv); /* sim/replay/rp_main.c, always linked */

/* A whole decimal number in lo..hi into *out: 0, or -1 after saying "awssim: NAME must be lo..hi UNIT". */
static int range_arg(const char *name, const char *v, long lo, long hi, const char *unit, long *out) {
    char *end;
    long n = strtol(v, &end, 10);
    if (*end || n < lo || n > hi) {
        fprintf(stderr, "awssim: %s must be %ld..%ld%s\n", name, lo, hi, unit);
        return -1;
    }
    *out = n;
    return 0;
}

static int serve(int argc, char **argv) {
    const char *host = "127.0.0.1", *state = ":memory:", *ready = NULL, *accounts = NULL, *mock = NULL;
    const char *start = NULL;
    long request_log = REQLOG_DEFAULT_CAPACITY, long_poll = 60;
    int port = 4566, strict = 0, level = 2;
    clock_mode_t mode = CLOCK_VIRTUAL;
    uint64_t seed = 1;
    long threads = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define ARG(name) (strcmp(a, name) == 0 && v && ++i)
        if (ARG("--host"))
            host = v;
        else if (ARG("--port"))
            port = atoi(v);
        else if (ARG("--state"))
            state = v;
        else if (ARG("--ready-file"))
            ready = v;
        else if (ARG("--accounts"))
            accounts = v;
        else if (ARG("--sfn-mock-config"))
            mock = v;
        else if (ARG("--start"))
            start = v;
        else if (ARG("--request-log")) {
            if (range_arg(a, v, 0, 10000000, " calls", &request_log)) return 2;
        } else if (ARG("--long-poll-seconds")) {
            if (range_arg(a, v, 0, 60, "", &long_poll)) return 2;
        } else if (ARG("--threads")) {
            if (range_arg(a, v, 1, 64, "", &threads)) return 2;
        } else if (ARG("--seed"))
            seed = strtoull(v, NULL, 10);
        else if (ARG("--clock")) {
            if (strcmp(v, "real") == 0)
                mode = CLOCK_REAL;
            else if (strcmp(v, "virtual") == 0)
                mode = CLOCK_VIRTUAL;
            else
                return fprintf(stderr, "awssim: --clock must be real or virtual\n"), 2;
        } else if (ARG("--auth")) {
            if (strcmp(v, "strict") == 0)
                strict = 1;
            else if (strcmp(v, "lenient") == 0)
                strict = 0;
            else
                return fprintf(stderr, "awssim: --auth must be lenient or strict\n"), 2;
        } else if (ARG("--log-level")) {
            static const char *names[] = {"error", "warn", "info", "debug"};
            level = -1;
            for (int k = 0; k < 4; k++)
                if (strcmp(v, names[k]) == 0) level = k;
            if (level < 0) return fprintf(stderr, "awssim: unknown --log-level %s\n", v), 2;
        } else {
            fprintf(stderr, "awssim: unknown or incomplete option %s\n", a);
            usage(stderr);
            return 2;
        }
#undef ARG
    }
    if (port < 0 || port > 65535) return fprintf(stderr, "awssim: --port out of range\n"), 2;
    int64_t start_ms = 0;
    if (start && (start_ms = parse_iso8601(start)) < 0)
        return fprintf(stderr, "awssim: --start must be ISO-8601, got %s\n", start), 2;
    static sim_t s;
    if (sim_init(&s, state, mode, seed, start_ms) != 0) return 1;
    s.reqlog.capacity = (size_t)request_log;
    s.long_poll_s = (int)long_poll;
    s.http_threads = (int)threads;
    s.auth_strict = strict;
    s.log_level = level;
    if (accounts) {
        char err[300];
        if (auth_load_accounts(&s, accounts, err, sizeof err) != 0) {
            fprintf(stderr, "awssim: %s\n", err);
            return 2;
        }
    }
    if (mock) {
        char *text = read_file(mock, NULL);
        cJSON *doc = text ? cJSON_Parse(text) : NULL;
        if (!cJSON_IsObject(doc)) {
            fprintf(stderr, "awssim: --sfn-mock-config %s is not a JSON object\n", mock);
            free(text);
            cJSON_Delete(doc);
            return 2;
        }
        cJSON_Delete(doc);
        s.sfn_mock_config = text;
    }
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    int rc = http_serve(&s, host, port, ready, &stop_flag);
    sim_free(&s);
    return rc;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "serve") == 0) return serve(argc - 2, argv + 2);
    if (strcmp(argv[1], "version") == 0 || strcmp(argv[1], "--version") == 0) {
        printf("awssim %s\n", AWSSIM_VERSION);
        return 0;
    }
    if (strcmp(argv[1], "replay") == 0) return replay_main(argc - 2, argv + 2);
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    usage(stderr);
    return 2;
}
