/*
 * front.h — the HTTP front: turns one HTTP request into a response. Independent of the HTTP
 * library so tests and fuzzers can drive it directly.
 */
#ifndef AWSSIM_FRONT_H
#define AWSSIM_FRONT_H

#include "core/sim.h"
#include "proto/proto.h"

#define MAX_BODY_BYTES (16 * 1024 * 1024)

/* Handle an AWS API call or a /_awssim/ control call. */
void front_handle(sim_t *s, const http_req_t *h, http_resp_t *resp);
/* The control API (/_awssim/...). */
void control_handle(sim_t *s, const http_req_t *h, http_resp_t *resp);
/* A JSON response helper for the control API. */
void resp_json(http_resp_t *resp, int status, cJSON *body); /* takes ownership of body */

int http_serve(sim_t *s, const char *host, int port, const char *ready_file, volatile int *stop);

#endif
