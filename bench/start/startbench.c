/*
 * startbench.c — start → first answer, measured without an interpreter in the way.
 *
 * Usage: startbench N PORT PATH -- COMMAND ARGS...   (COMMAND must listen on 127.0.0.1:PORT)
 * Runs COMMAND N times; each time: fork+exec, connect() to the port in a tight loop (20 µs between
 * refused attempts), send `GET PATH`, wait for the status line; the time from fork to the first byte
 * of the answer is one sample. The process is then stopped (SIGTERM, then SIGKILL) and reaped.
 * Prints the median and minimum in ms. bench/run.py uses it for awssim and nginx alike.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    if (argc < 6 || strcmp(argv[4], "--") != 0) {
        fprintf(stderr, "usage: startbench N PORT PATH -- COMMAND ARGS...\n");
        return 2;
    }
    int n = atoi(argv[1]), port = atoi(argv[2]);
    const char *path = argv[3];
    double *t = calloc((size_t)n, sizeof *t);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    char req[512];
    snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", path);
    for (int i = 0; i < n; i++) {
        double t0 = now_ms();
        pid_t pid = fork();
        if (pid == 0) {
            int devnull = open("/dev/null", 1);
            dup2(devnull, 1), dup2(devnull, 2);
            execvp(argv[5], argv + 5);
            _exit(127);
        }
        char buf[16] = {0};
        for (;;) {
            int fd = socket(AF_INET, SOCK_STREAM, 0);
            struct sockaddr_in me;
            socklen_t len = sizeof me;
            /* a refused connect to a local port can become a connection to itself (TCP simultaneous
             * open) when the kernel picks that same port as the source: not an answer */
            if (connect(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
                !(getsockname(fd, (struct sockaddr *)&me, &len) == 0 && me.sin_port == a.sin_port) &&
                write(fd, req, strlen(req)) > 0 && read(fd, buf, sizeof buf - 1) > 0) {
                close(fd);
                break;
            }
            close(fd);
            if (waitpid(pid, NULL, WNOHANG) == pid || now_ms() - t0 > 10000) {
                fprintf(stderr, "startbench: %s did not answer on port %d\n", argv[5], port);
                return 1;
            }
            usleep(20);
        }
        t[i] = now_ms() - t0;
        if (strncmp(buf, "HTTP/1.", 7) != 0) fprintf(stderr, "startbench: odd answer %s\n", buf);
        kill(pid, SIGTERM);
        double d = now_ms();
        while (waitpid(pid, NULL, WNOHANG) == 0) {
            if (now_ms() - d > 2000) kill(pid, SIGKILL);
            usleep(200);
        }
    }
    qsort(t, (size_t)n, sizeof *t, cmp);
    printf("median_ms %.3f min_ms %.3f n %d\n", t[n / 2], t[0], n);
    free(t);
    return 0;
}
