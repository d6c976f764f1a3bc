/*
 * rng.h — the seeded random source (xoshiro256**). Every id, token and jitter comes from here,
 * so two replays with the same seed and the same calls produce the same bytes.
 */
#ifndef AWSSIM_RNG_H
#define AWSSIM_RNG_H

#include "core/sim.h"

void rng_seed(sim_t *s, uint64_t seed);
/* Stream `stream` of a seed: stream 0 is rng_seed(seed); every other number starts an unrelated
 * sequence (a state file is reopened on a new stream, core/sim.c). */
void rng_seed_stream(sim_t *s, uint64_t seed, uint64_t stream);
uint64_t rng_next(sim_t *s);
/* The generator's position as 64 hex characters (+ NUL), and back (0 ok; -1 leaves it unchanged). */
void rng_save(const sim_t *s, char out[65]);
int rng_load(sim_t *s, const char *hex);
double rng_unit(sim_t *s);                                        /* [0, 1) */
void rng_chars(sim_t *s, char *out, int n, const char *alphabet); /* n chars + NUL */
void rng_hex(sim_t *s, char *out, int n);                         /* n lowercase hex chars + NUL */
void rng_uuid(sim_t *s, char out[37]);                            /* RFC 4122 v4 shape */
void rng_upper_alnum(sim_t *s, char *out, int n); /* A-Z0-9, e.g. access key ids, Route 53 ids */

#endif
