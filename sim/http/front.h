/*
 * front.h — the HTTP front: turns one HTTP request into a response. Independent of the HTTP
 * library so tests and fuzzers can drive it directly.
 */
#ifndef AWSSIM_FRONT_H
#define AWSSIM_FRONT_H

#include "core/sim.h"
#include "proto/proto.h"

#define MAX_BODY_BYTES (16 * 1024 * 1024)

/* Handle an AWS API call or a /_awssim/ control call; answers at once (no long poll). */
void front_handle(sim_t *s, const http_req_t *h, http_resp_t *resp);

/* Long polls (GetActivityTask): like front_handle, but when the operation finds nothing yet it
 * returns a pending poll instead of an answer (resp untouched). The owner calls
 * front_poll_retry when front_poll_due says so (the state changed, or the poll's real or virtual
 * deadline passed; call it with the sim lock held); front_poll_retry returns 1 with resp filled when
 * the call is answered. */
typedef struct front_poll front_poll_t;
front_poll_t *front_handle_async(sim_t *s, const http_req_t *h, http_resp_t *resp);
int front_poll_due(sim_t *s, const front_poll_t *p, int64_t now_wall_ms, int64_t *deadline_ms);
int front_poll_retry(sim_t *s, front_poll_t *p, int expire, http_resp_t *resp);
void front_poll_free(front_poll_t *p);
/* The control API (/_awssim/...). */
void control_handle(sim_t *s, const http_req_t *h, http_resp_t *resp);
/* A JSON response helper for the control API. */
void resp_json(http_resp_t *resp, int status, cJSON *body); /* takes ownership of body */

int http_serve(sim_t *s, const char *host, int port, const char *ready_file, volatile int *stop);

#endif
